"""Shared by the window-op tests: build one-op functions, enumerate inputs, naive references."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from fractions import Fraction

import numpy as np
from xdsl.dialects import builtin, func
from xdsl.dialects.builtin import FunctionType
from xdsl.ir import Block, Operation, Region, SSAValue

from fpga_opt.dialects.fixedpoint.ops import ConstantOp
from fpga_opt.dialects.fixedpoint.types import FixedTensorType
from fpga_opt.interpreters.fixedpoint import Fixed, run_function


def one_op_module(input_type: FixedTensorType,
                  build: Callable[[SSAValue, Callable[[Operation], Operation]], Operation]):
    """A module with ``func @main(%x: input_type)`` returning the op that ``build`` makes."""
    block = Block(arg_types=[input_type])
    ops: list[Operation] = []

    def emit(op: Operation) -> Operation:
        ops.append(op)
        return op

    result = emit(build(block.args[0], emit))
    block.add_ops(ops + [func.ReturnOp(result.results[0])])
    function = func.FuncOp("main", FunctionType.from_lists([input_type], [result.results[0].type]),
                           Region(block))
    module = builtin.ModuleOp([function])
    module.verify()
    return module, result


def constant(emit, mantissas: np.ndarray, f: int) -> SSAValue:
    return emit(ConstantOp(np.asarray(mantissas, dtype=object), f)).results[0]


def all_inputs(input_type: FixedTensorType) -> Fixed:
    """Every input the type admits (product of the per-element value sets), one per row."""
    intervals = input_type.interval_array().ravel()
    f = max(x.f for x in intervals)
    choices = [range(x.at(f).lo, x.at(f).hi + 1, 1 << (f - x.f)) for x in intervals]
    rows = np.array(list(itertools.product(*choices)), dtype=object)
    return Fixed(rows.reshape((len(rows),) + input_type.shape), f)


def random_inputs(input_type: FixedTensorType, n: int, rng: np.random.Generator) -> Fixed:
    intervals = input_type.interval_array().ravel()
    f = max(x.f for x in intervals)
    columns = [
        [int(v) << (f - x.f) for v in rng.integers(x.lo, x.hi + 1, size=n)] for x in intervals
    ]
    rows = np.array(columns, dtype=object).T
    return Fixed(rows.reshape((n,) + input_type.shape), f)


def run(module, x: Fixed) -> Fixed:
    (y,) = run_function(module, [x], name="main")
    return y


def assert_bounds_are_exact(result_op: Operation, y: Fixed) -> None:
    """The interpreter's per-element min and max over all inputs equal the inferred interval."""
    inferred = result_op.results[0].type.interval_array()
    f = max([y.f] + [x.f for x in inferred.ravel()])
    values = y.at(f)
    for index in np.ndindex(*inferred.shape):
        exact = inferred[index].at(f)
        column = values[(slice(None),) + index]
        assert (min(column), max(column)) == (exact.lo, exact.hi), (index, inferred[index])


def as_fractions(x: Fixed) -> np.ndarray:
    scale = Fraction(2) ** -x.f
    out = np.empty(x.mantissas.size, dtype=object)
    out[:] = [int(m) * scale for m in x.mantissas.ravel()]
    return out.reshape(x.mantissas.shape)


def window_positions(n: int, kernel: int, stride: int, pad_begin: int, pad_end: int,
                     dilation: int = 1) -> list[list[int]]:
    """ONNX window semantics written out: for each output, its input indices (pads: -1)."""
    out = []
    start = -pad_begin
    while start + dilation * (kernel - 1) <= n - 1 + pad_end:
        out.append([start + t * dilation if 0 <= start + t * dilation < n else -1
                    for t in range(kernel)])
        start += stride
    return out


def naive_conv(x: np.ndarray, w: np.ndarray, b: np.ndarray | None, strides: Sequence[int],
               pads: Sequence[int], dilations: Sequence[int], groups: int) -> np.ndarray:
    """Direct loops over (batch, out channel, out position, in channel, tap) on Fractions."""
    rank = w.ndim - 2
    spatial = x.shape[2:]
    per_axis = [window_positions(spatial[a], w.shape[2 + a], strides[a], pads[a], pads[rank + a],
                                 dilations[a]) for a in range(rank)]
    out_shape = tuple(len(p) for p in per_axis)
    o_per_group = w.shape[0] // groups
    y = np.empty((x.shape[0], w.shape[0]) + out_shape, dtype=object)
    for n in range(x.shape[0]):
        for o in range(w.shape[0]):
            g = o // o_per_group
            for pos in itertools.product(*(range(s) for s in out_shape)):
                total = Fraction(b[o]) if b is not None else Fraction(0)
                for c in range(w.shape[1]):
                    for tap in itertools.product(*(range(k) for k in w.shape[2:])):
                        idx = [per_axis[a][pos[a]][tap[a]] for a in range(rank)]
                        if min(idx) >= 0:
                            total += x[(n, g * w.shape[1] + c) + tuple(idx)] * w[(o, c) + tap]
                y[(n, o) + pos] = total
    return y


def naive_pool(x: np.ndarray, kernel: Sequence[int], strides: Sequence[int],
               pads: Sequence[int], reduce: Callable[[list], Fraction]) -> np.ndarray:
    """Pool the last len(kernel) axes of a (batch, ...) Fraction array; reduce gets the
    window's in-image elements and the window size."""
    rank = len(kernel)
    spatial = x.shape[x.ndim - rank:]
    per_axis = [window_positions(spatial[a], kernel[a], strides[a], pads[a], pads[rank + a])
                for a in range(rank)]
    out_shape = tuple(len(p) for p in per_axis)
    lead = x.shape[: x.ndim - rank]
    y = np.empty(lead + out_shape, dtype=object)
    for outer in np.ndindex(*lead):
        for pos in itertools.product(*(range(s) for s in out_shape)):
            elements = [x[outer + idx] for idx in itertools.product(
                *(per_axis[a][pos[a]] for a in range(rank))) if min(idx) >= 0]
            y[outer + pos] = reduce(elements)
    return y
