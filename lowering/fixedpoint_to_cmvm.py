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

from collections.abc import Callable
from dataclasses import dataclass, field
from math import prod

import numpy as np
from xdsl.builder import Builder, InsertPoint
from xdsl.context import Context
from xdsl.dialects import builtin, func
from xdsl.ir import Block, Operation, Region, SSAValue
from xdsl.passes import ModulePass

from ..dialects.cmvm import ops as cmvm
from ..dialects.cmvm.types import FxType, value_interval
from ..dialects.fixedpoint import ops as fp
from ..dialects.fixedpoint.lut_ops import ThresholdOp
from ..dialects.fixedpoint.types import FixedTensorType
from ..errors import CompileError
from ..numerics import Interval
from .threshold_to_lookup import threshold_scalar

Lowering = Callable[["Scalarizer", Operation], np.ndarray]
LOWERINGS: dict[type[Operation], Lowering] = {}


def lowers(*op_types: type[Operation]):
    """Register a function that turns one fixedpoint op into an array of scalar values."""

    def register(fn: Lowering) -> Lowering:
        for op_type in op_types:
            LOWERINGS[op_type] = fn
        return fn

    return register


@dataclass
class Scalarizer:
    """Rewrites one function; ``values`` maps each tensor to its array of scalars."""

    module: builtin.ModuleOp
    builder: Builder
    values: dict[SSAValue, np.ndarray] = field(default_factory=dict)
    kernel_count: int = 0

    def scalars(self, value: SSAValue) -> np.ndarray:
        if isinstance(value.owner, fp.ConstantOp):  # emitted where it is read as a tensor
            return _constant_tensor(self, value)
        return self.values[value]

    def emit(self, op: Operation) -> Operation:
        self.builder.insert(op)
        return op

    def constant(self, m: int, f: int) -> SSAValue:
        return self.emit(cmvm.ConstantOp(int(m), -f)).results[0]

    def matrix(self, inputs: list[SSAValue], w: np.ndarray, shift: int) -> list[SSAValue]:
        """``y = 2**shift * w @ inputs`` for an integer (n_out x n_in) matrix w."""
        n_out = w.shape[0]
        if not inputs:
            return [self.constant(0, 0) for _ in range(n_out)]
        op = self.emit(cmvm.MatrixOp(inputs, w.tolist(), [shift] * n_out, [0] * len(inputs)))
        return list(op.results)

    def shared_matrix(self, rows: np.ndarray, w: np.ndarray, shift: int) -> np.ndarray:
        """Apply one matrix to every row of ``rows`` (positions x n_in scalars).

        Inputs that are the constant 0 (a convolution's padding) drop out with their
        columns of w, so the rows fall into groups by the inputs they really have (a 3x3
        window with padding: the interior, four edges and four corners).  A group of one
        row gets its matrix inline; a larger group shares one kernel function, called
        once per row, whose arguments hold every row's range.
        """
        present = np.array([[not _is_zero(v) for v in row] for row in rows], dtype=bool).reshape(rows.shape)
        out = np.empty((rows.shape[0], w.shape[0]), dtype=object)
        groups: dict[bytes, list[int]] = {}
        for r in range(rows.shape[0]):
            groups.setdefault(present[r].tobytes(), []).append(r)
        for members in groups.values():
            columns = present[members[0]]
            part, wp = rows[np.ix_(members, np.flatnonzero(columns))], w[:, columns]
            if len(members) == 1 or not columns.any():
                for r, row in zip(members, part):
                    out[r] = self.matrix(list(row), wp, shift)
                continue
            kernel = self.kernel_function(part, wp, shift)
            param_types = kernel.function_type.inputs.data
            for r, row in zip(members, part):
                args = [self.widen(v, t) for v, t in zip(row, param_types)]
                call = self.emit(func.CallOp(kernel.sym_name.data, args, kernel.function_type.outputs.data))
                out[r] = list(call.results)
        return out

    def widen(self, value: SSAValue, wider: FxType) -> SSAValue:
        """``value`` as a value of the (containing) type ``wider``: wiring, no logic."""
        if value.type == wider:
            return value
        return self.emit(cmvm.ShiftOp(value, 0, wider)).results[0]

    def kernel_function(self, rows: np.ndarray, w: np.ndarray, shift: int) -> func.FuncOp:
        param_types = [_common_type(rows[:, i]) for i in range(rows.shape[1])]
        block = Block(arg_types=param_types)
        op = cmvm.MatrixOp(list(block.args), w.tolist(), [shift] * w.shape[0], [0] * len(param_types))
        block.add_ops([op, func.ReturnOp(*op.results)])
        name = f"kernel_{self.kernel_count}"
        self.kernel_count += 1
        kernel = func.FuncOp(name, (param_types, list(op.results.types)), Region(block),
                             visibility="private")
        self.module.body.block.add_op(kernel)
        return kernel


def _is_zero(value: SSAValue) -> bool:
    return isinstance(value.owner, cmvm.ConstantOp) and value.owner.value.data == 0


def _common_type(values: np.ndarray) -> FxType:
    """The type of every value if they share one, else the hull of their intervals."""
    types = {v.type for v in values}
    if len(types) == 1:
        return types.pop()
    return FxType(_hull([value_interval(v) for v in values]))


