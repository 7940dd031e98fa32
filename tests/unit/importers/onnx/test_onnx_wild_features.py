"""Features real QONNX/FINN/hls4ml files need (issue 12): TopK k=1 as a comparator tree,
a Transpose of a graph input before its quantizer, finn_datatype input annotations, Quant
under other domain spellings, opsets below 9 upgraded, reshapes of an unquantized input
(the former NoneType internal error), data movement after a Softmax, and the two
out-of-scope refusals.  Each compares bits with onnx's reference evaluator (qonnx
semantics, onnx_oracle.py) and, for the new hardware, every lowering stage."""

import numpy as np
import pytest
from onnx import helper
from xdsl.context import Context

from fpga_opt.errors import CompileError
from fpga_opt.importers.onnx import import_onnx, predict, records
from fpga_opt.interpreters.fixedpoint import Fixed
from fpga_opt.importers.onnx.model_io import hardware_inputs
from fpga_opt.testing.differential import run_differential
from fpga_opt.tools.driver import main
from fpga_opt.transforms.fixedpoint_infer_precision import FixedPointInferPrecision

from .onnx_builders import model, quant, tensor
from .onnx_oracle import run_oracle

RNG = np.random.default_rng(12)


def imported(m, **options):
    module = import_onnx(m.SerializeToString(), "test.onnx", **options)
    module.verify()
    return module


def every_stage_agrees(module, x):
    """The fixedpoint, cmvm, optimized cmvm and rtl interpreters give the same bits."""
    module = module.clone()
    FixedPointInferPrecision().apply(Context(), module)
    (arg,) = hardware_inputs(module, [x])
    results = run_differential(module, arg, cutoffs=(2,))
    assert not {r.stage: r.mismatches for r in results if r.mismatches}


def argmax_model(n_in=6, n_out=5, largest=1, with_values=False, scale=0.5):
    q, q_inits = quant("q_in", "x", "xq", 0.25, 0, 3)
    w = RNG.integers(-2, 3, (n_in, n_out)).astype(np.float32)
    nodes = [q, helper.make_node("MatMul", ["xq", "W"], ["h"], name="fc"),
             helper.make_node("Mul", ["h", "s"], ["hs"], name="dequant"),
             helper.make_node("TopK", ["hs", "k"], ["values", "index"],
                              name="argmax", axis=-1, largest=largest)]
    outputs = [("values", [1, 1]), ("index", [1, 1])] if with_values else [("index", [1, 1])]
    inits = q_inits + [tensor("W", w), tensor("s", np.float32(scale)),
                       tensor("k", np.array([1], dtype=np.int64))]
    m = model(nodes, [("x", [1, n_in])], outputs, inits)
    m.graph.output[[o.name for o in m.graph.output].index("index")].type.tensor_type.elem_type = 7
    return m


@pytest.mark.parametrize("largest,scale", [(1, 0.5), (0, 0.5), (1, -0.75)])
def test_topk_argmax_exact_with_ties(largest, scale):
    m = argmax_model(largest=largest, scale=scale)
    module = imported(m)
    x = RNG.integers(-4, 4, (3000, 6)).astype(np.float32) * 0.25  # small ints: many ties
    (index,) = predict(module, [x])
    (want,) = run_oracle(m, x, ["index"])
    assert np.array_equal(index, want.astype(np.float64))
    every_stage_agrees(module, x[:500])


def test_topk_values_output():
    m = argmax_model(with_values=True)
    module = imported(m)
    x = RNG.integers(-4, 4, (2000, 6)).astype(np.float32) * 0.25
    values, index = predict(module, [x])
    want_values, want_index = run_oracle(m, x, ["values", "index"])
    assert np.array_equal(index, want_index.astype(np.float64))
    assert np.array_equal(values, want_values.astype(np.float64))


def test_topk_other_k_is_refused():
    m = argmax_model()
    m.graph.initializer[-1].CopyFrom(tensor("k", np.array([2], dtype=np.int64)))
    with pytest.raises(CompileError, match="only k = 1"):
        imported(m)


def transposed_input_model():
    w = RNG.integers(-3, 4, (3, 4)).astype(np.float32)
    q, inits = quant("q_in", "xt", "xq", 0.125, 0, 5)
    nodes = [helper.make_node("Transpose", ["x"], ["xt"], name="to_nhwc", perm=[0, 2, 1]), q,
             helper.make_node("MatMul", ["xq", "W"], ["y"], name="fc")]
    return model(nodes, [("x", [1, 3, 2])], [("y", [1, 2, 4])], inits + [tensor("W", w)])


