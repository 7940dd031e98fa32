"""The Xilinx-primitive Verilog flavours are proved equal to the generic Verilog (Yosys
miter + ABC), on a random network compiled with three-input adders; a wrong LUT
function is caught."""

import shutil

import numpy as np
import pytest
from xdsl.context import Context

from fpga_opt.backends import xilinx_primitives
from fpga_opt.dialects import rtl
from fpga_opt.interpreters.rtl import single_module
from fpga_opt.testing.networks import NetworkSpec, random_mlp
from fpga_opt.transforms.compile import Compile
from fpga_opt.verification.flavours import prove_flavours_equal

pytestmark = pytest.mark.skipif(shutil.which("yosys") is None or shutil.which("yosys-abc") is None,
                                reason="Yosys is not installed")


def ternary_hardware(seed: int, cutoff: int = 0):
    rng = np.random.default_rng(seed)
    module = random_mlp(rng, NetworkSpec.random(rng))
    Compile(ternary=True, cutoff=cutoff).apply(Context(), module)
    hardware = single_module(module)
    assert any(isinstance(op, rtl.TernaryAddOp) for op in hardware.block.ops)
    return hardware


@pytest.mark.parametrize("arch", ["xc7", "xcu"])
def test_primitive_flavour_equals_generic(arch):
    assert prove_flavours_equal(ternary_hardware(2, cutoff=1), arch)


def test_a_wrong_lut_is_caught(monkeypatch):
    right = xilinx_primitives.lut_init
    monkeypatch.setattr(xilinx_primitives, "lut_init", lambda nb, nc: right(nb, nc) ^ (1 << 40))
    assert not prove_flavours_equal(ternary_hardware(2), "xc7")
