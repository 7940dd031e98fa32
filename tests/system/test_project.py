"""Hardware projects (``fpga-opt model -o prj/``, ``design.write``): the testbench runs under
Verilator against the rtl interpreter's outputs (and fails on a wrong reference), the
Verilog lints clean under ``-Wall``, the build scripts name the part and the clock; the
report's per-layer LUTs add up to the total; ``--clock-period`` pipelining keeps the bits."""

import os
import stat
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from xdsl.parser import Parser

import fpga_opt
from fpga_opt.backends.project import verilog_identifier, write_project
from fpga_opt.backends.report import layer_rows
from fpga_opt.verification.ghdl_sim import ghdl_available
from fpga_opt.verification.verilator_sim import verilator_available, verilator_command
from fpga_opt.dialects.rtl.delay import slowest_stage_ns
from fpga_opt.errors import CompileError
from fpga_opt.interpreters.rtl import simulate, single_module
from fpga_opt.registry import make_context
from fpga_opt.testing.models import require_model

FPGA_OPT = Path(sys.executable).parent / "fpga-opt"
REPOSITORY = Path(__file__).resolve().parents[2]
needs_verilator = pytest.mark.skipif(not verilator_available(),
                                     reason="Verilator or a C++ compiler is missing")

# y = (a + b) - c, z = a - b: signed, combinational
ADDERS = """rtl.module @main(%a: i8 fixed<1,7,0>, %b: i8 fixed<1,7,0>, %c: i8 fixed<1,7,0>)
    -> (y: i10 fixed<1,9,0>, z: i9 fixed<1,8,0>) {
  %a9 = rtl.sext %a : i8 to i9
  %b9 = rtl.sext %b : i8 to i9
  %s = rtl.add %a9, %b9 : i9
  %s10 = rtl.sext %s : i9 to i10
  %c10 = rtl.sext %c : i8 to i10
  %y = rtl.sub %s10, %c10 : i10
  %z = rtl.sub %a9, %b9 : i9
  rtl.output %y, %z : i10, i9
}
"""


def make(directory: Path, *targets: str) -> subprocess.CompletedProcess:
    return subprocess.run(["make", *targets, f"VERILATOR={' '.join(verilator_command())}"],
                          cwd=directory, capture_output=True, text=True, timeout=3600)


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(FPGA_OPT), *args], cwd=cwd, capture_output=True, text=True, timeout=1800)


def test_model_names_become_legal_verilog_identifiers():
    assert verilog_identifier("qkeras_jettagging") == "qkeras_jettagging"
    assert verilog_identifier("hgq2_jsc_openml_0.758") == "hgq2_jsc_openml_0_758"
    assert verilog_identifier("3layer-net") == "m_3layer_net"
    assert verilog_identifier("module") == "module_m"