def test_transpose_of_a_graph_input_before_its_quantizer_is_wiring():
    m = transposed_input_model()
    module = imported(m)
    x = RNG.normal(0, 1, (1000, 3, 2)).astype(np.float32)
    (y,) = predict(module, [x])
    (want,) = run_oracle(m, x, ["y"])
    assert np.array_equal(y, want.astype(np.float64))
    (record,), _ = records(module)
    assert [op for op, _ in record.pre_ops] == ["transpose"]


def test_transpose_of_an_unquantized_input_is_a_hardware_transpose():
    w = RNG.integers(-3, 4, (3, 4)).astype(np.float32)
    nodes = [helper.make_node("Transpose", ["x"], ["xt"], name="to_nhwc", perm=[0, 2, 1]),
             helper.make_node("Reshape", ["xt", "shape"], ["xr"], name="rs"),
             helper.make_node("MatMul", ["xr", "W"], ["y"], name="fc")]
    m = model(nodes, [("x", [1, 3, 2])], [("y", [1, 2, 4])],
              [tensor("W", w), tensor("shape", np.array([-1, 2, 3], dtype=np.int64))])
    module = imported(m, input_precision="fixed<1,3,4>")
    x = np.round(RNG.normal(0, 2, (1000, 3, 2)) * 16).astype(np.float32) / 16
    (y,) = predict(module, [x])
    (want,) = run_oracle(m, x, ["y"])
    assert np.array_equal(y, want.astype(np.float64))
    ops = [op.name for op in module.body.block.first_op.body.block.ops]
    assert "fixedpoint.transpose" in ops


def test_transpose_moving_the_batch_axis_is_refused():
    nodes = [helper.make_node("Transpose", ["x"], ["xt"], name="swap", perm=[1, 0]),
             helper.make_node("Relu", ["xt"], ["y"], name="r")]
    m = model(nodes, [("x", [1, 3])], [("y", [3, 1])])
    with pytest.raises(CompileError, match="swap.*moves the batch axis"):
        imported(m, input_precision="fixed<1,3,4>")


def annotated_model(datatype: str):
    w = RNG.integers(-3, 4, (4, 3)).astype(np.float32)
    nodes = [helper.make_node("MatMul", ["x", "W"], ["y"], name="fc")]
    m = model(nodes, [("x", [1, 4])], [("y", [1, 3])], [tensor("W", w)])
    annotation = m.graph.quantization_annotation.add()
    annotation.tensor_name = "x"
    entry = annotation.quant_parameter_tensor_names.add()
    entry.key, entry.value = "finn_datatype", datatype
    return m


@pytest.mark.parametrize("datatype,values", [("UINT8", np.arange(256)), ("INT4", np.arange(-8, 8)),
                                             ("BIPOLAR", np.array([-1, 1]))])
def test_finn_datatype_annotation_is_the_input_precision(datatype, values):
    m = annotated_model(datatype)
    module = imported(m)  # no input_precision needed
    x = RNG.choice(values, (1000, 4)).astype(np.float32)
    (y,) = predict(module, [x])
    (want,) = run_oracle(m, x, ["y"])
    assert np.array_equal(y, want.astype(np.float64))
    arg_type = module.body.block.first_op.body.block.args[0].type
    assert arg_type.interval_array().ravel()[0].lo == values.min()


def test_unannotated_input_still_asks_for_a_precision():
    m = annotated_model("FLOAT32")
    with pytest.raises(CompileError, match="--input-precision"):
        imported(m)


@pytest.mark.parametrize("domain", ["finn", "qonnx.custom_op", "finn.custom_op.general",
                                    "onnx.brevitas", "qonnx.custom_op.general"])
def test_quant_under_any_qonnx_domain_spelling(domain):
    def relu_of_quant(domain):
        q, inits = quant("q_in", "x", "xq", 0.25, 0, 4, domain=domain)
        return model([q, helper.make_node("Relu", ["xq"], ["y"], name="r")], [("x", [1, 4])],
                     [("y", [1, 4])], inits, domains=(domain,))

    module = imported(relu_of_quant(domain))
    x = RNG.normal(0, 2, (500, 4)).astype(np.float32)
    (y,) = predict(module, [x])
    (want,) = run_oracle(relu_of_quant("qonnx.custom_op.general"), x, ["y"])
    assert np.array_equal(y, want.astype(np.float64))


