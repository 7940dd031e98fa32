"""Each supported op, in small models built with onnx.helper, against the float32 oracle.

Scales are powers of two and values small, so float32 is exact and the design must agree
with the oracle bit for bit at every quantizer; where a model has a float scale or a
batch norm, explain_mismatches accepts only float32 ties (and these inputs have none)."""

import numpy as np
import pytest
from onnx import helper

from fpga_opt.errors import CompileError
from fpga_opt.importers.onnx import import_onnx, predict, records
from fpga_opt.importers.onnx.model_io import graph_input_names

from .onnx_builders import QONNX, model, quant, tensor
from .onnx_oracle import explain_mismatches, run_oracle

RNG = np.random.default_rng(11)


def check(onnx_model, x, rtol=0.0, ties=(), **options):
    """Quantizer by quantizer exact, float32 ties aside: ``ties`` lists the expected ones
    as (sample, node, element), or is None where a float scale may cause some (each is
    still checked to be a tie by explain_mismatches); then the outputs must be close."""
    mismatches, compared = explain_mismatches(onnx_model, x, **options)
    assert compared > 0
    if ties is not None:
        assert {(m.sample, m.node, m.element) for m in mismatches} == set(ties)
    if mismatches:
        return None
    module = import_onnx(onnx_model.SerializeToString(), "m.onnx", **options)
    module.verify()
    outputs = predict(module, [x])
    expected = run_oracle(onnx_model, x, [o.name for o in onnx_model.graph.output])
    for y, e in zip(outputs, expected):
        np.testing.assert_allclose(y, e.astype(np.float64), rtol=rtol, atol=1e-6 if rtol else 0)
    return module


def rand(shape, scale=2.0):
    return (RNG.normal(0, scale, (64,) + tuple(shape))).astype(np.float32)


def weight_quant(name, w, scale, bits=4):
    node, inits = quant(name, f"{name}_w", f"{name}_out", scale, 0, bits, narrow=1)
    return node, inits + [tensor(f"{name}_w", np.asarray(w, dtype=np.float32))]


def test_matmul_add_relu_quant_chain():
    q0, i0 = quant("q0", "x", "xq", 2.0**-3, 0, 6)
    qw, iw = weight_quant("w", RNG.normal(0, 0.5, (5, 4)), 2.0**-3)
    qb, ib = weight_quant("b", RNG.normal(0, 0.5, (4,)), 2.0**-4, bits=6)
    q1, i1 = quant("q1", "r", "y", 2.0**-2, 0, 5, signed=0)
    nodes = [q0, qw, qb, helper.make_node("MatMul", ["xq", "w_out"], ["mm"], name="mm"),
             helper.make_node("Add", ["mm", "b_out"], ["a"], name="add"),
             helper.make_node("Relu", ["a"], ["r"], name="relu"), q1]
    check(model(nodes, [("x", [1, 5])], [("y", [1, 4])], i0 + iw + ib + i1), rand([5]))


@pytest.mark.parametrize("trans_b,alpha,beta", [(0, 1.0, 1.0), (1, 0.5, 2.0), (1, 0.75, 0.3)])
def test_gemm(trans_b, alpha, beta):
    w = RNG.normal(0, 0.5, (3, 6) if trans_b else (6, 3))
    q0, i0 = quant("q0", "x", "xq", 2.0**-2, 0, 6)
    qw, iw = weight_quant("w", w, 2.0**-2)
    q1, i1 = quant("q1", "g", "y", 2.0**-1, 0, 8)
    gemm = helper.make_node("Gemm", ["xq", "w_out", "c"], ["g"], name="gemm", transB=trans_b,
                            alpha=alpha, beta=beta)
    c = tensor("c", RNG.integers(-4, 4, (3,)).astype(np.float32) / 4)
    check(model([q0, qw, gemm, q1], [("x", [1, 6])], [("y", [1, 3])], i0 + iw + i1 + [c]),
          rand([6]))


