"""Values and program structure (issue 17, class 4): weights are finite reals of a
supported dtype, constant folding fails on division by zero and overflow, and the IR's
functions are single-block bodies without recursion or use-before-def.  Each case ends
in one located line with no numpy warning; a function returning a constant compiles and
computes its constant bit for bit."""

import numpy as np
import pytest
from onnx import TensorProto, helper, numpy_helper
from xdsl.context import Context

from fpga_opt.interpreters.fixedpoint import Fixed
from fpga_opt.registry import make_context
from fpga_opt.testing.differential import run_differential
from fpga_opt.transforms.fixedpoint_infer_precision import FixedPointInferPrecision
from fpga_opt.tools.program_checks import MAX_CALL_DEPTH
from xdsl.parser import Parser
from .fuzz_corpus import onnx_tensor
from .hostile_inputs import one_line_error, onnx_mlp, run

T = "!fixedpoint.tensor<2xfixed<1,3,0>>"


def replace_weight(value):
    def edit(graph):
        graph.inits = [t for t in graph.inits if t.name != "W"] + [value]
    return edit


def string_weight():
    return replace_weight(helper.make_tensor("W", TensorProto.STRING, [4, 3], [b"a"] * 12))


def divided_weight(numerator, denominator):
    """W folded from Div(numerator, denominator) (both initializers)."""
    def edit(graph):
        graph.inits = [t for t in graph.inits if t.name != "W"] + [onnx_tensor("num", numerator), onnx_tensor("den", denominator)]
        graph.nodes.insert(0, helper.make_node("Div", ["num", "den"], ["W"], name="fold_div"))
    return edit


def int_division_in_a_shape():
    """Reshape(W, Div([4, 6], [1, 0])): an integer division by zero in constant folding."""
    def edit(graph):
        graph.inits += [onnx_tensor("shape_num", np.array([4, 6], np.int64)), onnx_tensor("shape_den", np.array([1, 0], np.int64))]
        graph.inits = [onnx_tensor("W_flat", numpy_helper.to_array(t).ravel()) if t.name == "W" else t for t in graph.inits]
        graph.nodes[:0] = [helper.make_node("Div", ["shape_num", "shape_den"], ["shape"], name="shape_div"),
                           helper.make_node("Reshape", ["W_flat", "shape"], ["W"], name="reshape_w")]
    return edit


def int_overflow_in_a_shape():
    """Reshape(W, Mul([2**62, 6], [4, 1])): 2**64 wraps to 0 in int64."""
    def edit(graph):
        graph.inits += [onnx_tensor("shape_a", np.array([2**62, 6], np.int64)), onnx_tensor("shape_b", np.array([4, 1], np.int64))]
        graph.inits = [onnx_tensor("W_flat", numpy_helper.to_array(t).ravel()) if t.name == "W" else t for t in graph.inits]
        graph.nodes[:0] = [helper.make_node("Mul", ["shape_a", "shape_b"], ["shape"], name="shape_mul"),
                           helper.make_node("Reshape", ["W_flat", "shape"], ["W"], name="reshape_w")]
    return edit


@pytest.mark.parametrize("edit, fragments", [
    (replace_weight(onnx_tensor("W", np.ones((4, 3), np.complex64))), ("initializer 'W'", "complex64", "real numbers")),
    (string_weight(), ("initializer 'W'", "weights must be real numbers")),
    (replace_weight(onnx_tensor("W", np.full((4, 3), 1e300))), ("initializer 'W'", "1e+300", "float32's range")),
    (replace_weight(onnx_tensor("W", np.full((4, 3), np.nan, np.float32))), ("initializer 'W'", "NaN")),
    (divided_weight(np.ones((4, 3), np.float32), np.zeros((4, 3), np.float32)), ("node 'q_w' (Quant)", "infinite")),
    (divided_weight(np.full((4, 3), 3e38, np.float32), np.full((4, 3), 1e-3, np.float32)), ("node 'q_w' (Quant)", "infinite")),
    (int_division_in_a_shape(), ("node 'shape_div' (Div)", "integer division by zero")),
    (int_overflow_in_a_shape(), ("node 'shape_mul' (Mul)", "integer overflow", "int64")),
], ids=["complex64", "strings", "1e300", "nan", "float division by zero", "float overflow", "int division by zero",
        "int overflow"])
