"""fpga_opt.sweep and ``fpga-opt sweep`` on a two-worker Dask LocalCluster: every model x
options pair compiled, the rows in order with the file-name figures, equal to compiling
each model alone."""

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from onnx import TensorProto, helper, numpy_helper

import fpga_opt
from fpga_opt.tools.sweep import markdown_table, model_files, name_figures, option_grid

pytest.importorskip("dask.distributed", reason="the sweep runs on dask.distributed (the sweep extra)")

FPGA_OPT = Path(sys.executable).parent / "fpga-opt"
QONNX = "qonnx.custom_op.general"


def quant(name, x, out, scale, bits, signed=1):
    node = helper.make_node("Quant", [x, f"{name}_s", f"{name}_z", f"{name}_b"], [out], name=name,
                            domain=QONNX, signed=signed, narrow=0, rounding_mode="ROUND")
    return node, [numpy_helper.from_array(np.float32(v), f"{name}_{k}") for k, v in (("s", scale), ("z", 0), ("b", bits))]


def checkpoint(path: Path, seed: int) -> Path:
    """A small QONNX MLP: dense -> relu -> quantize -> dense, random 3-bit weights."""
    rng = np.random.default_rng(seed)
    w1 = rng.integers(-3, 4, (6, 5)).astype(np.float32) / 2
    w2 = rng.integers(-3, 4, (5, 4)).astype(np.float32) / 2
    q0, i0 = quant("q_in", "x", "xq", 2.0**-2, 6)
    q1, i1 = quant("q_hid", "r", "h", 2.0**-1, 4, signed=0)
    nodes = [q0, helper.make_node("MatMul", ["xq", "w1"], ["m"], name="fc1"),
             helper.make_node("Relu", ["m"], ["r"], name="relu"), q1,
             helper.make_node("MatMul", ["h", "w2"], ["y"], name="fc2")]
    graph = helper.make_graph(nodes, "g", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 6])],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 4])],
                              i0 + i1 + [numpy_helper.from_array(w1, "w1"), numpy_helper.from_array(w2, "w2")])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13), helper.make_opsetid(QONNX, 1)])
    path.write_bytes(model.SerializeToString())
    return path


@pytest.fixture(scope="module")
def front(tmp_path_factory):
    folder = tmp_path_factory.mktemp("front")
    for seed, (acc, ebops) in enumerate([(0.712, 900), (0.745, 1800), (0.771, 3600)]):
        checkpoint(folder / f"epoch={seed * 10}-val_acc={acc}-ebops={ebops}.onnx", seed)
    (folder / "notes.txt").write_text("not a model\n")
    return folder


def test_file_name_figures():
    assert name_figures("ck/epoch=12-val_acc=0.771-ebops=13285-x.keras") == {"epoch": 12, "val_acc": 0.771, "ebops": 13285}


def test_sweep_on_two_workers_equals_compiling_alone(front):
    configs = [{"cutoff": 0}, {"cutoff": 1}]
    rows = fpga_opt.sweep([front], configs, workers=2)
    files = model_files([front])
    assert len(files) == 3
    assert [(r["model"], r["cutoff"]) for r in rows] == [(f, c["cutoff"]) for f in files for c in configs]
    for row in rows:
        assert "error" not in row, row
        alone = fpga_opt.compile(row["model"], cutoff=row["cutoff"]).stats
        assert (row["adders"], row["luts"], row["latency"]) == (alone["adders"], alone["luts"], alone["latency"])
        assert row["val_acc"] == name_figures(row["model"])["val_acc"]
    assert {r["latency"] for r in rows if r["cutoff"] == 0} == {0}
    assert "| model | cutoff | epoch | val_acc | ebops |" in markdown_table(rows)


def test_a_failing_model_is_a_row_with_its_error(front, tmp_path):
    bad = tmp_path / "epoch=1-val_acc=0.5.onnx"
    bad.write_bytes(b"not onnx")
    rows = fpga_opt.sweep([bad, sorted(front.glob("*.onnx"))[0]], workers=2)
    assert "error" in rows[0] and str(bad) in rows[0]["error"]
    assert "error" not in rows[1] and rows[1]["adders"] > 0


def test_cli_sweep_writes_the_table(front, tmp_path):
    table, rows_csv = tmp_path / "sweep.md", tmp_path / "sweep.csv"
    done = subprocess.run([str(FPGA_OPT), "sweep", str(front), "--cutoff", "0", "--workers", "2",
                           "--table", str(table), "--csv", str(rows_csv)],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    lines = table.read_text().splitlines()
    assert len(lines) == 2 + 3 and "val_acc=0.771" in lines[-1]
    assert len(rows_csv.read_text().splitlines()) == 4


def test_cli_sweep_of_a_missing_folder_is_a_located_error(tmp_path):
    done = subprocess.run([str(FPGA_OPT), "sweep", str(tmp_path / "nowhere")], capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    assert "nowhere: no such model file or folder" in done.stderr and "Traceback" not in done.stderr


def test_option_grid_is_every_combination():
    import argparse

    args = argparse.Namespace(cutoff=[0, 2], objective=["adders", "adder_bits"], default_precision=None, input_precision=None)
    assert len(option_grid(args)) == 4 and {"cutoff": 2, "objective": "adder_bits"} in option_grid(args)


def test_cli_jobs_give_identical_verilog_for_a_model_file(front):
    model = sorted(front.glob("*.onnx"))[-1]
    texts = []
    for jobs in ("1", "2"):
        done = subprocess.run([str(FPGA_OPT), str(model), "-j", jobs, "-t", "verilog"],
                              capture_output=True, text=True, timeout=600)
        assert done.returncode == 0, done.stderr
        texts.append(done.stdout)
    assert texts[0] == texts[1] and "module" in texts[0]