@pytest.mark.parametrize("op,constant", [("Add", 0.75), ("Sub", -1.5), ("Mul", 0.375),
                                         ("Div", 4.0), ("Div", 3.0), ("Mul", 0.3)])
def test_elementwise_with_constant_then_quant(op, constant):
    q0, i0 = quant("q0", "x", "xq", 2.0**-2, 0, 6)
    q1, i1 = quant("q1", "t", "y", 2.0**-1, 0, 6)
    node = helper.make_node(op, ["xq", "k"], ["t"], name="arith")
    power_of_two = np.log2(abs(constant)) == np.round(np.log2(abs(constant)))
    check(model([q0, node, q1], [("x", [1, 4])], [("y", [1, 4])],
                i0 + i1 + [tensor("k", np.float32(constant))]), rand([4], 4.0),
          ties=() if power_of_two or op in ("Add", "Sub") else None)


def test_float32_ties_are_listed_value_by_value():
    """x * float32(0.1) rounded to halves: where x is an odd multiple of 2.5 the exact
    product is 2.5 * 0.10000000149... = 0.2500000037 above the tie, but float32 rounds it
    to 0.25 exactly, so qonnx (half to even) and the exact design differ there, and only
    there."""
    q0, i0 = quant("q0", "x", "xq", 2.0**-2, 0, 8)
    q1, i1 = quant("q1", "t", "y", 2.0**-1, 0, 6)
    node = helper.make_node("Mul", ["xq", "k"], ["t"], name="mul")
    onnx_model = model([q0, node, q1], [("x", [1, 4])], [("y", [1, 4])],
                       i0 + i1 + [tensor("k", np.float32(0.1))])
    x = rand([4], 8.0)
    (xq,) = run_oracle(onnx_model, x, ["xq"])
    halves = xq.astype(np.float64) / 5  # x * 0.1 / 0.5 in decimal
    tie = 2 * halves == np.round(2 * halves)
    tie &= halves != np.round(halves)
    # the exact value is a hair further from zero; half-to-even goes back towards zero
    # exactly when the integer part is even
    differs = tie & (np.floor(np.abs(halves)) % 2 == 0)
    expected = [(int(s), "q1", (int(e),)) for s, e in zip(*np.nonzero(differs))]
    assert expected  # the random inputs do hit ties
    check(onnx_model, x, ties=expected)


def test_constant_on_the_left():
    q0, i0 = quant("q0", "x", "xq", 2.0**-2, 0, 6)
    q1, i1 = quant("q1", "t", "y", 2.0**-2, 0, 6)
    node = helper.make_node("Sub", ["k", "xq"], ["t"], name="rsub")
    check(model([q0, node, q1], [("x", [1, 4])], [("y", [1, 4])],
                i0 + i1 + [tensor("k", np.float32([1.0, -0.5, 0.25, 2.0]))]), rand([4]))


def test_batchnorm_between_quantizers_becomes_thresholds():
    q0, i0 = quant("q0", "x", "xq", 1.0, 0, 3)
    qw, iw = weight_quant("w", RNG.normal(0, 1, (8, 6)), 1.0, bits=2)
    mm = helper.make_node("MatMul", ["xq", "w_out"], ["mm"], name="mm")
    bn = helper.make_node("BatchNormalization", ["mm", "g", "b", "mu", "var"], ["bn"],
                          name="bn", epsilon=1e-5)
    q1, i1 = quant("q1", "bn", "y", 1.0, 0, 2, narrow=1)
    params = [tensor("g", RNG.uniform(-2, 2, 6).astype(np.float32)),
              tensor("b", RNG.normal(0, 1, 6).astype(np.float32)),
              tensor("mu", RNG.normal(0, 2, 6).astype(np.float32)),
              tensor("var", RNG.uniform(0.5, 9, 6).astype(np.float32))]
    module = check(model([q0, qw, mm, bn, q1], [("x", [1, 8])], [("y", [1, 6])],
                         i0 + iw + i1 + params), rand([8], 3.0))
    assert "fixedpoint.threshold" in str(module)


