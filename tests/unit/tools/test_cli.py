"""The fpga-opt console script on bad input: a located message, a non-zero exit, no Python
traceback, and no output file left behind; and its --version."""

import re
import subprocess
import sys
from pathlib import Path

import pytest

FPGA_OPT = Path(sys.executable).parent / "fpga-opt"
PYPROJECT = Path(__file__).parents[3] / "pyproject.toml"

INT4 = "!fixedpoint.tensor<2xfixed<1,3,0>>"
VALID = f"""func.func @f(%x: {INT4}) -> !fixedpoint.tensor<2xfixed<0,3,0>> {{
  %y = fixedpoint.relu %x : {INT4} -> !fixedpoint.tensor<2xfixed<0,3,0>>
  func.return %y : !fixedpoint.tensor<2xfixed<0,3,0>>
}}
"""


def fpga_opt(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(FPGA_OPT), *args], cwd=cwd, capture_output=True, text=True, timeout=120
    )


def assert_clean_failure(result: subprocess.CompletedProcess, *expected: str) -> None:
    assert result.returncode != 0
    assert "Traceback" not in result.stderr + result.stdout
    assert result.stderr.startswith("fpga-opt: error: "), result.stderr
    for text in expected:
        assert text in result.stderr, (text, result.stderr)


BAD_INPUTS = {
    # name: (file text, the location fpga-opt must name, a phrase of the message)
    "malformed": ("func.func @f() {\n  %0 = fixedpoint.relu : \n}\n", "2:24", "operand expected"),
    "unknown op": ('func.func @f() {\n  "fixedpoint.frobnicate"() : () -> ()\n  func.return\n}\n',
                   "2:3", "fixedpoint.frobnicate is not registered"),
    "unknown custom op": ("func.func @f() {\n  fixedpoint.frobnicate\n}\n", "2:3", "frobnicate"),
    "sign bit 2": ("func.func @f(%x: !fixedpoint.tensor<2xfixed<2,3,0>>) {\n  func.return\n}\n",
                   "1:39", "sign bit k must be 0 or 1, got k=2"),
    "negative width": ("\n\nfunc.func @f(%x: !fixedpoint.tensor<fixed<1,-4,2>>) {\n  func.return\n}\n",
                       "3:37", "width k+i+f must be >= 0, got -1"),
    "bad format in quantize": (
        f"func.func @f(%x: {INT4}) {{\n"
        f"  %y = fixedpoint.quantize %x to <fixed<0,1,-2>> TRN SAT : {INT4} -> {INT4}\n"
        "  func.return\n}\n",
        "2:35", "width k+i+f must be >= 0, got -1"),
    "unterminated string": ('func.func @f() {\n  "fixedpoint.relu\n}\n', "2:", "string"),
}


@pytest.mark.parametrize("name", list(BAD_INPUTS))
def test_bad_input_is_located(tmp_path: Path, name: str):
    text, location, phrase = BAD_INPUTS[name]
    (tmp_path / "bad.mlir").write_text(text)
    result = fpga_opt("bad.mlir", cwd=tmp_path)
    assert_clean_failure(result, f"bad.mlir:{location}", phrase)
    assert result.stdout == ""


def test_verifier_error_is_located(tmp_path: Path):
    narrow = VALID.replace("!fixedpoint.tensor<2xfixed<0,3,0>>", "!fixedpoint.tensor<2xfixed<0,2,0>>")
    (tmp_path / "narrow.mlir").write_text(narrow)
    result = fpga_opt("narrow.mlir", cwd=tmp_path)
    assert_clean_failure(result, "narrow.mlir:2:3", "result precision of 'fixedpoint.relu' is too narrow")


def test_failed_run_leaves_no_output_file(tmp_path: Path):
    (tmp_path / "bad.mlir").write_text(BAD_INPUTS["sign bit 2"][0])
    (tmp_path / "narrow.mlir").write_text(VALID.replace("fixed<0,3,0>", "fixed<0,1,0>"))
    for source in ("bad.mlir", "narrow.mlir"):
        result = fpga_opt(source, "-o", "out.mlir", cwd=tmp_path)
        assert_clean_failure(result, source)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.mlir", "narrow.mlir"]


def test_failed_run_keeps_an_existing_output_file(tmp_path: Path):
    (tmp_path / "bad.mlir").write_text(BAD_INPUTS["malformed"][0])
    (tmp_path / "out.mlir").write_text("previous result\n")
    assert_clean_failure(fpga_opt("bad.mlir", "-o", "out.mlir", cwd=tmp_path), "bad.mlir:2:24")
    assert (tmp_path / "out.mlir").read_text() == "previous result\n"


def test_successful_run_writes_the_output_file(tmp_path: Path):
    (tmp_path / "ok.mlir").write_text(VALID)
    result = fpga_opt("ok.mlir", "-p", "fixedpoint-infer-precision", "-o", "out.mlir", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    assert "-> !fixedpoint.tensor<2xrange<0,7,0>>" in (tmp_path / "out.mlir").read_text()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ok.mlir", "out.mlir"]


def test_unwritable_output_is_a_clean_error(tmp_path: Path):
    (tmp_path / "ok.mlir").write_text(VALID)
    result = fpga_opt("ok.mlir", "-o", "no/such/dir/out.mlir", cwd=tmp_path)
    assert_clean_failure(result, "no/such/dir/out.mlir")


@pytest.mark.parametrize(
    "passes,phrase",
    [
        ("no-such-pass", "no-such-pass"),
        ("fixedpoint-infer-precision{bogus=1}", "bogus"),
        ("fixedpoint-infer-precision{", "Expected argument name"),
        ("fixedpoint-infer-precision,,", "pass"),
    ],
)
def test_bad_pass_pipeline_is_a_clean_error(tmp_path: Path, passes: str, phrase: str):
    (tmp_path / "ok.mlir").write_text(VALID)
    assert_clean_failure(fpga_opt("ok.mlir", "-p", passes, cwd=tmp_path), phrase)


@pytest.mark.parametrize(
    "args,phrase",
    [
        (["missing.mlir"], "missing.mlir"),
        (["ok.mlir", "-t", "no-such-target"], "no-such-target"),
        (["ok.txt"], ".txt"),
    ],
)
def test_bad_command_line_is_a_clean_error(tmp_path: Path, args: list[str], phrase: str):
    (tmp_path / "ok.mlir").write_text(VALID)
    (tmp_path / "ok.txt").write_text(VALID)
    result = fpga_opt(*args, cwd=tmp_path)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert phrase in result.stderr


def test_version_is_the_project_version(tmp_path: Path):
    project_version = re.search(r'^version = "([^"]+)"', PYPROJECT.read_text(), re.M).group(1)
    result = fpga_opt("--version", cwd=tmp_path)
    assert result.returncode == 0
    assert result.stdout.startswith(f"fpga-opt {project_version} ")
