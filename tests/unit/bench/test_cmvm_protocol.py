"""bench/cmvm_protocol.py runs the literature's protocol end to end on a few small draws
(every graph it measures is checked to compute W @ x inside the script)."""

import importlib.util
import json
import sys
from pathlib import Path

import numpy as np
import pytest

_PATH = Path(__file__).resolve().parents[3] / "bench" / "cmvm_protocol.py"
_spec = importlib.util.spec_from_file_location("cmvm_protocol", _PATH)
cmvm_protocol = importlib.util.module_from_spec(_spec)
sys.modules["cmvm_protocol"] = cmvm_protocol
_spec.loader.exec_module(cmvm_protocol)


def test_draws_follow_the_protocol_and_repeat():
    w = cmvm_protocol.draw(0, 8, 3)
    assert w.shape == (8, 8) and w.min() >= 129 and w.max() <= 255
    assert np.array_equal(w, cmvm_protocol.draw(0, 8, 3))
    assert not np.array_equal(w, cmvm_protocol.draw(0, 8, 4))


def test_small_run_without_anchors(tmp_path, capsys):
    log = tmp_path / "draws.jsonl"
    assert cmvm_protocol.main(["--sizes", "4", "--draws", "2", "--depth", "4:6", "--no-anchors", "--markdown", "--log", str(log)]) == 0
    out = capsys.readouterr().out
    rows = [line for line in out.splitlines() if line.startswith("| 4 |")]
    assert len(rows) == 2 and "H_cmvm 27.6" in rows[0]
    draws = [json.loads(line) for line in log.read_text().splitlines()]
    assert [(d["limit"], d["draw"]) for d in draws] == [(None, 0), (None, 1), (6, 0), (6, 1)]
    assert all(d["ours"]["depth"] <= 6 for d in draws if d["limit"] == 6)


def test_limit_below_the_least_depth_is_a_message(capsys):
    assert cmvm_protocol.main(["--sizes", "4", "--draws", "1", "--depth", "4:1", "--no-anchors", "--no-depth"]) == 0
    assert cmvm_protocol.main(["--sizes", "4", "--draws", "1", "--depth", "4:1", "--no-anchors"]) == 1
    assert "no draw of N=4 can be summed in 1 levels" in capsys.readouterr().err


def test_small_run_with_anchors(capsys):
    missing = [m for m in ("da4ml", "alkaid") if importlib.util.find_spec(m) is None]
    if missing:
        pytest.skip(f"{', '.join(missing)} not installed (the bench extra): the anchor columns are not run")
    assert cmvm_protocol.main(["--sizes", "4", "--draws", "2", "--no-depth"]) == 0
    out = capsys.readouterr().out
    assert all(any(f" {tool} " in line for line in out.splitlines()) for tool in ("ours", "da4ml", "alkaid"))


def test_draws_too_deep_for_the_limit_are_left_out(capsys):
    from fpga_opt.cmvm.solver import least_depth

    fits = sum(least_depth(cmvm_protocol.draw(0, 4, d)) <= 4 for d in range(8))
    assert 0 < fits < 8  # the protocol's 4x4 draws need 4 or 5 levels
    assert cmvm_protocol.main(["--sizes", "", "--draws", "8", "--depth", "4:4", "--no-anchors", "--markdown"]) == 0
    row = next(line for line in capsys.readouterr().out.splitlines() if line.startswith("| 4 | 4 |"))
    assert row.split(" | ")[2] == str(fits)