def _hull(intervals: list[Interval]) -> Interval:
    out = intervals[0]
    for x in intervals[1:]:
        out = out.hull(x)
    return out


def _elementwise(s: Scalarizer, fn, *arrays: np.ndarray) -> np.ndarray:
    out = np.empty(arrays[0].shape, dtype=object)
    flat = [a.ravel() for a in arrays]
    out_flat = out.reshape(-1)
    for index in range(out.size):
        out_flat[index] = s.emit(fn(*(a[index] for a in flat))).results[0]
    return out


def _constant_tensor(s: Scalarizer, value: SSAValue) -> np.ndarray:
    owner = value.owner
    assert isinstance(owner, fp.ConstantOp)
    f = owner.value.data.f
    return np.frompyfunc(lambda m: s.constant(m, f), 1, 1)(owner.mantissas())


@lowers(fp.ConstantOp)
def lower_constant(s: Scalarizer, op: fp.ConstantOp) -> np.ndarray:
    # Emitted lazily by the ops that read it as a tensor; matrices read the attribute.
    return np.empty(fp.tensor_type(op.result).shape, dtype=object)


@lowers(fp.DenseOp)
def lower_dense(s: Scalarizer, op: fp.DenseOp) -> np.ndarray:
    x = s.scalars(op.input)
    w, f_w = fp.constant_values(op.weight, "weight", op)
    rows = x.reshape(-1, x.shape[-1])
    y = s.shared_matrix(rows, w.T, -f_w)
    if op.bias is not None:
        b, f_b = fp.constant_values(op.bias, "bias", op)
        bias = [None if m == 0 else s.constant(m, f_b) for m in b]
        for r in range(y.shape[0]):
            for j, c in enumerate(bias):
                if c is not None:
                    y[r, j] = s.emit(cmvm.AddOp(y[r, j], c)).results[0]
    return y.reshape(x.shape[:-1] + (w.shape[1],))


def _operands(s: Scalarizer, op: fp.ElementwiseBinaryOp) -> tuple[np.ndarray, np.ndarray]:
    def read(v: SSAValue) -> np.ndarray:
        return _constant_tensor(s, v) if isinstance(v.owner, fp.ConstantOp) else s.scalars(v)

    return read(op.lhs), read(op.rhs)


SCALAR_COUNTERPARTS = {fp.AddOp: cmvm.AddOp, fp.SubOp: cmvm.SubOp, fp.MaxOp: cmvm.MaxOp,
                       fp.MinOp: cmvm.MinOp}


@lowers(*SCALAR_COUNTERPARTS)
def lower_elementwise(s: Scalarizer, op: fp.ElementwiseBinaryOp) -> np.ndarray:
    return _elementwise(s, SCALAR_COUNTERPARTS[type(op)], *_operands(s, op))


@lowers(fp.MulOp)
def lower_mul(s: Scalarizer, op: fp.MulOp) -> np.ndarray:
    c, f = fp.constant_values(op.rhs, "right operand", op)
    x = s.scalars(op.lhs)
    out = np.empty(x.shape, dtype=object)
    for index in np.ndindex(x.shape):
        out[index] = s.matrix([x[index]], np.array([[c[index]]], dtype=object), -f)[0]
    return out


@lowers(fp.ReluOp)
def lower_relu(s: Scalarizer, op: fp.ReluOp) -> np.ndarray:
    return _elementwise(s, cmvm.ReluOp, s.scalars(op.input))


@lowers(fp.QuantizeOp)
def lower_quantize(s: Scalarizer, op: fp.QuantizeOp) -> np.ndarray:
    rounding, overflow = op.rounding.data, op.overflow.data
    return _elementwise(
        s, lambda x, fmt: cmvm.QuantizeOp(x, fmt, rounding, overflow),
        s.scalars(op.input), op.formats(),
    )


@lowers(fp.ReshapeOp)
def lower_reshape(s: Scalarizer, op: fp.ReshapeOp) -> np.ndarray:
    return s.scalars(op.input).reshape(fp.tensor_type(op.result).shape)


@lowers(fp.TransposeOp)
def lower_transpose(s: Scalarizer, op: fp.TransposeOp) -> np.ndarray:
    return s.scalars(op.input).transpose(op.perm())


@lowers(fp.ConcatOp)
def lower_concat(s: Scalarizer, op: fp.ConcatOp) -> np.ndarray:
    return np.concatenate([s.scalars(v) for v in op.inputs], axis=op.axis.value.data)


@lowers(ThresholdOp)
def lower_threshold(s: Scalarizer, op: ThresholdOp) -> np.ndarray:
    x = s.scalars(op.input)
    t = op.threshold_array().reshape(x.size, -1)
    v = op.value_array().reshape(x.size, -1)
    f_t, f_v = op.thresholds.data.f, op.values.data.f
    flat = [threshold_scalar(s.emit, xe, t[e], f_t, v[e], f_v) for e, xe in enumerate(x.ravel())]
    out = np.empty(x.size, dtype=object)
    out[:] = flat
    return out.reshape(x.shape)


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


from . import window_ops_to_cmvm  # noqa: E402,F401  (registers conv, pooling, lookup)