def test_data_movement_and_concat():
    q0, i0 = quant("q0", "x", "xq", 2.0**-2, 0, 5)
    nodes = [q0,
             helper.make_node("Transpose", ["xq"], ["t"], name="tr", perm=[0, 2, 1]),
             helper.make_node("Identity", ["t"], ["i"], name="id"),
             helper.make_node("Flatten", ["i"], ["f"], name="fl", axis=1),
             helper.make_node("Reshape", ["f", "shape"], ["r"], name="rs"),
             helper.make_node("Concat", ["r", "r"], ["c"], name="cat", axis=1)]
    q1, i1 = quant("q1", "c", "y", 2.0**-1, 0, 4)
    check(model(nodes + [q1], [("x", [1, 2, 3])], [("y", [1, 12])],
                i0 + i1 + [tensor("shape", np.array([-1, 6], dtype=np.int64))]), rand([2, 3]))


@pytest.mark.parametrize("opset", [9, 11, 13, 17, 21])
def test_shape_subgraph_is_folded(opset):
    """Shape -> Gather -> Unsqueeze -> Concat -> Reshape (as Brevitas exports Flatten)."""
    unsqueeze = (helper.make_node("Unsqueeze", ["n"], ["n1"], name="unsq", axes=[0]) if opset < 13
                 else helper.make_node("Unsqueeze", ["n", "axes"], ["n1"], name="unsq"))
    nodes = [helper.make_node("Shape", ["x"], ["s"], name="shape"),
             helper.make_node("Gather", ["s", "zero"], ["n"], name="gather", axis=0),
             unsqueeze,
             helper.make_node("Concat", ["n1", "minus1"], ["target"], name="cat", axis=0),
             helper.make_node("Reshape", ["x", "target"], ["flat"], name="reshape"),
             helper.make_node("Mul", ["flat", "two"], ["m"], name="mul"),
             helper.make_node("Sub", ["m", "one"], ["xs"], name="sub")]
    q0, i0 = quant("q0", "xs", "y", 1.0, 0, 2, narrow=1)
    inits = i0 + [tensor("zero", np.int64(0)), tensor("minus1", np.array([-1], dtype=np.int64)),
                  tensor("axes", np.array([0], dtype=np.int64)), tensor("two", np.float32(2)),
                  tensor("one", np.float32(1))]
    x = RNG.random((64, 1, 3, 3), dtype=np.float32)
    module = check(model(nodes + [q0], [("x", [1, 1, 3, 3])], [("y", [1, 9])], inits,
                         opset=opset), x)
    (record,), _ = records(module)
    assert [op for op, _ in record.pre_ops] == ["reshape", "mul", "sub"]


MODES = ["ROUND", "HALF_EVEN", "CEIL", "FLOOR", "UP", "DOWN", "ROUND_TO_ZERO", "HALF_UP",
         "HALF_DOWN"]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("signed,narrow", [(1, 0), (1, 1), (0, 0), (0, 1)])
def test_rounding_modes_on_exact_ties(mode, signed, narrow):
    """The input quantizer puts values on a 2**-3 grid; the second rounds to 2**-1, so
    many values are exactly halfway (and float32 is exact)."""
    q0, i0 = quant("q0", "x", "xq", 2.0**-3, 0, 8)
    q1, i1 = quant("q1", "xq", "y", 2.0**-1, 0, 4, signed=signed, narrow=narrow,
                   rounding=mode.lower() if mode == "FLOOR" else mode)
    check(model([q0, q1], [("x", [1, 16])], [("y", [1, 16])], i0 + i1), rand([16], 3.0))


@pytest.mark.parametrize("mode", ["ROUND", "CEIL", "FLOOR", "HALF_UP"])
def test_float_scale_and_zero_point(mode):
    q0, i0 = quant("q0", "x", "xq", 2.0**-4, 0, 9)
    q1, i1 = quant("q1", "xq", "y", 0.3, 2, 4, signed=0, rounding=mode)
    check(model([q0, q1], [("x", [1, 16])], [("y", [1, 16])], i0 + i1), rand([16], 2.0),
          rtol=1e-6, ties=None)


