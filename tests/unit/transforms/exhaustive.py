"""Run a tiny fixedpoint function on every possible input and compare with inferred ranges.

``check_exhaustively(arg_types, body)`` builds ``func.func @f(args) { return body(args) }``
with the ops' own builders, runs ``fixedpoint-infer-precision`` on it, enumerates every
combination of every element's every value in one interpreter batch, and checks that each
output element's exact minimum and maximum are the ends of its inferred interval, and that
every output value lies on that interval's grid.
"""

import itertools
from collections.abc import Callable, Sequence

import numpy as np
from xdsl.builder import ImplicitBuilder
from xdsl.context import Context
from xdsl.dialects import func
from xdsl.dialects.builtin import FunctionType, ModuleOp

from fpga_opt.dialects.fixedpoint.types import FixedTensorType
from fpga_opt.interpreters.fixedpoint import Fixed, run_function
from fpga_opt.numerics import Interval
from fpga_opt.transforms.fixedpoint_infer_precision import FixedPointInferPrecision

from ..reference import value

MAX_BATCH = 20_000


def build(arg_types: Sequence[FixedTensorType], body: Callable) -> ModuleOp:
    function = func.FuncOp("f", (list(arg_types), []))
    with ImplicitBuilder(function.body) as args:
        results = body(*args)
        func.ReturnOp(*results)
    function.function_type = FunctionType.from_lists(list(arg_types), [r.type for r in results])
    return ModuleOp([function])


def element_values(t: FixedTensorType) -> tuple[int, list[list[int]]]:
    """A common exponent f and, per element (row-major), all its mantissas at f."""
    intervals = list(t.interval_array().ravel())
    f = max((iv.f for iv in intervals), default=0)
    return f, [[m << (f - iv.f) for m in range(iv.lo, iv.hi + 1)] for iv in intervals]


def all_inputs(arg_types: Sequence[FixedTensorType]) -> list[Fixed]:
    exponents, choices = [], []
    for t in arg_types:
        f, per_element = element_values(t)
        exponents.append(f)
        choices.extend(per_element)
    count = int(np.prod([len(c) for c in choices]))
    assert count <= MAX_BATCH, f"{count} input combinations is too many for one test"
    rows = np.empty((count, len(choices)), dtype=object)
    for r, combination in enumerate(itertools.product(*choices)):
        rows[r, :] = combination
    inputs, start = [], 0
    for t, f in zip(arg_types, exponents):
        columns = rows[:, start : start + t.size]
        inputs.append(Fixed(columns.reshape((count,) + t.shape), f))
        start += t.size
    return inputs


def check_exhaustively(arg_types: Sequence[FixedTensorType], body: Callable) -> ModuleOp:
    module = build(arg_types, body)
    FixedPointInferPrecision().apply(Context(), module)
    module.verify()
    function = next(op for op in module.walk() if isinstance(op, func.FuncOp))
    outputs = run_function(module, all_inputs(arg_types))
    for out, result_type in zip(outputs, function.function_type.outputs.data):
        assert isinstance(result_type, FixedTensorType)
        inferred = result_type.interval_array()
        assert out.mantissas.shape[1:] == inferred.shape
        columns = out.mantissas.reshape(out.mantissas.shape[0], -1)
        for j, interval in enumerate(inferred.ravel()):
            check_element(columns[:, j].tolist(), out.f, interval, j)
    return module


def check_element(mantissas: list[int], f: int, interval: Interval, index: int) -> None:
    lo, hi = min(mantissas), max(mantissas)
    exact = (value(lo, f), value(hi, f))
    inferred = (value(interval.lo, interval.f), value(interval.hi, interval.f))
    assert inferred == exact, f"element {index}: inferred {interval}, exact {exact}"
    if f > interval.f:  # every value must be a multiple of the interval's resolution
        grain = 1 << (f - interval.f)
        off_grid = [m for m in mantissas if m % grain]
        assert not off_grid, f"element {index}: {value(off_grid[0], f)} is off {interval}'s grid"
