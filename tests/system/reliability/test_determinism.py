"""Compiling the same model twice gives byte-identical IR and Verilog, whatever Python's
hash seed: three `fpga-opt` processes with different PYTHONHASHSEED values, on a real
QONNX model and on a random network, must print the same bytes."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from fpga_opt.testing.models import model_path
from fpga_opt.testing.networks import NetworkSpec, random_mlp

MODEL = model_path("bnn_model_fc_1layer.onnx")
HASH_SEEDS = ("0", "1", "12345")


def fpga_opt() -> list[str]:
    script = shutil.which("fpga-opt", path=os.path.dirname(sys.executable))
    return [script] if script else [sys.executable, "-m", "fpga_opt.tools.driver"]


def run_all(commands: dict[str, list[str]]) -> dict[str, bytes]:
    """Run every command under every hash seed, in parallel; stdout per (name, seed)."""
    running = {}
    for seed in HASH_SEEDS:
        env = {**os.environ, "PYTHONHASHSEED": seed}
        for name, args in commands.items():
            running[name, seed] = subprocess.Popen(fpga_opt() + args, env=env, stdout=subprocess.PIPE,
                                                   stderr=subprocess.PIPE)
    outputs = {}
    for key, process in running.items():
        out, err = process.communicate(timeout=300)
        assert process.returncode == 0, (key, err.decode())
        outputs[key] = out
    return outputs


@pytest.fixture(scope="module")
def random_network_file(tmp_path_factory) -> Path:
    rng = np.random.default_rng(7)
    spec = NetworkSpec(positions=2, widths=(6, 8, 4), weight_bits=5, weight_f=1, sparsity=0.3,
                       heterogeneous=True)
    path = tmp_path_factory.mktemp("determinism") / "net.mlir"
    path.write_text(str(random_mlp(rng, spec)))
    return path


def test_same_bytes_under_every_hash_seed(random_network_file):
    commands = {
        "network ir": [str(random_network_file), "-p", "compile"],
        "network verilog": [str(random_network_file), "-p", "compile{cutoff=2}", "-t", "verilog"],
    }
    if MODEL.exists():
        commands["bnn verilog"] = [str(MODEL), "-t", "verilog"]
    outputs = run_all(commands)
    for name in commands:
        texts = {outputs[name, seed] for seed in HASH_SEEDS}
        assert len(texts) == 1, f"{name}: the output depends on PYTHONHASHSEED"
        assert len(texts.pop()) > 100, name