@pytest.mark.parametrize("domain", [QONNX, "finn.custom_op.general", "onnx.brevitas"])
def test_every_qonnx_domain_and_bipolar(domain):
    q0, i0 = quant("q0", "x", "xq", 2.0**-2, 0, 6, domain=domain)
    bq = helper.make_node("BipolarQuant", ["xq", "s"], ["y"], name="bq", domain=domain)
    onnx_model = model([q0, bq], [("x", [1, 8])], [("y", [1, 8])],
                       i0 + [tensor("s", np.float32(0.5))], domains=(domain,))
    check(onnx_model, rand([8]))


def test_one_bit_signed_quant_is_bipolar():
    q0, i0 = quant("q0", "x", "xq", 2.0**-2, 0, 6)
    q1, i1 = quant("q1", "xq", "y", 0.5, 0, 1)
    check(model([q0, q1], [("x", [1, 8])], [("y", [1, 8])], i0 + i1), rand([8]))


@pytest.mark.parametrize("version", [1, 2])
@pytest.mark.parametrize("mode", ["FLOOR", "ROUND", "CEIL"])
def test_trunc(version, mode):
    q0, i0 = quant("q0", "x", "xq", 2.0**-3, 0, 8)
    if version == 1:
        inputs = ["xq", "ts", "tz", "tin", "tout"]
        extra = [tensor("tin", np.float32(8)), tensor("tout", np.float32(5))]
    else:
        inputs = ["xq", "ts", "tz", "tin", "tos", "tout"]
        extra = [tensor("tin", np.float32(8)), tensor("tos", np.float32(2.0**-1)),
                 tensor("tout", np.float32(4))]
    trunc = helper.make_node("Trunc", inputs, ["y"], name="trunc", domain=QONNX,
                             rounding_mode=mode)
    inits = i0 + extra + [tensor("ts", np.float32(2.0**-3)), tensor("tz", np.float32(0))]
    check(model([q0, trunc], [("x", [1, 8])], [("y", [1, 8])], inits), rand([8]))


def test_softmax_at_the_output_is_dropped():
    q0, i0 = quant("q0", "x", "xq", 2.0**-2, 0, 6)
    sm = helper.make_node("Softmax", ["xq"], ["y"], name="softmax", axis=1)
    onnx_model = model([q0, sm], [("x", [1, 5])], [("y", [1, 5])], i0)
    module = import_onnx(onnx_model.SerializeToString(), "m.onnx")
    x = rand([5])
    (logits,) = predict(module, [x])
    (xq,) = run_oracle(onnx_model, x, ["xq"])
    assert np.array_equal(logits, xq.astype(np.float64))
    assert records(module)[1][0].dropped == "Softmax"


def test_softmax_inside_the_graph_is_an_error():
    q0, i0 = quant("q0", "x", "xq", 2.0**-2, 0, 6)
    nodes = [q0, helper.make_node("Softmax", ["xq"], ["s"], name="softmax", axis=1),
             helper.make_node("Relu", ["s"], ["y"], name="after")]
    with pytest.raises(CompileError, match="node 'after'"):
        import_onnx(model(nodes, [("x", [1, 5])], [("y", [1, 5])], i0).SerializeToString(), "m")


def test_float_tail_is_recorded_per_output():
    """Float ops after the last quantizer stay on the host as scale and offset."""
    q0, i0 = quant("q0", "x", "xq", 1.0, 0, 4)
    nodes = [q0, helper.make_node("Sub", ["xq", "mu"], ["a"], name="sub"),
             helper.make_node("Div", ["a", "sd"], ["b"], name="div"),
             helper.make_node("Mul", ["b", "g"], ["c"], name="mul"),
             helper.make_node("Add", ["c", "beta"], ["y"], name="add")]
    inits = i0 + [tensor("mu", np.float32(1.2073264)), tensor("sd", np.float32(18.6044)),
                  tensor("g", np.float32(0.81962)), tensor("beta", np.float32(-1.2115))]
    module = check(model(nodes, [("x", [1, 3])], [("y", [1, 3])], inits), rand([3], 3.0),
                   rtol=1e-6)
    _, (out,) = records(module)
    assert np.allclose(out.scale, 0.81962 / 18.6044, rtol=1e-6)


