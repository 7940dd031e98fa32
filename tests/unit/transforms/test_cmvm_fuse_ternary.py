"""cmvm-fuse-ternary: random adder graphs give the same bits before and after fusion,
every fusion removes one adder, and no fused-away value had another use."""

import numpy as np
import pytest

from fpga_opt.dialects.cmvm import ops

from ..dialects.cmvm.helpers import apply, chained_matrices_module, random_inputs, run
from .test_cmvm_fold_negations import same_bits
from .test_cmvm_passes_exact import random_formats, random_matrix


def count(module, kind) -> int:
    return sum(isinstance(op, kind) for op in module.walk())


@pytest.mark.parametrize("seed", range(16))
def test_fusion_keeps_every_bit(seed):
    rng = np.random.default_rng(seed)
    n_in, n_mid, n_out = (int(v) for v in rng.integers(2, 9, size=3))
    w1 = random_matrix(rng, n_mid, n_in, int(rng.integers(2, 8)))
    w2 = random_matrix(rng, n_out, n_mid, int(rng.integers(2, 6)))
    formats = random_formats(rng, n_in)
    optimized = apply(chained_matrices_module([w1, w2], formats), "cmvm-optimize{effort=fast},cmvm-fold-negations")
    fused = apply(optimized, "cmvm-fuse-ternary")
    adders = count(optimized, ops.ADDER_OPS)
    ternary = count(fused, ops.TernaryAddOp)
    chained = any(len(list(op.result.uses)) == 1 and isinstance(next(iter(op.result.uses)).operation, ops.ADDER_OPS)
                  for op in optimized.walk() if isinstance(op, ops.ADDER_OPS))
    assert (ternary > 0) == chained
    assert count(fused, ops.ADDER_OPS) + 2 * ternary == adders
    x = random_inputs(rng, formats, 300)
    assert same_bits(run(fused, formats, x), run(optimized, formats, x))


def test_fusing_twice_changes_nothing():
    rng = np.random.default_rng(7)
    formats = random_formats(rng, 6)
    w = random_matrix(rng, 5, 6, 6)
    once = apply(apply(chained_matrices_module([w], formats), "cmvm-optimize{effort=fast}"), "cmvm-fuse-ternary")
    twice = apply(once, "cmvm-fuse-ternary")
    assert str(once) == str(twice)