def test_reshape_of_an_unquantized_input_before_its_consumer():
    """The former internal error ("'NoneType' object has no attribute 'results'")."""
    w = RNG.integers(-3, 4, (6, 2)).astype(np.float32)
    nodes = [helper.make_node("Reshape", ["x", "shape"], ["xr"], name="flat"),
             helper.make_node("Mul", ["xr", "two"], ["xm"], name="m"),
             helper.make_node("MatMul", ["xm", "W"], ["y"], name="fc")]
    m = model(nodes, [("x", [1, 2, 3])], [("y", [1, 2])],
              [tensor("W", w), tensor("shape", np.array([-1, 6], dtype=np.int64)),
               tensor("two", np.float32(2))])
    module = imported(m, input_precision="fixed<1,3,4>")
    x = np.round(RNG.normal(0, 2, (500, 2, 3)) * 16).astype(np.float32) / 16
    (y,) = predict(module, [x])
    (want,) = run_oracle(m, x, ["y"])
    assert np.array_equal(y, want.astype(np.float64))


def test_opset_7_is_upgraded():
    w = RNG.integers(-3, 4, (4, 3)).astype(np.float32)
    nodes = [helper.make_node("MatMul", ["x", "W"], ["h"], name="fc"),
             helper.make_node("Relu", ["h"], ["y"], name="r")]
    m = model(nodes, [("x", [1, 4])], [("y", [1, 3])], [tensor("W", w)], opset=7, domains=())
    module = imported(m, input_precision="fixed<1,3,4>")
    x = np.round(RNG.normal(0, 2, (500, 4)) * 16).astype(np.float32) / 16
    (y,) = predict(module, [x])
    assert np.array_equal(y, np.maximum(x.astype(np.float64) @ w, 0))


def test_identity_after_softmax():
    w = RNG.integers(-3, 4, (4, 3)).astype(np.float32)
    q, inits = quant("q_in", "x", "xq", 0.25, 0, 4)
    nodes = [q, helper.make_node("MatMul", ["xq", "W"], ["h"], name="fc"),
             helper.make_node("Softmax", ["h"], ["p"], name="sm", axis=-1),
             helper.make_node("Identity", ["p"], ["p1"], name="id"),
             helper.make_node("Reshape", ["p1", "shape"], ["y"], name="rs")]
    m = model(nodes, [("x", [1, 4])], [("y", [1, 3])],
              inits + [tensor("W", w), tensor("shape", np.array([-1, 3], dtype=np.int64))])
    module = imported(m)  # argmax mode: the Softmax dropped through the data movement
    x = RNG.normal(0, 2, (500, 4)).astype(np.float32)
    (y,) = predict(module, [x])
    (want,) = run_oracle(m, x, ["y"])
    assert np.array_equal(np.argmax(y, axis=1), np.argmax(want, axis=1))


def hardware_layer_model():
    node = helper.make_node("MVAU_hls", ["x"], ["y"], name="MVAU_hls_0",
                            domain="finn.custom_op.fpgadataflow.hls")
    return model([node], [("x", [1, 4])], [("y", [1, 4])],
                 domains=("finn.custom_op.fpgadataflow.hls",))


def float_quant_model():
    node = helper.make_node("FloatQuant", ["x", "s", "e", "m", "b", "mx"], ["y"], name="fq",
                            domain="onnx.brevitas")
    inits = [tensor(n, np.float32(v)) for n, v in (("s", 1), ("e", 4), ("m", 3), ("b", 7), ("mx", 240))]
    return model([node], [("x", [1, 4])], [("y", [1, 4])], inits, domains=("onnx.brevitas",))


@pytest.mark.parametrize("build,words", [
    (hardware_layer_model, ("MVAU_hls_0", "FINN", "before FINN's hardware conversion")),
    (float_quant_model, ("fq", "FloatQuant", "out of scope")),
])
def test_out_of_scope_models_exit_1_with_a_reason(tmp_path, capsys, build, words):
    path = tmp_path / "model.onnx"
    path.write_bytes(build().SerializeToString())
    with pytest.raises(CompileError) as error:
        import_onnx(path.read_bytes(), str(path))
    for word in words:
        assert word in str(error.value)
    assert main([str(path), "-t", "stats"]) == 1
    err = capsys.readouterr().err
    assert "FINN" in err or "FloatQuant" in err
    assert "Traceback" not in err


