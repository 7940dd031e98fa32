"""cmvm-fold-negations' quick feasibility test of an adder (``Signs.adder_feasible``, what
the sign search asks most) agrees with the terms it offers (``Signs.adder_terms``) for every
sign of the adder's result and operands, constants included."""

import itertools

import numpy as np
import pytest

from fpga_opt.dialects.cmvm import ops
from fpga_opt.transforms.cmvm_fold_negations import ADDERS, Signs

from ..dialects.cmvm.helpers import apply, chained_matrices_module
from .test_cmvm_passes_exact import random_formats, random_matrix


@pytest.mark.parametrize("seed", range(4))
def test_feasible_exactly_when_some_terms_are_offered(seed):
    rng = np.random.default_rng(seed)
    w1 = random_matrix(rng, 4, 3, 5)
    w2 = random_matrix(rng, 3, 4, 4)
    module = apply(chained_matrices_module([w1, w2], random_formats(rng, 3)), "cmvm-optimize{effort=fast}")
    adders = [op for op in module.walk() if isinstance(op, ADDERS)]
    # an adder with a constant operand, as a bias gives
    x = adders[0].lhs
    constant = ops.ConstantOp(3, 1)
    with_constant = ops.AddOp(x, constant.result, 0)
    checked = 0
    for op in [*adders, with_constant]:
        values = [op.results[0], op.lhs, op.rhs]
        for signs in itertools.product((1, -1), repeat=3):
            chosen = Signs()
            for value, sign in zip(values, signs):
                if sign < 0:
                    chosen.flip(value)
            assert chosen.adder_feasible(op) == bool(chosen.adder_terms(op))
            checked += 1
    assert checked == 8 * (len(adders) + 1)
