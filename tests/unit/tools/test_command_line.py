"""fpga-opt's own command line: --help leads with our options, targets, passes and
examples; usage mistakes are one line and exit 1; --time-passes writes to stderr; -o files
get the usual permissions; the progress bar stays off when not on a terminal."""

import os
import stat
import subprocess
import sys
from pathlib import Path

from fpga_opt.tools.pass_progress import progress_bar

FPGA_OPT = Path(sys.executable).parent / "fpga-opt"
RTL = """rtl.module @m(%a: i8 fixed<0,8,0>, %b: i8 fixed<0,8,0>) -> (y: i8 fixed<0,8,0>) {
  %s = rtl.add %a, %b : i8
  rtl.output %s : i8
}
"""


def fpga_opt(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(FPGA_OPT), *args], cwd=cwd, capture_output=True, text=True, timeout=120)


def test_help_leads_with_our_options_passes_and_examples(tmp_path):
    result = fpga_opt("--help", cwd=tmp_path)
    assert result.returncode == 0
    text = result.stdout
    ours = text.index("fpga-opt targets (-t): verilog, vhdl, circt, report")
    assert ours < text.index("--print-op-generic  ") and ours < text.index("--syntax-highlight  ")
    assert "rtl-pipeline" in text and "cmvm-sink-constants" in text and "examples:" in text
    assert "-o prj/ --clock-period 2.5" in text


def test_unknown_target_is_one_line_and_exit_1(tmp_path):
    (tmp_path / "m.mlir").write_text(RTL)
    result = fpga_opt("m.mlir", "-t", "verilgo", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        "fpga-opt: error: command line: unknown target 'verilgo' "
        "(fpga-opt's: verilog, vhdl, circt, report, stats, equivalence, mlir; see --help)"]
    assert fpga_opt("m.mlir", "--cut-off", "2", cwd=tmp_path).returncode == 1


def test_time_passes_go_to_stderr_and_files_get_normal_permissions(tmp_path):
    (tmp_path / "m.mlir").write_text(RTL)
    result = fpga_opt("m.mlir", "-p", "rtl-pipeline{cutoff=1}", "--time-passes", "-q",
                      "-t", "verilog", "-o", "m.v", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Pass rtl-pipeline took" in result.stderr
    piped = fpga_opt("m.mlir", "-p", "rtl-pipeline", "--time-passes", cwd=tmp_path)
    assert "took" not in piped.stdout and "Pass rtl-pipeline took" in piped.stderr
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE((tmp_path / "m.v").stat().st_mode) == 0o666 & ~umask


def test_no_progress_bar_off_a_terminal_or_when_quiet():
    assert progress_bar(9, quiet=True) is None
    if not sys.stderr.isatty():
        assert progress_bar(9, quiet=False) is None
