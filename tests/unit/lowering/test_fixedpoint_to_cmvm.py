"""fixedpoint-to-cmvm keeps every bit: the fixedpoint interpreter on the tensor IR and the
cmvm interpreter on the scalarized IR agree on random networks and random inputs."""

import numpy as np
import pytest
from xdsl.context import Context

from fpga_opt.interpreters import cmvm as cmvm_interp
from fpga_opt.interpreters.fixedpoint import Fixed, run_function
from fpga_opt.lowering.fixedpoint_to_cmvm import FixedPointToCmvm
from fpga_opt.testing.networks import NetworkSpec, random_inputs, random_mlp
from fpga_opt.transforms.fixedpoint_infer_precision import FixedPointInferPrecision


@pytest.mark.parametrize("seed", range(12))
def test_random_networks_are_bit_exact(seed):
    rng = np.random.default_rng(seed)
    module = random_mlp(rng, NetworkSpec.random(rng))
    FixedPointInferPrecision().apply(Context(), module)
    module.verify()
    x = random_inputs(rng, module, 500)
    (expected,) = run_function(module, [x])

    FixedPointToCmvm().apply(Context(), module)
    module.verify()
    flat = x.mantissas.reshape(x.mantissas.shape[0], -1)
    outputs = cmvm_interp.run_function(module, [Fixed(flat[:, j], x.f) for j in range(flat.shape[1])])
    got = np.stack([o.mantissas for o in outputs], axis=1)
    f = max(o.f for o in outputs)
    got = np.stack([o.mantissas * (1 << (f - o.f)) for o in outputs], axis=1).astype(object)
    want = expected.at(max(f, expected.f)).reshape(expected.mantissas.shape[0], -1)
    assert np.array_equal(got * (1 << (max(f, expected.f) - f)), want)
