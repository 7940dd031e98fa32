"""A threshold op is lowered to a table or to comparators, whichever the LUT estimate
prefers; a table past the ROM limit is never built, so a wide threshold never fails.
Both forms give the fixedpoint interpreter's bits in the cmvm, optimized cmvm, rtl and
pipelined rtl interpreters (testing/differential.py)."""

import numpy as np
import pytest
from xdsl.context import Context
from xdsl.dialects import builtin, func
from xdsl.ir import Block, Region

from fpga_opt.dialects.cmvm import ops as cmvm
from fpga_opt.dialects.fixedpoint.lut_ops import ThresholdOp
from fpga_opt.dialects.fixedpoint.types import FixedTensorType
from fpga_opt.interpreters.fixedpoint import Fixed
from fpga_opt.lowering.fixedpoint_to_cmvm import FixedPointToCmvm
from fpga_opt.lowering.fixedpoint_to_cmvm.thresholds import comparator_luts, table_luts
from fpga_opt.numerics import Format
from fpga_opt.testing.differential import run_differential
from fpga_opt.transforms.fixedpoint_infer_precision import FixedPointInferPrecision


def threshold_module(fmt: Format, thresholds: np.ndarray, f_t: int, values: np.ndarray, f_v: int):
    n = thresholds.shape[-1]
    shape = thresholds.shape[:-1]
    block = Block(arg_types=[FixedTensorType(shape, fmt)])
    op = ThresholdOp(block.args[0], thresholds, f_t, values.reshape(shape + (n + 1,)), f_v)
    block.add_ops([op, func.ReturnOp(op.results[0])])
    function = func.FuncOp("main", ([block.args[0].type], [op.results[0].type]), Region(block))
    module = builtin.ModuleOp([function])
    FixedPointInferPrecision().apply(Context(), module)
    module.verify()
    return module


def lowered_ops(module) -> set[str]:
    module = module.clone()
    FixedPointToCmvm().apply(Context(), module)
    return {op.name for op in module.walk()}


def wide_case(rng, elements=3, n=3):
    """Thresholds spread over a 20-bit input at full resolution: a table of ~2^19
    entries (what the UNSW-NB15 MLP asks for at a wide input precision)."""
    t = np.sort(rng.integers(-(1 << 19), 1 << 19, (elements, n)), axis=1)
    v = np.sort(rng.integers(-3, 4, (elements, n + 1)), axis=1)
    return Format(1, 12, 8), t, 8, v, 0


def narrow_case(rng, elements=3, n=3):
    t = np.sort(rng.integers(-6, 7, (elements, n)), axis=1)
    v = np.sort(rng.integers(-3, 4, (elements, n + 1)), axis=1)
    return Format(1, 3, 0), t, 0, v, 0


def inputs(rng, fmt: Format, t: np.ndarray, batch: int) -> Fixed:
    """Random inputs of the format, a third of them on or next to a threshold."""
    lo, hi = -(1 << (fmt.i + fmt.f)), (1 << (fmt.i + fmt.f)) - 1
    m = rng.integers(lo, hi + 1, (batch,) + t.shape[:-1])
    near = t[np.arange(t.shape[0]), rng.integers(0, t.shape[1], (batch, t.shape[0]))]
    near = np.clip(near + rng.integers(-1, 2, near.shape), lo, hi)
    pick = rng.random(m.shape) < 0.35
    return Fixed(np.where(pick, near, m).astype(np.int64), fmt.f)


@pytest.mark.parametrize("seed", range(4))
def test_wide_threshold_becomes_comparators_and_is_exact(seed):
    rng = np.random.default_rng(seed)
    fmt, t, f_t, v, f_v = wide_case(rng)
    module = threshold_module(fmt, t, f_t, v, f_v)
    ops = lowered_ops(module)
    assert "cmvm.lookup" not in ops and "cmvm.matrix" in ops
    results = run_differential(module, inputs(rng, fmt, t, 3000), cutoffs=(1,))
    assert not {r.stage: r.mismatches for r in results if r.mismatches}


@pytest.mark.parametrize("seed", range(4))
def test_narrow_threshold_stays_a_table_and_is_exact(seed):
    rng = np.random.default_rng(100 + seed)
    fmt, t, f_t, v, f_v = narrow_case(rng)
    module = threshold_module(fmt, t, f_t, v, f_v)
    assert "cmvm.lookup" in lowered_ops(module)
    results = run_differential(module, inputs(rng, fmt, t, 2000), cutoffs=(1,))
    assert not {r.stage: r.mismatches for r in results if r.mismatches}


def test_repeated_thresholds_and_flat_steps():
    """Padding repeats the last threshold; equal neighbouring values make a step vanish."""
    t = np.array([[-5000, 7, 7, 90000, 90000]])
    v = np.array([[0, 1, 1, 3, 3, 3]])
    module = threshold_module(Format(1, 18, 0), t, 0, v, 0)
    rng = np.random.default_rng(7)
    results = run_differential(module, inputs(rng, Format(1, 18, 0), t, 2000), cutoffs=(1,))
    assert not {r.stage: r.mismatches for r in results if r.mismatches}


def test_the_estimate_picks_the_cheaper_form():
    # 3 thresholds over 2^20 values: the table is out of reach, comparators cost ~70 LUTs
    assert table_luts(-(1 << 20), 1 << 20, [-(1 << 19), 0, 1 << 19], 2) is None
    steps = [(-(1 << 19), 1), (0, 1), (1 << 19, 1)]
    assert comparator_luts(-(1 << 20), 1 << 20, steps, 2) < 100
    # 15 thresholds over 16 values: one small ROM beats 15 subtractions
    t = list(range(-7, 8))
    assert table_luts(-8, 7, t, 4) < comparator_luts(-8, 7, [(u, 1) for u in t], 4)
