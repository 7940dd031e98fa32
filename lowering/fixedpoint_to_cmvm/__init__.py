"""fixedpoint-to-cmvm: scalarize a network into constant matrices and scalar operations.

Every tensor becomes an array of scalar ``!cmvm.fx`` values (function arguments and
results are flattened row-major); data movement (reshape, transpose, concat) only permutes
that array and emits nothing.  Each dense layer becomes one ``cmvm.matrix`` holding the
integer weights.  When a layer applies the same weights at several positions (leading axes
of a dense, every pixel of a convolution) the matrix is emitted once, in a private kernel
function, and called at every position, so the optimizer solves it once.  Elementwise ops
become their scalar counterparts; nothing is dropped or approximated.

Before:

    func.func @main(%x: !fixedpoint.tensor<2xfixed<1,3,0>>) -> !fixedpoint.tensor<1xrange<-24,21,0>> {
      %w = fixedpoint.constant <[-2, 3], f=0> : !fixedpoint.tensor<2x1xrange<-2,3,0>>
      %y = fixedpoint.dense %x, %w : (...) -> !fixedpoint.tensor<1xrange<-24,21,0>>
      func.return %y : !fixedpoint.tensor<1xrange<-24,21,0>>
    }

After:

    func.func @main(%x.0: !cmvm.fx<fixed<1,3,0>>, %x.1: !cmvm.fx<fixed<1,3,0>>) -> !cmvm.fx<range<-24,21,0>> {
      %y = cmvm.matrix [[-2, 3]] (%x.0, %x.1) : (...) -> (!cmvm.fx<range<-24,21,0>>)
      func.return %y : !cmvm.fx<range<-24,21,0>>
    }
"""

from __future__ import annotations

from dataclasses import dataclass
from math import prod

import numpy as np
from xdsl.builder import Builder, InsertPoint
from xdsl.context import Context
from xdsl.dialects import builtin, func
from xdsl.ir import Block, Operation, SSAValue
from xdsl.passes import ModulePass

from ...dialects.cmvm.types import FxType
from ...dialects.fixedpoint import ops as fp
from ...dialects.fixedpoint.types import FixedTensorType
from ...errors import CompileError
from .scalarizer import Lowering, Scalarizer
from .tensor_ops import TENSOR_LOWERINGS
from .window_ops import WINDOW_LOWERINGS

LOWERINGS: dict[type[Operation], Lowering] = {**TENSOR_LOWERINGS, **WINDOW_LOWERINGS}


def scalarize_function(module: builtin.ModuleOp, function: func.FuncOp) -> None:
    old_block = function.body.block
    arg_types: list[FxType] = []
    for arg in old_block.args:
        if not isinstance(arg.type, FixedTensorType):
            raise CompileError(f"fixedpoint-to-cmvm: @{function.sym_name.data}",
                               f"expects !fixedpoint.tensor arguments, found {arg.type}")
        arg_types.extend(FxType(p) for p in arg.type.precision_array().ravel())
    new_block = Block(arg_types=arg_types)
    s = Scalarizer(module, Builder(InsertPoint.at_end(new_block)))
    position = 0
    for index, arg in enumerate(old_block.args):
        size = prod(arg.type.shape)
        scalars = np.empty(size, dtype=object)
        name = arg.name_hint or f"in{index}"
        for j in range(size):
            scalars[j] = new_block.args[position + j]
            scalars[j].name_hint = f"{name}.{j}" if size > 1 else name
        s.values[arg] = scalars.reshape(arg.type.shape)
        position += size
    results: list[SSAValue] = []
    for op in list(old_block.ops):
        if isinstance(op, func.ReturnOp):
            for v in op.arguments:
                results.extend(s.scalars(v).ravel())
            continue
        lowering = LOWERINGS.get(type(op))
        if lowering is None:
            raise CompileError(f"fixedpoint-to-cmvm: '{op.name}'", "this op has no lowering to cmvm")
        s.values[op.results[0]] = lowering(s, op)
    s.emit(func.ReturnOp(*results))
    function.body.detach_block(old_block)
    function.body.add_block(new_block)
    function.function_type = builtin.FunctionType.from_lists(arg_types, [v.type for v in results])


MAX_SCALARS = 20_000_000
"""Most scalar values plus matrix weights one function may scalarize into.  Each becomes
Python objects of ~1 kB, so beyond this the compile would run out of memory."""


def check_size(function: func.FuncOp) -> None:
    """Fail before scalarizing, from the types alone, when the result would not fit."""
    total = sum(prod(a.type.shape) for a in function.body.block.args
                if isinstance(a.type, FixedTensorType))
    for op in function.body.block.ops:
        if isinstance(op, fp.ConstantOp):
            continue
        total += sum(prod(r.type.shape) for r in op.results if isinstance(r.type, FixedTensorType))
        if isinstance(op, fp.DenseOp):
            total += prod(fp.tensor_type(op.weight).shape)
    if total > MAX_SCALARS:
        raise CompileError(f"fixedpoint-to-cmvm: @{function.sym_name.data}",
                           f"the network scalarizes into about {total:,} values and weights; "
                           f"the limit is {MAX_SCALARS:,}: this model is too large to compile")


@dataclass(frozen=True)
class FixedPointToCmvm(ModulePass):
    name = "fixedpoint-to-cmvm"

    def apply(self, ctx: Context, op: builtin.ModuleOp) -> None:
        functions = [f for f in op.body.block.ops if isinstance(f, func.FuncOp)]
        for function in functions:
            check_size(function)
        for function in functions:
            scalarize_function(op, function)
