"""Differential testing, short version (bench/differential.py is the long one): random
quantized MLPs built as fixedpoint IR give the same bits in the fixedpoint interpreter,
the cmvm interpreter before and after cmvm-optimize, the rtl interpreter combinational and
pipelined at cutoffs 1, 2, 3, and (for a few) Verilator."""

import numpy as np
import pytest
from xdsl.context import Context

from fpga_opt.verification.verilator_sim import verilator_available
from fpga_opt.interpreters.fixedpoint import Fixed
from fpga_opt.testing.differential import _mismatching_rows, run_differential
from fpga_opt.testing.networks import NetworkSpec, random_inputs, random_mlp
from fpga_opt.transforms.fixedpoint_infer_precision import FixedPointInferPrecision

STAGES = ["cmvm", "cmvm-optimized", "rtl", "rtl-cutoff1", "rtl-cutoff2", "rtl-cutoff3"]


def network(seed: int, batch: int):
    rng = np.random.default_rng(seed)
    spec = NetworkSpec.random(rng, max_width=8, max_layers=3)
    module = random_mlp(rng, spec)
    FixedPointInferPrecision().apply(Context(), module)
    return module, random_inputs(rng, module, batch), spec


@pytest.mark.parametrize("seed", range(14))
def test_every_stage_agrees(seed):
    module, x, spec = network(seed, 600)
    results = run_differential(module, x)
    assert [r.stage for r in results] == STAGES
    bad = {r.stage: r.mismatches for r in results if r.mismatches}
    assert not bad, f"{spec}: mismatching vectors per stage {bad}"


@pytest.mark.verilator
@pytest.mark.skipif(not verilator_available(), reason="Verilator or a C++ compiler is missing")
@pytest.mark.parametrize("seed", [3, 8])
def test_verilator_agrees(seed):
    module, x, spec = network(seed, 3000)
    results = run_differential(module, x, cutoffs=(2,), verilator=(0, 2))
    assert {r.stage for r in results} >= {"verilator", "verilator-cutoff2"}
    bad = {r.stage: r.mismatches for r in results if r.mismatches}
    assert not bad, f"{spec}: mismatching vectors per stage {bad}"


def test_a_changed_bit_is_counted():
    want = [(np.array([1, 2, 3, 4]), 1), (np.array([0, 0, 0, 0]), 0)]
    same_value_other_f = [(np.array([2, 4, 6, 8]), 2), (np.array([0, 0, 0, 0]), 3)]
    assert _mismatching_rows(same_value_other_f, want) == 0
    flipped = [(np.array([1, 2, 3, 5]), 1), (np.array([0, 1, 0, 0]), 0)]
    assert _mismatching_rows(flipped, want) == 2


def test_inputs_cover_each_element_range():
    module, x, _ = network(5, 200)
    (arg,) = next(iter(module.ops)).args
    for index, iv in np.ndenumerate(arg.type.interval_array()):
        column = x.mantissas[(slice(None),) + index] // (1 << (x.f - iv.f))
        assert column.min() == iv.lo and column.max() == iv.hi
    assert isinstance(x, Fixed)


@pytest.mark.parametrize("seed", [1, 2, 3, 5])
def test_small_cnns_agree(seed):
    """conv (strides, padding) -> relu -> quantize [-> maxpool] -> dense, every stage."""
    from fpga_opt.testing.networks import random_cnn

    rng = np.random.default_rng(seed)
    module = random_cnn(rng)
    FixedPointInferPrecision().apply(Context(), module)
    results = run_differential(module, random_inputs(rng, module, 400))
    assert [r.stage for r in results] == STAGES
    assert not {r.stage: r.mismatches for r in results if r.mismatches}
