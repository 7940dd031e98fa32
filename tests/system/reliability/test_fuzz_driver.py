"""Fuzzing the fpga-opt driver: every malformed input of the corpus (see fuzz_corpus.py)
ends in a located error and a non-zero exit, or in a correct compile -- never a Python
traceback, an 'internal error', a hang, or a partial -o file.

The cases run in this process (the driver's ``main``), so ~600 take well under a minute;
test_fuzz_subprocess.py runs a few through the real console script.  Set
FPGA_OPT_FUZZ_SEED / FPGA_OPT_FUZZ_SCALE to explore other or more cases.
"""

import os

import numpy as np
import pytest

from .fuzz_corpus import corpus
from .fuzz_runner import run_case
from .hostile_inputs import hostile_cases

SEED = int(os.environ.get("FPGA_OPT_FUZZ_SEED", "0"))
SCALE = int(os.environ.get("FPGA_OPT_FUZZ_SCALE", "1"))
CASES = corpus(SEED, SCALE) + hostile_cases(np.random.default_rng(SEED), SCALE)


def test_corpus_is_large_enough():
    assert len(CASES) >= 500


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_case_fails_cleanly_or_compiles(case, tmp_path):
    outcome = run_case(case, tmp_path)
    problem = outcome.problem(expects_output=case.output is not None)
    assert problem is None, f"{problem}\nargs: {case.argv(tmp_path)}\nstderr:\n{outcome.stderr}"


def test_located_errors_name_the_input(tmp_path):
    """A sample of failures: the message names the file, node, pass or option at fault."""
    wanted = {"qonnx:cycle": "node '", "qonnx:q_in bits=0.0": "node 'q_in' (Quant)",
              "pipeline:nosuchpass": "-p 'nosuchpass'", "keras:no config.json": "model.keras",
              "cli:directory input": str(tmp_path)}
    by_name = {c.name: c for c in CASES}
    for name, where in wanted.items():
        outcome = run_case(by_name[name], tmp_path / name.replace(":", "_").replace(" ", "_"))
        assert outcome.code != 0, name
        assert where in outcome.stderr, (name, outcome.stderr)
