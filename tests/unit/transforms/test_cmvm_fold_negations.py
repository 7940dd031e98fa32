"""cmvm-fold-negations: the same bits on random inputs, never more negation width, and
the negations between chained adder graphs absorbed."""

import numpy as np
import pytest
from xdsl.dialects.builtin import ModuleOp

from fpga_opt.dialects.cmvm import ops
from fpga_opt.dialects.cmvm.types import value_interval
from fpga_opt.numerics import Format

from ..dialects.cmvm.helpers import apply, chained_matrices_module, random_inputs, run
from .test_cmvm_passes_exact import random_formats, random_matrix


def negation_width(module: ModuleOp) -> int:
    return sum(value_interval(op.input).width for op in module.walk() if isinstance(op, ops.NegOp))


def same_bits(a, b) -> bool:
    return all(x.f == y.f and np.array_equal(x.mantissas, y.mantissas) for x, y in zip(a, b))


@pytest.mark.parametrize("seed", range(12))
def test_folding_keeps_every_bit_and_never_adds_negation(seed):
    rng = np.random.default_rng(seed)
    n_in, n_mid, n_out = (int(v) for v in rng.integers(2, 9, size=3))
    w1 = random_matrix(rng, n_mid, n_in, int(rng.integers(2, 8)))
    w1[-1] = -w1[0]  # a negated output: the optimizer emits a neg for it
    w2 = random_matrix(rng, n_out, n_mid, int(rng.integers(2, 6)))
    formats = random_formats(rng, n_in)
    optimized = apply(chained_matrices_module([w1, w2], formats), "cmvm-optimize{effort=fast}")
    folded = apply(optimized, "cmvm-fold-negations")
    x = random_inputs(rng, formats, 200)
    assert same_bits(run(folded, formats, x), run(optimized, formats, x))
    assert negation_width(folded) <= negation_width(optimized)


def test_a_negated_output_feeding_adders_costs_no_negation():
    w1 = np.array([[3, -5], [-3, 5]])  # y1 = -y0
    w2 = np.array([[1, 2]])  # z = y0 + 2 y1 = -y0: y1 enters an adder
    formats = [Format(1, 7, 0), Format(1, 3, 2)]
    optimized = apply(chained_matrices_module([w1, w2], formats), "cmvm-optimize{effort=fast}")
    folded = apply(optimized, "cmvm-fold-negations")
    assert negation_width(optimized) > 0
    assert negation_width(folded) == 0
    x = random_inputs(np.random.default_rng(0), formats, 100)
    assert same_bits(run(folded, formats, x), run(optimized, formats, x))