def test_bad_weight_values(tmp_path, edit, fragments):
    (tmp_path / "model.onnx").write_bytes(onnx_mlp(edit))
    outcome = run([str(tmp_path / "model.onnx"), "-o", str(tmp_path / "out.v")], tmp_path)
    one_line_error(outcome, *fragments)  # one line: no numpy warning before it
    assert not (tmp_path / "out.v").exists()


def ir_outcome(tmp_path, text: str, *args: str):
    (tmp_path / "in.mlir").write_text(text)
    return run([str(tmp_path / "in.mlir"), *args], tmp_path)


def function(name: str, body: str) -> str:
    return f"func.func @{name}(%x: {T}) -> {T} {{\n{body}}}\n"


CALL = "  %y = func.call @{callee}(%x) : ({T}) -> {T}\n  func.return %y : {T}\n"


@pytest.mark.parametrize("text, fragments", [
    (function("f", CALL.format(callee="f", T=T)), ("in.mlir:2:3: func.call", "calls @f recursively")),
    (function("f", CALL.format(callee="g", T=T)) + function("g", CALL.format(callee="f", T=T)),
     ("func.call", "recursively")),
    (f"func.func private @g({T}) -> {T}\n" + function("f", CALL.format(callee="g", T=T)),
     ("in.mlir:1:1: func.func @g", "declaration without a body")),
    (function("f", f"  cf.br ^bb1\n^bb1:\n  func.return %x : {T}\n"), ("in.mlir:1:1: func.func @f", "has 2 blocks")),
    (function("f", f"  %z = fixedpoint.relu %y : {T} -> {T}\n  %y = fixedpoint.relu %x : {T} -> {T}\n"
                   f"  func.return %z : {T}\n"), ("in.mlir:2:3: fixedpoint.relu", "uses %y before it is defined")),
    ("".join(function(f"f{i}", CALL.format(callee=f"f{i + 1}", T=T)) for i in range(400))
     + function("f400", f"  func.return %x : {T}\n"), ("nested calls", f"the limit is {MAX_CALL_DEPTH}")),
], ids=["self recursion", "mutual recursion", "declaration", "two blocks", "use before def", "400-deep calls"])
def test_malformed_programs(tmp_path, text, fragments):
    one_line_error(ir_outcome(tmp_path, text, "-p", "compile", "-t", "verilog"), *fragments)


@pytest.mark.parametrize("text, fragments", [
    ("func.func @f() attributes {a = " + "[" * 20000 + "]" * 20000 + "} {\n  func.return\n}\n",
     ("in.mlir", "nested too deeply")),
    (f"func.func @f() -> {T} {{\n  %c = fixedpoint.constant <[1{'0' * 5000}, 1], f=0> : {T}\n  func.return %c : {T}\n}}\n",
     ("in.mlir", "more than 4,300 digits")),
    ("func.func @f() {\n  func.return\n}\nfunc.func @f() {\n  func.return\n}\n",
     ("in.mlir:4:1: func.func", "redefines the symbol @f")),
    ("rtl.module @m(%a: i0 fixed<0,0,0>) -> () {\n  rtl.output\n}\n",
     ("in.mlir:1:1", "a port needs at least one bit")),
], ids=["deep attribute", "5000-digit constant", "symbol redefinition", "zero-bit port"])
def test_parser_limits(tmp_path, text, fragments):
    one_line_error(ir_outcome(tmp_path, text), *fragments)


CONSTANT_RESULTS = f"""
func.func @net(%x: {T}) -> ({T}, {T}, !fixedpoint.tensor<2xfixed<1,4,0>>) {{
  %c = fixedpoint.constant <[3, -2], f=0> : {T}
  %r = fixedpoint.relu %c : {T} -> {T}
  %s = fixedpoint.add %x, %c : ({T}, {T}) -> !fixedpoint.tensor<2xfixed<1,4,0>>
  func.return %c, %r, %s : {T}, {T}, !fixedpoint.tensor<2xfixed<1,4,0>>
}}
"""


def test_a_function_returning_constants_compiles_bit_exactly():
    """Constants returned directly or read by relu (once an internal error) go through
    every stage and the interpreters agree with the fixedpoint reference on every input."""
    module = Parser(make_context(), CONSTANT_RESULTS).parse_module()
    FixedPointInferPrecision().apply(Context(), module)
    x = Fixed.from_mantissas(np.array([[m, n] for m in range(-8, 8) for n in range(-8, 8)]), 0)
    results = run_differential(module, x, cutoffs=(1,))
    assert results and all(r.mismatches == 0 for r in results), results