@pytest.mark.verilator
@needs_verilator
def test_project_testbench_passes_and_catches_a_wrong_reference(tmp_path):
    (tmp_path / "adders.mlir").write_text(ADDERS)
    result = run_cli("adders.mlir", "-o", "prj/", "--top", "adders3", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    prj = tmp_path / "prj"
    wrapper = (prj / "adders3_wrapper.v").read_text()
    assert "module adders3_wrapper (" in wrapper and "clk" not in wrapper  # combinational
    assert "input  wire [23:0] x" in wrapper and "output wire [18:0] y" in wrapper
    assert "module adders3 (" in (prj / "adders3.v").read_text()
    assert not (prj / "adders3.vhd").exists()  # only with --hdl vhdl
    assert "create_clock -name clk -period 5.000\n" in (prj / "adders3.xdc").read_text()  # virtual
    lint = make(prj, "lint")
    assert lint.returncode == 0 and "%Warning" not in lint.stderr, lint.stderr
    sim = make(prj, "sim-verilator")
    assert sim.returncode == 0 and "PASS: 200 vectors" in sim.stdout, sim.stdout + sim.stderr

    # one wrong bit in one reference vector: the same simulator must fail
    expected = (prj / "adders3_expected.hex").read_text().splitlines()
    expected[7] = f"{int(expected[7], 16) ^ 1:0{len(expected[7])}x}"
    (prj / "adders3_expected.hex").write_text("\n".join(expected) + "\n")
    rerun = subprocess.run(["./obj_dir/adders3_tb"], cwd=prj, capture_output=True, text=True, timeout=60)
    assert "mismatch at vector 7" in rerun.stdout and "FAIL: 1 of 200" in rerun.stdout


@pytest.mark.skipif(not ghdl_available(), reason="GHDL is not installed (apt-get install ghdl)")
def test_hdl_vhdl_writes_the_design_as_vhdl_that_ghdl_analyses(tmp_path):
    (tmp_path / "adders.mlir").write_text(ADDERS)
    result = run_cli("adders.mlir", "-o", "prj/", "--top", "adders3", "--hdl", "vhdl", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    prj = tmp_path / "prj"
    vhdl = (prj / "adders3.vhd").read_text()
    assert "entity adders3 is" in vhdl and "architecture rtl of adders3 is" in vhdl
    assert "module adders3 (" in (prj / "adders3.v").read_text()  # the Verilog stays
    analysis = subprocess.run(["ghdl", "-a", "--std=08", "adders3.vhd"], cwd=prj,
                              capture_output=True, text=True, timeout=600)
    assert analysis.returncode == 0 and not (analysis.stdout + analysis.stderr).strip(), analysis.stderr
    assert list(prj.glob("work-obj08.cf"))  # GHDL's library now holds the entity


def test_unknown_hdl_is_rejected(tmp_path):
    (tmp_path / "adders.mlir").write_text(ADDERS)
    result = run_cli("adders.mlir", "-o", "prj/", "--hdl", "vhd", cwd=tmp_path)
    assert result.returncode != 0 and "invalid choice: 'vhd'" in result.stderr
    module = Parser(make_context(), ADDERS).parse_module()
    with pytest.raises(CompileError, match="unknown language 'vhd' \\(known: verilog, vhdl\\)"):
        write_project(module, tmp_path / "prj", "adders3", hdl="vhd")


@pytest.mark.verilator
@needs_verilator
def test_jet_tagger_project_at_2_5_ns(tmp_path):
    """The issue's command: the project's testbench passes under Verilator, its Verilog
    lints clean under -Wall, its Vivado script and XDC name the part and the clock."""
    model = require_model("qkeras_jettagging.onnx")
    result = run_cli(str(model), "--input-precision", "fixed<1,5,10>", "-o", "prj/",
                     "--clock-period", "2.5", "--part", "xcvu13p-flga2577-2-e", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    prj = tmp_path / "prj"
    top = "qkeras_jettagging"
    assert "module qkeras_jettagging (" in (prj / f"{top}.v").read_text()
    assert "create_clock -name clk -period 2.500 [get_ports clk]" in (prj / f"{top}.xdc").read_text()
    assert "create_clock -name clk -period 2.500 [get_ports clk]" in (prj / f"{top}.sdc").read_text()
    vivado = (prj / "build_vivado.tcl").read_text()
    assert "set part xcvu13p-flga2577-2-e" in vivado and f"read_xdc -mode out_of_context {top}.xdc" in vivado
    report = (prj / "report.md").read_text()
    assert "target 2.5 ns" in report
    lint = make(prj, "lint")
    assert lint.returncode == 0 and "%Warning" not in lint.stderr, lint.stderr
    sim = make(prj, "sim-verilator")
    assert sim.returncode == 0 and "PASS: 200 vectors" in sim.stdout, sim.stdout + sim.stderr


def test_design_write_report_and_repr(tmp_path):
    design = fpga_opt.compile(require_model("bnn_model_fc_1layer.onnx"), cutoff=1)
    module = single_module(design.hardware)
    rows = layer_rows(module, design.network)
    assert sum(row.luts for row in rows) == design.stats["luts"] > 0
    assert sum(row.adders for row in rows) == design.stats["adders"]

    written = [Path(p) for p in design.write(tmp_path / "prj", top="bnn", part="xc7a35tcpg236-1")]
    names = {p.name for p in written}
    assert {"bnn.v", "bnn_wrapper.v", "bnn_tb.v", "Makefile", "bnn.xdc", "bnn.sdc",
            "build_vivado.tcl", "build_quartus.tcl", "report.md"} <= names
    assert "set part xc7a35tcpg236-1" in (tmp_path / "prj" / "build_vivado.tcl").read_text()
    umask = os.umask(0)
    os.umask(umask)
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o666 & ~umask for p in written)
    report = (tmp_path / "prj" / "report.md").read_text()
    assert f"| **total** | {design.stats['adders']} | {design.stats['adder_bits']} | {design.stats['luts']} |" in report
    assert report.startswith(design.report())
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        pass
    else:
        for figure in ("luts_per_layer.png", "adder_levels.png", "weights.png"):
            assert (tmp_path / "prj" / figure).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"

    summary = repr(design)
    assert summary.startswith("<Design bnn_model_fc_1layer.onnx: 3 inputs -> 4 outputs, ")
    assert len(summary) < 200 and "ModuleOp" not in summary


def test_jet_tagger_report_has_a_row_per_dense_layer_summing_to_the_total():
    design = fpga_opt.compile(require_model("qkeras_jettagging.onnx"), input_precision="fixed<1,5,10>")
    rows = layer_rows(single_module(design.hardware), design.network)
    assert [row.name for row in rows] == ["dense 16x64", "dense 64x32", "dense 32x32", "dense 32x5"]
    assert sum(row.luts for row in rows) == design.stats["luts"]
    assert sum(row.adders for row in rows) == design.stats["adders"]
    report = design.report()
    assert "| dense 64x32 |" in report and f"| **total** | {design.stats['adders']} |" in report


def test_compile_rejects_a_misspelled_keyword():
    with pytest.raises(TypeError, match="unexpected keyword argument 'cutof'.*did you mean 'cutoff'"):
        fpga_opt.compile(require_model("bnn_model_fc_1layer.onnx"), cutof=2)


def test_clock_period_pipelining_meets_the_estimate_and_keeps_the_bits():
    model = require_model("bnn_model_fc_1layer.onnx")
    flat = single_module(fpga_opt.compile(model).hardware)
    timed = single_module(fpga_opt.compile(model, clock_period=1.0).hardware)
    assert slowest_stage_ns(flat) > 1.0 >= slowest_stage_ns(timed)
    assert timed.latency_cycles > 0
    rng = np.random.default_rng(1)
    inputs = np.stack([rng.integers(fmt.interval().lo, fmt.interval().hi + 1, 500)
                       for _, _, fmt in flat.inputs], axis=1)
    assert np.array_equal(simulate(flat, inputs), simulate(timed, inputs))


def test_report_target_prints_the_table(tmp_path):
    (tmp_path / "adders.mlir").write_text(ADDERS)
    result = run_cli("adders.mlir", "-t", "report", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "| **total** | 3 |" in result.stdout and "estimated Fmax" in result.stdout
