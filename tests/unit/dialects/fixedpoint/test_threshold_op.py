"""fixedpoint.threshold: the interpreter against a direct per-element evaluation, and the
inferred result intervals against every reachable output (small and huge mantissas)."""

import numpy as np
import pytest
from xdsl.dialects import builtin, func
from xdsl.ir import Block, Region

from fpga_opt.dialects.fixedpoint.lut_ops import ThresholdOp
from fpga_opt.dialects.fixedpoint.types import FixedTensorType
from fpga_opt.interpreters.fixedpoint import Fixed, run_function
from fpga_opt.numerics import Format


def build(fmt: Format, shape, thresholds, f_t, values, f_v):
    block = Block(arg_types=[FixedTensorType(shape, fmt)])
    op = ThresholdOp(block.args[0], thresholds, f_t, values, f_v)
    block.add_ops([op, func.ReturnOp(op.results[0])])
    function = func.FuncOp("main", ([block.args[0].type], [op.results[0].type]), Region(block))
    module = builtin.ModuleOp([function])
    module.verify()
    return module, op


def direct(x, f_x, thresholds, f_t, values):
    """y[e] = values[e][#{t : x[e] >= T[e][t]}], comparing exactly as fractions."""
    out = np.empty(x.shape, dtype=object)
    for index in np.ndindex(x.shape):
        e = index[1:]
        count = sum(1 for t in thresholds[e] if x[index] * 2**f_t >= t * 2**f_x)
        out[index] = values[e][count]
    return out


@pytest.mark.parametrize("big", [False, True])
def test_threshold_matches_direct_evaluation(big):
    rng = np.random.default_rng(3)
    shape, n = (3, 4), 5
    fmt = Format(1, 70, 2) if big else Format(1, 9, 2)
    lo, hi = fmt.interval().lo, fmt.interval().hi
    thresholds = np.sort(rng.integers(-600, 600, shape + (n,)), axis=-1).astype(object)
    values = rng.integers(-9, 9, shape + (n + 1,)).astype(object)
    if big:
        thresholds = thresholds * (1 << 66)
        values = values * (1 << 65) + 1
    module, op = build(fmt, shape, thresholds, 1, values, 3)
    x = rng.integers(-1000, 1000, (200,) + shape).astype(object)
    if big:
        x = x * (1 << 67)
    x = np.clip(x, lo, hi)
    (y,) = run_function(module, [Fixed.from_mantissas(x, fmt.f)])
    assert y.f == 3
    assert np.array_equal(y.mantissas, direct(x, fmt.f, thresholds, 1, values))
    bounds = op.result_intervals()
    for index in np.ndindex(y.mantissas.shape):
        b = bounds[index[1:]].at(3)
        assert b.lo <= y.mantissas[index] <= b.hi