def test_a_graph_input_without_a_batch_axis_is_refused():
    w = RNG.integers(-3, 4, (16, 3)).astype(np.float32)
    m = model([helper.make_node("MatMul", ["x", "W"], ["y"], name="fc")], [("x", [16])],
              [("y", [3])], [tensor("W", w)])
    with pytest.raises(CompileError, match=r"graph input 'x'.*first axis .* as the batch"):
        imported(m, input_precision="fixed<1,3,4>")


def conv_pool_model(channels_last: bool):
    """Quant -> Conv (depthwise when group = C) -> BatchNorm -> MaxPool on an NHWC input,
    either as qonnx's channels-last ops or as standard ops between transposes."""
    rng = np.random.default_rng(4)  # the same weights for both forms
    w = rng.integers(-2, 3, (4, 1, 2, 2)).astype(np.float32)
    q, inits = quant("q_in", "x", "xq", 0.25, 0, 4)
    bn = [tensor(n, rng.uniform(0.5, 1.5, 4).astype(np.float32)) for n in ("g", "b", "mu", "var")]
    domain = "qonnx.custom_op.channels_last" if channels_last else ""
    q_mid, q_mid_inits = quant("q_mid", "n", "nq", 0.5, 0, 4)
    layers = [helper.make_node("Conv", ["a", "W"], ["c"], name="conv", domain=domain, group=4,
                               kernel_shape=[2, 2]),
              helper.make_node("BatchNormalization", ["c", "g", "b", "mu", "var"], ["n"],
                               name="bn", domain=domain),
              q_mid,
              helper.make_node("MaxPool", ["nq"], ["y" if channels_last else "y_"],
                               name="pool", domain=domain, kernel_shape=[2, 2], strides=[2, 2])]
    inits += q_mid_inits + bn + [tensor("W", w)]
    if channels_last:
        nodes = [q, helper.make_node("Identity", ["xq"], ["a"], name="id")] + layers
    else:
        nodes = [q, helper.make_node("Transpose", ["xq"], ["a"], name="t0", perm=[0, 3, 1, 2])] + \
            layers + [helper.make_node("Transpose", ["y_"], ["y"], name="t1", perm=[0, 2, 3, 1])]
    domains = ("qonnx.custom_op.general",) + ((domain,) if channels_last else ())
    return model(nodes, [("x", [1, 7, 7, 4])], [("y", [1, 3, 3, 4])], inits, domains=domains)


def test_channels_last_ops_with_a_depthwise_convolution():
    module = imported(conv_pool_model(channels_last=True))
    x = RNG.normal(0, 1.5, (400, 7, 7, 4)).astype(np.float32)
    (y,) = predict(module, [x])
    (want,) = run_oracle(conv_pool_model(channels_last=False), x, ["y"])
    assert y.shape == want.shape
    assert np.array_equal(y, want.astype(np.float64))


def test_topk_after_a_bipolar_layer_and_a_float_tail():
    """FINN's tail: bipolar activations (2c - 1, so a per-class offset -sum W) through a
    matrix, then float scale and bias: the order is kept exactly."""
    rng = np.random.default_rng(3)
    w = rng.choice([-1.0, 1.0], (8, 5)).astype(np.float32)
    t = rng.normal(0, 1, (8, 1)).astype(np.float32)
    nodes = [helper.make_node("MultiThreshold", ["x", "T"], ["b"], name="mt",
                              domain="finn.custom_op.general", out_scale=2.0, out_bias=-1.0),
             helper.make_node("MatMul", ["b", "W"], ["h"], name="fc"),
             helper.make_node("Div", ["h", "d"], ["hd"], name="div"),
             helper.make_node("Add", ["hd", "c"], ["hc"], name="add"),
             helper.make_node("TopK", ["hc", "k"], ["values", "index"], name="argmax")]
    m = model(nodes, [("x", [1, 8])], [("index", [1, 1])],
              [tensor("W", w), tensor("T", t), tensor("d", np.float32(17.838)),
               tensor("c", np.float32(-1.1436)), tensor("k", np.array([1], dtype=np.int64))],
              domains=("finn.custom_op.general",))
    m.graph.output[0].type.tensor_type.elem_type = 7
    module = imported(m, input_precision="fixed<1,3,4>")
    x = np.round(rng.normal(0, 1, (2000, 8)) * 16).astype(np.float32) / 16
    (index,) = predict(module, [x])
    bits = np.where(x >= t.T, 1.0, -1.0)
    scores = (bits @ w.astype(np.float64)) / np.float32(17.838)
    assert np.array_equal(index[:, 0], np.argmax(scores, axis=1))
    every_stage_agrees(module, x[:300])
