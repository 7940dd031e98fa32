"""The VHDL printer: legal, unique identifiers; clear errors; the FileCheck inputs analyse
with no message under ``ghdl -a --std=08``."""

from pathlib import Path

import pytest
from xdsl.dialects import builtin

from fpga_opt.backends.vhdl import print_vhdl, vhdl_identifier, vhdl_interface
from fpga_opt.dialects import rtl
from fpga_opt.errors import CompileError
from fpga_opt.numerics import Format
from fpga_opt.registry import make_context
from fpga_opt.verification.ghdl_sim import analyse_vhdl
from xdsl.parser import Parser

FILECHECK = Path(__file__).resolve().parents[2] / "filecheck" / "vhdl"
U4 = Format(0, 4, 0)


@pytest.mark.parametrize("hint, name", [
    ("x", "x"), ("_x", "x"), ("x_", "x"), ("a__b", "a_b"), ("__", "n"), ("9a", "n_9a"),
    ("signal", "signal_v"), ("SIGNAL", "SIGNAL_v"), ("resize", "resize_v"), ("rtl", "rtl_v"),
])
def test_identifiers_are_legal(hint, name):
    assert vhdl_identifier(hint) == name


def passthrough(name: str, ports: list[str]) -> rtl.ModuleOp:
    module = rtl.ModuleOp(name, [(p, 4, U4) for p in ports], [("y", 4, U4)])
    module.block.add_op(rtl.OutputOp([module.block.args[0]]))
    return module


def test_ports_unique_regardless_of_case():
    interface = vhdl_interface(passthrough("m", ["X", "x", "x_2", "_x_"]))
    assert interface.inputs == ["X", "x_2", "x_2_2", "x_3"]
    assert len({n.lower() for n in [interface.entity, *interface.inputs, *interface.outputs]}) == 6


def test_entities_equal_but_for_case_are_an_error():
    module = builtin.ModuleOp([passthrough("Top", ["a"]), passthrough("top", ["a"])])
    with pytest.raises(CompileError, match="VHDL entity 'top'"):
        print_vhdl(module)


def test_only_rtl_modules_print():
    with pytest.raises(CompileError, match="only rtl.module can be printed as VHDL"):
        print_vhdl(builtin.ModuleOp([builtin.ModuleOp([])]))
    with pytest.raises(CompileError, match="holds no rtl.module"):
        print_vhdl(builtin.ModuleOp([]))


@pytest.mark.ghdl
@pytest.mark.parametrize("name", ["every_op", "names"])
def test_filecheck_inputs_analyse_clean(name, tmp_path):
    source = (FILECHECK / f"{name}.mlir").read_text()
    module = Parser(make_context(), source).parse_module()
    analyse_vhdl(print_vhdl(module), tmp_path, "design.vhd", name)


@pytest.mark.ghdl
def test_analysis_reports_ghdl_messages(tmp_path):
    with pytest.raises(CompileError, match="design.vhd"):
        analyse_vhdl("entity broken is end;\narchitecture a of nothing is begin end;\n",
                     tmp_path, "design.vhd", "broken")


def test_design_gives_every_hdl():
    from .reference_designs import jet_tagger_design

    from fpga_opt.backends.circt import print_circt

    design = jet_tagger_design(2)
    assert design.hdl() == design.hdl("verilog") == design.verilog
    assert design.hdl("vhdl") == print_vhdl(design.hardware)
    assert design.hdl("circt") == print_circt(design.hardware)
    assert "seq.compreg" in design.hdl("circt") and "rising_edge" in design.hdl("vhdl")
    with pytest.raises(CompileError, match="unknown HDL 'spinal'"):
        design.hdl("spinal")
