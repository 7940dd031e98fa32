"""Names that are HDL keywords: the rtl dialect accepts any identifier, and the printers
legalize them (backends/verilog_names.py for Verilog, backends/vhdl.py for VHDL).  The
Verilog lints clean and simulates bit-exactly under Verilator, with the Verilator harness,
the project wrapper and the equivalence miter using the printed port names; the VHDL
analyses under GHDL."""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np
import pytest
from xdsl.parser import Parser

from fpga_opt.backends.testbench import wrapper_verilog
from fpga_opt.backends.verilog import emit_verilog
from fpga_opt.backends.verilog_names import VERILOG_KEYWORDS, legal_verilog_name, verilog_interface
from fpga_opt.backends.vhdl import print_vhdl, vhdl_interface
from fpga_opt.dialects import rtl
from fpga_opt.interpreters.rtl import simulate, single_module
from fpga_opt.registry import make_context
from fpga_opt.verification import equivalence
from fpga_opt.verification.ghdl_sim import analyse_vhdl, ghdl_available
from fpga_opt.verification.verilator_sim import simulate_verilog, verilator_command

SOURCE = Path(__file__).resolve().parents[2] / "filecheck" / "verilog" / "keyword_names.mlir"


def keyword_module() -> rtl.ModuleOp:
    """@module(reg, signal, reg_v) -> (end, wire), clock "always": every kind of name a
    keyword in Verilog or VHDL, and a legalized name (reg_v) that another port holds."""
    return single_module(Parser(make_context(), SOURCE.read_text()).parse_module())


def test_the_dialect_accepts_keywords_and_the_printer_renames_them():
    module = keyword_module()
    module.verify()
    names = verilog_interface(module)
    assert names.module == "module_v" and names.clock == "always_v"
    assert names.inputs == ["reg_v_1", "signal", "reg_v"] and names.outputs == ["end_v", "wire_v"]
    printed = [names.module, names.clock, *names.inputs, *names.outputs]
    assert not VERILOG_KEYWORDS & set(printed) and len(set(printed)) == len(printed)
    verilog = emit_verilog(module)
    assert "module module_v (" in verilog and "assign end_v = " in verilog


@pytest.mark.parametrize("name, taken, legal", [
    ("x", set(), "x"), ("reg", set(), "reg_v"), ("reg", {"reg_v"}, "reg_v_1"),
    ("reg", {"reg_v", "reg_v_1"}, "reg_v_2"), ("clk", {"clk"}, "clk_1"),
])
def test_legal_names(name, taken, legal):
    assert legal_verilog_name(name, taken) == legal


def test_the_combinational_view_keeps_the_port_names():
    module = keyword_module()
    with_clock, without = verilog_interface(module), verilog_interface(equivalence.combinational_view(module))
    assert (with_clock.inputs, with_clock.outputs) == (without.inputs, without.outputs)
    miter = equivalence.miter_verilog(module)
    assert ".reg_v_1(reg_v_1)" in miter and "module_v i(" in miter


@pytest.mark.verilator
def test_verilog_lints_clean_with_the_wrapper(tmp_path):
    module = keyword_module()
    (tmp_path / "module_v.v").write_text(emit_verilog(module))
    (tmp_path / "module_v_wrapper.v").write_text(wrapper_verilog(module, "module_v"))
    run = subprocess.run([*verilator_command(), "--lint-only", "-Wall", "--top-module", "module_v_wrapper",
                          "module_v_wrapper.v", "module_v.v"], cwd=tmp_path, capture_output=True, text=True)
    assert run.returncode == 0 and "%Warning" not in run.stderr, run.stderr


@pytest.mark.verilator
def test_verilator_simulates_it_bit_exactly():
    module = keyword_module()
    rng = np.random.default_rng(7)
    x = rng.integers(-8, 8, size=(64, 3))
    expected = simulate(module, x)
    assert np.array_equal(simulate_verilog(module, x), expected)


@pytest.mark.skipif(not ghdl_available(), reason="GHDL is not installed")
def test_vhdl_analyses(tmp_path):
    module = keyword_module()
    interface = vhdl_interface(module)
    assert "signal" not in interface.inputs and "end" not in interface.outputs
    analyse_vhdl(print_vhdl(module), tmp_path, "design.vhd", "keyword names")