def test_printed_design_parses_back_with_the_same_behaviour():
    from xdsl.context import Context
    from xdsl.dialects.builtin import Builtin
    from xdsl.dialects.func import Func
    from xdsl.parser import Parser

    from fpga_opt.dialects.fixedpoint import FixedPoint

    q0, i0 = quant("q0", "x", "xq", 0.1, 0, 6)
    q1, i1 = quant("q1", "xq", "y", 0.3, 0, 4)
    onnx_model = model([q0, q1], [("x", [1, 4])], [("y", [1, 4])], i0 + i1)
    module = import_onnx(onnx_model.SerializeToString(), "m.onnx")
    ctx = Context()
    for dialect in (Builtin, Func, FixedPoint):
        ctx.load_dialect(dialect)
    reparsed = Parser(ctx, str(module)).parse_module()
    x = rand([4])
    assert all(np.array_equal(a, b) for a, b in zip(predict(reparsed, [x]), predict(module, [x])))


def _bn(name, x, out, rng, variance):
    node = helper.make_node("BatchNormalization", [x, f"{name}_g", f"{name}_b", f"{name}_m",
                                                   f"{name}_v"], [out], name=name)
    params = [tensor(f"{name}_g", rng.uniform(0.5, 2, 4).astype(np.float32)),
              tensor(f"{name}_b", rng.normal(0, 1, 4).astype(np.float32)),
              tensor(f"{name}_m", rng.normal(0, 1, 4).astype(np.float32)),
              tensor(f"{name}_v", np.float32(variance))]
    return node, params


def test_two_batchnorms_without_a_quantizer_between_are_an_error():
    """sqrt(2) / sqrt(3) cannot be combined exactly: CompileError naming the second."""
    rng = np.random.default_rng(1)
    q0, i0 = quant("q0", "x", "xq", 1.0, 0, 4)
    bn1, p1 = _bn("bn1", "xq", "a", rng, [2, 3, 5, 7])
    bn2, p2 = _bn("bn2", "a", "b", rng, [3, 5, 7, 11])
    q1, i1 = quant("q1", "b", "y", 1.0, 0, 4)
    onnx_model = model([q0, bn1, bn2, q1], [("x", [1, 4])], [("y", [1, 4])], i0 + p1 + p2 + i1)
    with pytest.raises(CompileError, match=r"node 'bn2' \(BatchNormalization\): cannot be "
                                           r"folded exactly"):
        import_onnx(onnx_model.SerializeToString(), "m.onnx")


def test_a_quantizer_with_one_reachable_level_is_a_constant_step_function():
    """BipolarQuant of a relu is always +1: a threshold op with no thresholds."""
    q0, i0 = quant("q0", "x", "xq", 2.0**-2, 0, 6)
    relu = helper.make_node("Relu", ["xq"], ["r"], name="relu")
    bq = helper.make_node("BipolarQuant", ["r", "s"], ["y"], name="bq", domain=QONNX)
    module = check(model([q0, relu, bq], [("x", [1, 3])], [("y", [1, 3])],
                         i0 + [tensor("s", np.float32(1.0))]), rand([3]))
    assert "thresholds <[], f=" in str(module)


