"""The progress bar of a long compile names its stages and its matrices (the layers' solves)
as they run; ``-q`` silences it; reporting never changes what is compiled."""

import io

import pytest

from fpga_opt.progress import listening, report_stage, report_step
from fpga_opt.tools import pass_progress
from fpga_opt.tools.driver import main

# two dense layers: a 4x3 and a 2x4 matrix in @main
TWO_LAYERS = """
func.func @main(%x: !fixedpoint.tensor<3xfixed<1,3,0>>) -> !fixedpoint.tensor<2xfixed<1,16,0>> {
  %w1 = fixedpoint.constant <[3, -5, 7, 1, 2, 9, -3, 6, 5, 11, 13, -7], f=0> : !fixedpoint.tensor<3x4xfixed<1,4,0>>
  %y1 = fixedpoint.dense %x, %w1 : (!fixedpoint.tensor<3xfixed<1,3,0>>, !fixedpoint.tensor<3x4xfixed<1,4,0>>) -> !fixedpoint.tensor<4xfixed<1,12,0>>
  %r = fixedpoint.relu %y1 : !fixedpoint.tensor<4xfixed<1,12,0>> -> !fixedpoint.tensor<4xfixed<1,12,0>>
  %q = fixedpoint.quantize %r to <fixed<0,4,0>> TRN SAT : !fixedpoint.tensor<4xfixed<1,12,0>> -> !fixedpoint.tensor<4xfixed<0,4,0>>
  %w2 = fixedpoint.constant <[7, -3, 5, 9, -11, 6, 13, 3], f=0> : !fixedpoint.tensor<4x2xfixed<1,4,0>>
  %y2 = fixedpoint.dense %q, %w2 : (!fixedpoint.tensor<4xfixed<0,4,0>>, !fixedpoint.tensor<4x2xfixed<1,4,0>>) -> !fixedpoint.tensor<2xfixed<1,16,0>>
  func.return %y2 : !fixedpoint.tensor<2xfixed<1,16,0>>
}
"""


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def compile_capturing(tmp_path, monkeypatch, capsys, *options: str) -> tuple[str, str]:
    """(Verilog on stdout, what the terminal's standard error received)."""
    source = tmp_path / "two.mlir"
    source.write_text(TWO_LAYERS)
    terminal = Terminal()
    monkeypatch.setattr(pass_progress, "PROGRESS_DELAY_S", 0)
    monkeypatch.setattr("sys.stderr", terminal)
    assert main([str(source), "-p", "compile{jobs=1}", "-t", "verilog", *options]) == 0
    return capsys.readouterr().out, terminal.getvalue()


def test_the_bar_names_stages_and_matrices(tmp_path, monkeypatch, capsys):
    pytest.importorskip("tqdm")
    verilog, shown = compile_capturing(tmp_path, monkeypatch, capsys)
    assert "compile: fixedpoint-to-cmvm" in shown
    assert "compile: cmvm-optimize: matrix 1/2 of @main, 4x3" in shown
    assert "compile: cmvm-optimize: matrix 2/2 of @main, 2x4" in shown
    assert "compile: rtl-pipeline" in shown
    assert "module main" in verilog


def test_quiet_shows_nothing_and_compiles_the_same(tmp_path, monkeypatch, capsys):
    pytest.importorskip("tqdm")
    watched, _ = compile_capturing(tmp_path, monkeypatch, capsys)
    quiet, shown = compile_capturing(tmp_path, monkeypatch, capsys, "-q")
    assert shown == ""
    assert quiet == watched


def test_reports_reach_only_the_listeners_while_they_listen():
    heard = []
    report_stage("before")
    with listening(lambda stage, step: heard.append((stage, step))):
        report_stage("cmvm-optimize")
        report_step("matrix 1/1")
    report_step("after")
    assert heard == [("cmvm-optimize", ""), ("cmvm-optimize", "matrix 1/1")]
