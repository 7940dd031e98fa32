"""A few fuzz cases through the real ``fpga-opt`` console script: the process exits 1 with
a located message, prints no traceback, and leaves no -o file."""

import subprocess

import pytest

from .test_determinism import fpga_opt
from .fuzz_corpus import corpus

NAMES = ["qonnx:cycle", "qonnx:q_w bits=nan", "pipeline:nosuchpass",
         "keras:config not json", "regression:unterminated string in a long line"]
CASES = {c.name: c for c in corpus(0) if c.name in NAMES}


@pytest.mark.parametrize("name", NAMES)
def test_console_script_fails_cleanly(name, tmp_path):
    case = CASES[name]
    for file, content in case.files.items():
        (tmp_path / file).write_bytes(content)
    done = subprocess.run(fpga_opt() + case.argv(tmp_path), capture_output=True, text=True, timeout=120)
    assert done.returncode == 1, done.stderr
    assert done.stderr.startswith("fpga-opt: error: "), done.stderr
    assert "Traceback" not in done.stderr and "internal error" not in done.stderr
    assert not (tmp_path / case.output).exists()