def test_shape_of_a_constant_folds():
    q0, i0 = quant("q0", "x", "xq", 2.0**-2, 0, 6)
    nodes = [q0, helper.make_node("Shape", ["c"], ["s"], name="shape"),
             helper.make_node("Gather", ["s", "one"], ["n"], name="gather", axis=0),
             helper.make_node("Concat", ["minus1", "n"], ["target"], name="cat", axis=0),
             helper.make_node("Reshape", ["xq", "target"], ["y"], name="reshape")]
    inits = i0 + [tensor("c", np.zeros((1, 6), dtype=np.float32)),
                  tensor("one", np.array([1], dtype=np.int64)),
                  tensor("minus1", np.array([-1], dtype=np.int64))]
    check(model(nodes, [("x", [1, 2, 3])], [("y", [1, 6])], inits), rand([2, 3]))


def test_two_graph_inputs_by_name():
    """Arguments follow the order quantizers are met; predict takes inputs by name."""
    qa, ia = quant("qa", "a", "aq", 2.0**-2, 0, 6)
    qb, ib = quant("qb", "b", "bq", 2.0**-1, 0, 5)
    nodes = [qb, qa, helper.make_node("Add", ["aq", "bq"], ["y"], name="add")]
    onnx_model = model(nodes, [("a", [1, 3]), ("b", [1, 3])], [("y", [1, 3])], ia + ib)
    module = import_onnx(onnx_model.SerializeToString(), "m.onnx")
    assert [r.name for r in records(module)[0]] == ["b", "a"]
    assert graph_input_names(module) == ["b", "a"]
    a, b = rand([3]), rand([3])
    (y,) = predict(module, {"a": a, "b": b})
    (expected,) = onnx_oracle_outputs(onnx_model, {"a": a, "b": b})
    assert np.array_equal(y, expected.astype(np.float64))


def onnx_oracle_outputs(onnx_model, feeds):
    from .onnx_oracle import oracle

    return oracle(onnx_model, [o.name for o in onnx_model.graph.output]).run(None, feeds)


@pytest.mark.parametrize("zeropt", [1, -3])
def test_power_of_two_scale_with_zero_point(zeropt):
    q0, i0 = quant("q0", "x", "xq", 2.0**-3, 0, 8)
    q1, i1 = quant("q1", "xq", "y", 2.0**-1, zeropt, 4, signed=0)
    check(model([q0, q1], [("x", [1, 16])], [("y", [1, 16])], i0 + i1), rand([16], 2.0))


@pytest.mark.parametrize("precision,fmt,rounding,overflow", [
    ("fixed<1,2,5>", (1, 2, 5), "RND_CONV", "SAT"),
    ("ap_fixed<8,3>", (1, 2, 5), "TRN", "WRAP"),
    ("ap_ufixed<6,2,AP_RND,AP_SAT>", (0, 2, 4), "RND", "SAT"),
])
def test_input_without_quantizer_gets_input_precision(precision, fmt, rounding, overflow):
    """The host converts the float input exactly as the C++ type would (numerics.quantize
    on the exact float32 value); the float ops on the input are replayed in hardware."""
    from fractions import Fraction

    from fpga_opt.importers.onnx.model_io import hardware_inputs
    from fpga_opt.interpreters.fixedpoint import find_function
    from fpga_opt.numerics import Format, Overflow, Rounding, quantize

    weights = RNG.integers(-3, 4, (4, 2)).astype(np.float32) / 4
    w = tensor("W", weights)
    nodes = [helper.make_node("Mul", ["x", "half"], ["xh"], name="scale_input"),
             helper.make_node("MatMul", ["xh", "W"], ["y"], name="fc")]
    onnx_model = model(nodes, [("x", [1, 4])], [("y", [1, 2])], [w, tensor("half", np.float32(0.5))])
    module = import_onnx(onnx_model.SerializeToString(), "m.onnx", input_precision=precision)
    (record,), _ = records(module)
    # kind "fixed": the argument type holds the format, the record the modes
    assert (record.kind, record.rounding, record.overflow) == ("fixed", rounding, overflow)
    arg_type = find_function(module).body.block.args[0].type
    assert set(arg_type.precision_array().ravel()) == {Format(*fmt)}
    x = rand([4], 6.0)
    (arg,) = hardware_inputs(module, [x])
    big = 1 << 40
    for value, mantissa in zip(x.ravel(), arg.mantissas.ravel()):
        exact = Fraction(float(value)) * big
        assert exact.denominator == 1
        assert mantissa == quantize(int(exact), 40, Format(*fmt), Rounding(rounding),
                                    Overflow(overflow))
    (y,) = predict(module, [x])
    assert np.array_equal(y, (arg.to_float() * 0.5) @ weights.astype(np.float64))


