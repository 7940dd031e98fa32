"""Formal equivalence with Yosys (and its ABC): the optimized, pipelined designs compute
exactly the function of a plain reference -- for every input, not just sampled ones.
Skipped without Yosys."""

import contextlib
import importlib.util
import io
import os
from pathlib import Path

import numpy as np
import pytest
from xdsl.context import Context
from xdsl.dialects import builtin, func

from fpga_opt.verification import equivalence as eq
from fpga_opt.dialects import rtl
from fpga_opt.dialects.fixedpoint import ops as fp
from fpga_opt.interpreters.rtl import single_module
from fpga_opt.lowering.cmvm_to_rtl import CmvmToRtl
from fpga_opt.lowering.optimizer_ir import optimize
from fpga_opt.testing.models import require_model
from fpga_opt.testing.networks import NetworkSpec, random_mlp
from fpga_opt.tools.driver import main

pytestmark = pytest.mark.skipif(not eq.yosys_available(), reason="Yosys is not installed")
slow = pytest.mark.skipif(not os.environ.get("FPGA_OPT_SLOW_TESTS"),
                          reason="minutes of SAT; set FPGA_OPT_SLOW_TESTS=1 (docs/reliability.md)")

SHARED = Path(__file__).resolve().parents[3].parent / "shared"


def suite() -> dict:
    path = SHARED / "bench" / "cmvm_suite.py"
    if not path.exists():
        pytest.skip("the shared CMVM suite is missing")
    spec = importlib.util.spec_from_file_location("cmvm_suite", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.suite()


def cmvm_problem(name: str):
    W, bits = suite()[name]
    formats = [(1, bits - 1, 0)] * W.shape[1]
    return eq.matrix_module(W, formats), optimize(W, formats).module


@pytest.mark.parametrize("name,cutoff", [
    ("h264_4x4", 0), ("h264_4x4", 1), ("h264_4x4", 2), pytest.param("dct8_8b", 2, marks=slow),
    pytest.param("uniform_8x8_4b", 1, marks=slow), pytest.param("uniform_8x8_8b", 2, marks=slow)])
def test_cmvm_suite_instances_are_proved(name, cutoff):
    plain, optimized = cmvm_problem(name)
    result = eq.prove_optimized(plain, optimized, cutoff=cutoff, timeout=300)
    assert result.proved, result.log[-2000:]
    assert result.latency > 0 or cutoff == 0 or name == "h264_4x4"


def test_direct_proof_against_multiplications():
    plain, optimized = cmvm_problem("h264_4x4")
    result = eq.prove_optimized(plain, optimized, cutoff=1, timeout=300, direct=True)
    assert result.proved and result.latency == 1, result.log[-2000:]


@pytest.mark.parametrize("seed", [0, 3, 8])
def test_random_networks_are_proved(seed):
    rng = np.random.default_rng(seed)
    module = random_mlp(rng, NetworkSpec.random(rng, max_width=4, max_layers=2))
    for cutoff in (0, 1):
        assert eq.prove_equivalence(module, cutoff=cutoff, timeout=300).proved
    assert eq.prove_equivalence(module, cutoff=0, timeout=300, direct=True).proved


def test_a_wrong_adder_is_caught():
    plain, optimized = cmvm_problem("h264_4x4")
    compiled = optimized.clone()
    CmvmToRtl().apply(Context(), compiled)
    hardware = single_module(compiled)
    add = next(op for op in hardware.block.ops if isinstance(op, rtl.AddOp))
    sub = rtl.SubOp(add.operands[0], add.operands[1])
    hardware.block.insert_op_before(sub, add)
    add.results[0].replace_all_uses_with(sub.results[0])
    hardware.block.erase_op(add)
    result = eq.prove_rtl(eq.reference_verilog(optimized, hardware), hardware, timeout=300)
    assert not result.proved


def test_a_wrong_adder_graph_is_caught():
    plain, optimized = cmvm_problem("h264_4x4")
    W, _ = suite()["h264_4x4"]
    wrong = W.copy()
    wrong[0, 0] += 1
    assert eq.symbolic_outputs(eq.matrix_module(wrong, [(1, 7, 0)] * 4)) != eq.symbolic_outputs(optimized)
    result = eq.prove_optimized(eq.matrix_module(wrong, [(1, 7, 0)] * 4), optimized, timeout=300)
    assert not result.proved


def first_layer(module: builtin.ModuleOp) -> builtin.ModuleOp:
    """The network cut after the quantizer that follows its first dense layer."""
    function = next(op for op in module.ops if isinstance(op, func.FuncOp))
    ops = list(function.body.block.ops)
    first = next(i for i, op in enumerate(ops) if isinstance(op, fp.DenseOp))
    cut = next(op for op in ops[first:] if isinstance(op, fp.QuantizeOp))
    for op in reversed(ops[ops.index(cut) + 1:]):
        function.body.block.erase_op(op, safe_erase=False)
    function.body.block.add_op(func.ReturnOp(cut.result))
    function.function_type = builtin.FunctionType.from_lists(
        [a.type for a in function.body.block.args], [cut.result.type])
    return module


@slow
def test_jet_tagger_first_layer_is_proved():
    path = require_model("qkeras_jettagging.onnx")
    from fpga_opt.importers.onnx import import_onnx

    module = first_layer(import_onnx(path.read_bytes(), path.name, input_precision="fixed<1,5,10>"))
    result = eq.prove_equivalence(module, cutoff=2, timeout=600)
    assert result.proved, result.log[-2000:]
    assert result.inputs == 16 and result.outputs == 64


def test_driver_target(tmp_path):
    rng = np.random.default_rng(3)
    module = random_mlp(rng, NetworkSpec.random(rng, max_width=4, max_layers=2))
    path = tmp_path / "net.mlir"
    path.write_text(str(module))
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main([str(path), "-t", "equivalence{cutoff=1}"]) == 0
    assert "PROVED equivalent" in out.getvalue()
