"""fixedpoint-fold-rounding keeps every bit and removes every foldable RND quantizer."""

import numpy as np
import pytest
from xdsl.context import Context

from fpga_opt.dialects.fixedpoint import ops as fp
from fpga_opt.interpreters.fixedpoint import run_function
from fpga_opt.numerics import Rounding
from fpga_opt.testing.networks import NetworkSpec, random_inputs, random_mlp
from fpga_opt.transforms.fixedpoint_fold_rounding import FixedPointFoldRounding
from fpga_opt.transforms.fixedpoint_infer_precision import FixedPointInferPrecision


@pytest.mark.parametrize("seed", range(20))
def test_folding_is_bit_exact(seed):
    rng = np.random.default_rng(100 + seed)
    module = random_mlp(rng, NetworkSpec.random(rng))
    FixedPointInferPrecision().apply(Context(), module)
    x = random_inputs(rng, module, 3000)
    (before,) = run_function(module, [x])
    FixedPointFoldRounding().apply(Context(), module)
    FixedPointInferPrecision().apply(Context(), module)
    module.verify()
    (after,) = run_function(module, [x])
    assert before.exact_equal(after)
    # quantizers fed through a max with a constant may keep RND; relu-fed ones fold
    for op in module.walk():
        if isinstance(op, fp.QuantizeOp) and isinstance(op.input.owner, fp.ReluOp):
            assert op.rounding.data is not Rounding.RND