@pytest.mark.parametrize("opset", [9, 13])
def test_clip_and_dropout(opset):
    """Clip before a quantizer stays exact (here after a float scale, so it is folded into
    the thresholds); Dropout is the identity at inference."""
    q0, i0 = quant("q0", "x", "xq", 2.0**-2, 0, 6)
    q1, i1 = quant("q1", "c", "y", 2.0**-1, 0, 5)
    if opset < 11:
        clip = helper.make_node("Clip", ["m"], ["c"], name="clip", min=-1.5, max=2.25)
        extra = []
    else:
        clip = helper.make_node("Clip", ["m", "lo", "hi"], ["c"], name="clip")
        extra = [tensor("lo", np.float32(-1.5)), tensor("hi", np.float32(2.25))]
    nodes = [q0, helper.make_node("Dropout", ["xq"], ["d"], name="drop"),
             helper.make_node("Mul", ["d", "k"], ["m"], name="mul"), clip, q1]
    check(model(nodes, [("x", [1, 8])], [("y", [1, 8])],
                i0 + i1 + extra + [tensor("k", np.float32(0.7))], opset=opset),
          rand([8], 3.0), ties=None)


def test_clip_materialized_before_a_matmul():
    q0, i0 = quant("q0", "x", "xq", 2.0**-2, 0, 6)
    q1, i1 = quant("q1", "mm", "y", 2.0**-2, 0, 8)
    nodes = [q0, helper.make_node("Clip", ["xq", "lo", "hi"], ["c"], name="clip"),
             helper.make_node("MatMul", ["c", "W"], ["mm"], name="mm"), q1]
    inits = i0 + i1 + [tensor("lo", np.float32(-1.0)), tensor("hi", np.float32(0.75)),
                       tensor("W", RNG.integers(-2, 3, (4, 3)).astype(np.float32))]
    module = check(model(nodes, [("x", [1, 4])], [("y", [1, 3])], inits), rand([4]))
    assert "fixedpoint.max" in str(module) and "fixedpoint.min" in str(module)


def _per_channel_input_model(scales):
    q0 = helper.make_node("Quant", ["x", "s", "z", "b"], ["xq"], name="q0", domain=QONNX,
                          signed=1, narrow=0, rounding_mode="ROUND")
    q1, i1 = quant("q1", "mm", "y", 0.5, 0, 8)
    nodes = [q0, helper.make_node("MatMul", ["xq", "W"], ["mm"], name="mm"), q1]
    inits = i1 + [tensor("s", np.float32(scales).reshape(1, 4)), tensor("z", np.float32(0)),
                  tensor("b", np.float32(6)),
                  tensor("W", RNG.integers(-2, 3, (4, 3)).astype(np.float32))]
    return model(nodes, [("x", [1, 4])], [("y", [1, 3])], inits)


def test_per_channel_power_of_two_input_scales_are_applied_before_a_matmul():
    module = check(_per_channel_input_model([0.25, 0.5, 0.125, 1.0]), rand([4]))
    assert "fixedpoint.mul" in str(module)


def test_per_channel_division_before_a_matmul_is_an_error():
    """x / [3, 1, 1, 1] has no exact fixed-point form and cannot move past the product."""
    q0, i0 = quant("q0", "x", "xq", 0.25, 0, 6)
    q1, i1 = quant("q1", "mm", "y", 0.5, 0, 8)
    nodes = [q0, helper.make_node("Div", ["xq", "d"], ["xd"], name="div"),
             helper.make_node("MatMul", ["xd", "W"], ["mm"], name="mm"), q1]
    inits = i0 + i1 + [tensor("d", np.float32([3, 1, 1, 1])),
                       tensor("W", RNG.integers(-2, 3, (4, 3)).astype(np.float32))]
    onnx_model = model(nodes, [("x", [1, 4])], [("y", [1, 3])], inits)
    with pytest.raises(CompileError, match=r"node 'mm' \(MatMul\): the input's float scale "
                                           r"differs along the contracted axis"):
        import_onnx(onnx_model.SerializeToString(), "m.onnx")


