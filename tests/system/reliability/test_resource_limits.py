"""Resource limits before work (issue 17, class 3): a program that asks for too much is
refused at once with its size and the limit (and an option to raise it), instead of a
multi-hour run; the rtl module verifier is linear in the number of ports."""

import time

import numpy as np
import pytest
from onnx import helper

from fpga_opt.dialects import rtl
from fpga_opt.numerics import Format
from fpga_opt.tools.limits import MAX_OPERANDS
from .fuzz_corpus import Graph, onnx_tensor, quant_node
from .hostile_inputs import one_line_error, onnx_mlp, run

T = "!fixedpoint.tensor<{n}xfixed<1,3,0>>"


def relu_ir(n: int) -> str:
    t = T.format(n=n)
    return (f"func.func @f(%x: {t}) -> {t} {{\n  %y = fixedpoint.relu %x : {t} -> {t}\n"
            f"  func.return %y : {t}\n}}\n")


def dense_ir(n: int, weight: int = -128) -> str:
    x, y = f"!fixedpoint.tensor<{n}xfixed<1,7,0>>", f"!fixedpoint.tensor<{n}xfixed<1,30,0>>"
    w = f"!fixedpoint.tensor<{n}x{n}xfixed<1,7,0>>"
    values = ", ".join([str(weight)] * (n * n))
    return (f"func.func @f(%x: {x}) -> {y} {{\n  %w = fixedpoint.constant <[{values}], f=0> : {w}\n"
            f"  %y = fixedpoint.dense %x, %w : ({x}, {w}) -> {y}\n  func.return %y : {y}\n}}\n")


def timed_run(tmp_path, text: str, *args: str):
    (tmp_path / "in.mlir").write_text(text)
    start = time.monotonic()
    outcome = run([str(tmp_path / "in.mlir"), *args, "-o", str(tmp_path / "out.v")], tmp_path)
    assert not (tmp_path / "out.v").exists() or outcome.code == 0
    return outcome, time.monotonic() - start


def test_ten_million_elements_fail_early(tmp_path):
    outcome, seconds = timed_run(tmp_path, relu_ir(10**7), "-p", "compile", "-t", "verilog")
    one_line_error(outcome, "in.mlir", "computes 20,000,000 values", "the limit is 500,000 (--max-values)")
    assert seconds < 30


def test_the_values_limit_is_an_option(tmp_path):
    outcome, _ = timed_run(tmp_path, relu_ir(50), "--max-values", "60")
    one_line_error(outcome, "computes 100 values", "the limit is 60")
    assert timed_run(tmp_path, relu_ir(50), "--max-values", "100")[0].code == 0


def test_a_256x256_8_bit_dense_fails_early(tmp_path):
    outcome, seconds = timed_run(tmp_path, dense_ir(256), "-p", "compile", "-t", "verilog")
    one_line_error(outcome, "in.mlir", "524,288 bits of constant weights", "the limit is 131,072 (--max-weight-bits)")
    assert seconds < 60


def test_the_weight_bits_limit_is_an_option(tmp_path):
    outcome, _ = timed_run(tmp_path, dense_ir(4), "--max-weight-bits", "127")
    one_line_error(outcome, "128 bits of constant weights", "the limit is 127")
    assert timed_run(tmp_path, dense_ir(4), "--max-weight-bits", "128", "-p", "fixedpoint-infer-precision")[0].code == 0


def test_a_huge_matrix_entry_fails_early(tmp_path):
    big = "1" + "0" * 400
    text = ("func.func @m(%a: !cmvm.fx<fixed<0,1,0>>) -> !cmvm.fx<fixed<0,1400,0>> {\n"
            f"  %y = cmvm.matrix [[{big}]] (%a) : (!cmvm.fx<fixed<0,1,0>>) -> (!cmvm.fx<fixed<0,1400,0>>)\n"
            "  func.return %y : !cmvm.fx<fixed<0,1400,0>>\n}\n")
    outcome, seconds = timed_run(tmp_path, text, "-p", "compile", "-t", "verilog")
    one_line_error(outcome, "in.mlir:2:3: cmvm.matrix", "a constant of 1,329 bits", "the limit is 256")
    assert seconds < 30


def test_a_concat_of_50000_inputs_fails_early(tmp_path):
    def edit(graph):
        graph.nodes = [graph.nodes[0], helper.make_node("Concat", ["xq"] * 50_000, ["y"], name="cat", axis=1)]
        graph.outputs = [("y", [1, 200_000])]
    (tmp_path / "model.onnx").write_bytes(onnx_mlp(edit))
    outcome = run([str(tmp_path / "model.onnx"), "-o", str(tmp_path / "out.v")], tmp_path)
    one_line_error(outcome, "model.onnx: fixedpoint.concat", "50,000 operands", f"the limit is {MAX_OPERANDS:,}")


def conv_model(pad: int) -> bytes:
    """x[1,1,4,4] -> Quant -> Conv 3x3 (pads ``pad``) -> Quant."""
    q_in, i_in = quant_node("q_in", "x", "xq", 0.25, 0, 6)
    q_w, i_w = quant_node("q_w", "W", "Wq", 0.5, 0, 4)
    q_out, i_out = quant_node("q_out", "c", "y", 0.125, 0, 8)
    conv = helper.make_node("Conv", ["xq", "Wq"], ["c"], name="conv", pads=[pad] * 4, kernel_shape=[3, 3])
    side = 4 + 2 * pad - 2
    return Graph([q_in, q_w, conv, q_out], [*i_in, *i_w, *i_out, onnx_tensor("W", np.ones((1, 1, 3, 3), np.float32))],
                 [("x", [1, 1, 4, 4])], [("y", [1, 1, side, side])]).to_bytes()


def test_a_conv_padded_by_1000_fails_before_the_import(tmp_path):
    (tmp_path / "model.onnx").write_bytes(conv_model(1000))
    start = time.monotonic()
    outcome = run([str(tmp_path / "model.onnx"), "-o", str(tmp_path / "out.v")], tmp_path)
    one_line_error(outcome, "model.onnx", "computes about 4,008,004 values", "the limit is 500,000 (--max-values)")
    assert time.monotonic() - start < 30 and not (tmp_path / "out.v").exists()
    (tmp_path / "small.onnx").write_bytes(conv_model(1))
    assert run([str(tmp_path / "small.onnx"), "-o", str(tmp_path / "out.v")], tmp_path).code == 0


@pytest.mark.parametrize("unique", [True, False])
def test_rtl_port_names_are_checked_in_linear_time(unique):
    # (a failing verifier prints the op into its message: fewer ports for the error case)
    ports = [(f"p{i}" if unique else "p", 1, Format(0, 1, 0)) for i in range(200_000 if unique else 20_000)]
    module = rtl.ModuleOp("wide", ports, [])
    module.body.block.add_op(rtl.OutputOp([]))
    start = time.monotonic()
    if unique:
        module.verify()
    else:
        with pytest.raises(Exception, match="port names must be unique, repeated: p"):
            module.verify()
    assert time.monotonic() - start < 30
