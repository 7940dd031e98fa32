"""--arch on the command line: xc7 fuses three-input adders and prints them as LUT6_2 +
CARRY4 primitives (xcu: CARRY8), generic prints none; an unknown arch is a clean error."""

import subprocess
import sys
from pathlib import Path

import pytest

FPGA_OPT = Path(sys.executable).parent / "fpga-opt"
MODEL = Path(__file__).parents[3] / "examples" / "qkeras_jettagging.onnx"


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(FPGA_OPT), str(MODEL), "--input-precision", "fixed<1,5,10>", *args],
                          capture_output=True, text=True, timeout=600)


@pytest.mark.parametrize("arch, chain", [("xc7", "CARRY4 "), ("xcu", "CARRY8 ")])
def test_arch_prints_primitives(arch, chain):
    result = run("--arch", arch, "-t", "verilog")
    assert result.returncode == 0, result.stderr
    assert "LUT6_2 #(.INIT(64'h" in result.stdout and chain in result.stdout


def test_generic_prints_no_primitive():
    result = run("-t", "verilog")
    assert result.returncode == 0, result.stderr
    assert "LUT6_2" not in result.stdout


def test_unknown_arch_is_a_clean_error():
    result = run("--arch", "xc9", "-t", "verilog")
    assert result.returncode != 0
    assert "Traceback" not in result.stderr and "invalid choice: 'xc9'" in result.stderr
