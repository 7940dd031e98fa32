"""Broken or unsupported models give a CompileError naming the node (and its op type), and
the fpga-opt driver exits 1 with that message and no traceback."""

import subprocess
import sys

import numpy as np
import pytest
from onnx import helper

from fpga_opt.errors import CompileError
from fpga_opt.importers.onnx import import_onnx
from fpga_opt.tools.driver import main

from .onnx_builders import model, quant, tensor


def input_quant(bits=4):
    node, inits = quant("q_in", "x", "xq", 0.25, 0, bits)
    return [node], inits


def missing_initializer():
    nodes, inits = input_quant()
    nodes.append(helper.make_node("MatMul", ["xq", "W_absent"], ["y"], name="fc1"))
    return model(nodes, [("x", [1, 4])], [("y", [1, 3])], inits), "fc1", "W_absent"


def dynamic_weight():
    nodes, inits = input_quant()
    nodes.append(helper.make_node("MatMul", ["xq", "w_input"], ["y"], name="fc_dyn"))
    return (model(nodes, [("x", [1, 4]), ("w_input", [4, 3])], [("y", [1, 3])], inits),
            "fc_dyn", "not a compile-time constant")


def unknown_op():
    nodes, inits = input_quant()
    nodes.append(helper.make_node("Erf", ["xq"], ["y"], name="mystery"))
    return model(nodes, [("x", [1, 4])], [("y", [1, 4])], inits), "mystery", "Erf"


def cyclic_graph():
    nodes, inits = input_quant()
    nodes += [helper.make_node("Add", ["xq", "t2"], ["t1"], name="loop_add"),
              helper.make_node("Relu", ["t1"], ["t2"], name="loop_relu")]
    return model(nodes, [("x", [1, 4])], [("t2", [1, 4])], inits), "loop_", "cycle"


def quant_bits(bits):
    def build():
        nodes, inits = input_quant(bits)
        return model(nodes, [("x", [1, 4])], [("xq", [1, 4])], inits), "q_in", "bit width"
    return build


def bad_rounding():
    node, inits = quant("q_r", "x", "y", 1.0, 0, 4, rounding="STOCHASTIC")
    return model([node], [("x", [1, 4])], [("y", [1, 4])], inits), "q_r", "STOCHASTIC"


def unquantized_input():
    w = tensor("W", np.ones((4, 3), dtype=np.float32))
    node = helper.make_node("MatMul", ["x", "W"], ["y"], name="fc_float")
    return model([node], [("x", [1, 4])], [("y", [1, 3])], [w]), "fc_float", "input_precision"


def bad_opset():
    nodes, inits = input_quant()
    return model(nodes, [("x", [1, 4])], [("xq", [1, 4])], inits, opset=30), "model.onnx", "opset 30"


def nan_weight():
    nodes, inits = input_quant()
    qw, iw = quant("q_w", "w", "wq", 0.5, 0, 4)
    nodes += [qw, helper.make_node("MatMul", ["xq", "wq"], ["y"], name="fc")]
    w = tensor("w", np.float32([[1, np.nan, 0], [0, 1, 0], [1, 1, 1], [0, 0, 1]]))
    # refused where the weights are read, before any node uses them
    return model(nodes, [("x", [1, 4])], [("y", [1, 3])], inits + iw + [w]), "initializer 'w'", "NaN"


def infinite_float_weight():
    nodes, inits = input_quant()
    nodes.append(helper.make_node("MatMul", ["xq", "w"], ["y"], name="fc_inf"))
    w = tensor("w", np.float32([[1, np.inf, 0]] * 4))
    return model(nodes, [("x", [1, 4])], [("y", [1, 3])], inits + [w]), "fc_inf", "inf"


CASES = {
    "NaN weight": nan_weight,
    "infinite weight": infinite_float_weight,
    "missing initializer": missing_initializer,
    "dynamic weight": dynamic_weight,
    "unknown op": unknown_op,
    "cyclic graph": cyclic_graph,
    "zero bit width": quant_bits(0),
    "fractional bit width": quant_bits(2.5),
    "huge bit width": quant_bits(1000),
    "unknown rounding mode": bad_rounding,
    "input without quantizer": unquantized_input,
    "opset too new": bad_opset,
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_compile_error_names_the_node(case):
    onnx_model, where, what = CASES[case]()
    with pytest.raises(CompileError) as info:
        import_onnx(onnx_model.SerializeToString(), "model.onnx")
    assert where in info.value.where
    assert what in str(info.value)


def test_error_names_op_type():
    onnx_model, _, _ = unknown_op()
    with pytest.raises(CompileError, match=r"node 'mystery' \(Erf\): unsupported op type 'Erf'"):
        import_onnx(onnx_model.SerializeToString(), "model.onnx")


def test_not_an_onnx_file():
    with pytest.raises(CompileError, match="not a valid ONNX model"):
        import_onnx(b"\x08\x07garbage\xff\xff", "junk.onnx")


@pytest.mark.parametrize("case", ["missing initializer", "dynamic weight", "unknown op",
                                  "cyclic graph", "zero bit width"])
def test_driver_reports_and_exits_1(case, tmp_path, capsys):
    onnx_model, where, _ = CASES[case]()
    path = tmp_path / "broken.onnx"
    path.write_bytes(onnx_model.SerializeToString())
    out = tmp_path / "out.mlir"
    assert main([str(path), "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("fpga-opt: error: ") and where in err
    assert "Traceback" not in err
    assert not out.exists()


def test_fpga_opt_executable_exits_1_without_traceback(tmp_path):
    onnx_model, where, _ = cyclic_graph()
    path = tmp_path / "cyclic.onnx"
    path.write_bytes(onnx_model.SerializeToString())
    run = subprocess.run([sys.executable, "-m", "fpga_opt.tools.driver", str(path)],
                         capture_output=True, text=True)
    assert run.returncode == 1
    assert run.stderr.startswith("fpga-opt: error: node 'loop_")
    assert "Traceback" not in run.stderr
    assert run.stdout == ""