@pytest.mark.parametrize("out_scale,out_bias,layout", [(1.0, 0.0, "NCHW"), (0.5, -1.5, "NCHW"),
                                                        (0.25, 0.1, "NHWC")])
def test_finn_multithreshold(out_scale, out_bias, layout):
    q0, i0 = quant("q0", "x", "xq", 2.0**-2, 0, 6)
    thresholds = np.sort(RNG.normal(0, 3, (3 if layout == "NCHW" else 4, 5)), axis=1)
    mt = helper.make_node("MultiThreshold", ["xq", "T"], ["y"], name="mt",
                          domain="finn.custom_op.general", out_dtype="UINT3",
                          out_scale=out_scale, out_bias=out_bias, data_layout=layout)
    onnx_model = model([q0, mt], [("x", [1, 3, 4])], [("y", [1, 3, 4])],
                       i0 + [tensor("T", thresholds.astype(np.float32))],
                       domains=(QONNX, "finn.custom_op.general"))
    module = import_onnx(onnx_model.SerializeToString(), "m.onnx")
    x = rand([3, 4], 3.0)
    (y,) = predict(module, [x])
    (expected,) = run_oracle(onnx_model, x, ["y"])
    np.testing.assert_allclose(y, expected, rtol=0, atol=1e-6)
    assert "fixedpoint.threshold" in str(module)


def test_multithreshold_counts_thresholds_equal_to_the_input():
    """Global thresholds on the input's own grid: x == T counts (x >= T)."""
    q0, i0 = quant("q0", "x", "xq", 2.0**-2, 0, 6)
    mt = helper.make_node("MultiThreshold", ["xq", "T"], ["y"], name="mt", domain=QONNX,
                          out_dtype="UINT3")
    onnx_model = model([q0, mt], [("x", [1, 6])], [("y", [1, 6])],
                       i0 + [tensor("T", np.float32([[-1, -0.25, 0, 0.5, 0.5, 2]]))])
    module = import_onnx(onnx_model.SerializeToString(), "m.onnx")
    x = np.float32([[-1, -0.25, 0, 0.5, 2, 1.75], [-2, -0.5, 0.25, -0.75, 3, 0.0]])
    (y,) = predict(module, [x])
    assert y.tolist() == [[1, 2, 3, 5, 6, 5], [0, 1, 3, 1, 6, 3]]
    (expected,) = run_oracle(onnx_model, x, ["y"])
    assert np.array_equal(y, expected.astype(np.float64))


@pytest.mark.parametrize("op", ["Add", "Sub"])
def test_sum_of_two_tensors_with_the_same_float_scale(op):
    """A residual add of two quantizers that share a float scale: the integers are added
    and the scale moves on to the next quantizer (no multiplication in hardware)."""
    qa, ia = quant("qa", "x", "a", 0.3, 0, 5)
    qb, ib = quant("qb", "x2", "b", 0.3, 0, 5)
    q1, i1 = quant("q1", "s", "y", 0.25, 0, 8)
    nodes = [qa, helper.make_node("Mul", ["x", "k"], ["x2"], name="mul"), qb,
             helper.make_node(op, ["a", "b"], ["s"], name="residual"), q1]
    onnx_model = model(nodes, [("x", [1, 6])], [("y", [1, 6])],
                       ia + ib + i1 + [tensor("k", np.float32(-0.5))])
    module = check(onnx_model, rand([6], 2.0), ties=None)
    if module is not None:
        assert "fixedpoint.mul" not in str(module)
