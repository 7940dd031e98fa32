"""ONNX Conv / pooling / batch-norm / activation converters on small float models built
with onnx.helper, compiled at fixed<16,6> and compared with the float reference of
test_float_models.py (its error bound) and with onnx's own evaluator."""

from __future__ import annotations

import re

import numpy as np
import onnx
import pytest
from onnx import TensorProto, helper, numpy_helper
from onnx.reference import ReferenceEvaluator

from fpga_opt.errors import CompileError
from fpga_opt.importers.onnx import import_onnx, predict

from .test_float_models import LSB, FloatReference


def float_model(nodes, x_shape, initializers, opset=15):
    """A float32 model ``x -> y``; the output's shape is found by running it once."""
    inits = [numpy_helper.from_array(np.asarray(v, dtype=np.float32), k)
             for k, v in initializers.items()]

    def build(y_info):
        graph = helper.make_graph(
            nodes, "test", [helper.make_tensor_value_info("x", TensorProto.FLOAT, x_shape)],
            [y_info], inits)
        return helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)])

    probe = build(helper.make_tensor_value_info("y", TensorProto.FLOAT, None))
    (y,) = ReferenceEvaluator(probe).run(None, {"x": np.zeros(x_shape, dtype=np.float32)})
    return build(helper.make_tensor_value_info("y", TensorProto.FLOAT, list(y.shape)))


def compile_model(model, precision="fixed<16,6>"):
    return import_onnx(model.SerializeToString(), "test.onnx", default_precision=precision)


def check_against_reference(model, x):
    """The design is within the derived bound of the float64 reference, and that reference
    agrees with onnx's ReferenceEvaluator (float32)."""
    module = compile_model(model)
    (hardware,) = predict(module, [x])
    reference, bound, _ = FloatReference(model).run(x)
    (onnx_y,) = ReferenceEvaluator(model).run(None, {"x": x})
    np.testing.assert_allclose(reference, onnx_y, rtol=1e-5, atol=1e-5)
    error = np.abs(hardware - reference.reshape(hardware.shape))
    assert np.all(error <= bound.reshape(hardware.shape)), (error.max(), bound.max())
    return module, hardware, error


def rng_weights(seed, *shape, scale=0.5):
    return np.random.default_rng(seed).uniform(-scale, scale, size=shape).astype(np.float32)


def images(seed, *shape):
    return np.random.default_rng(seed).uniform(-1, 1, size=shape).astype(np.float32)


def op_names(module) -> list[str]:
    return [op.name for op in module.walk()]


@pytest.mark.parametrize("attrs", [
    dict(strides=[1, 1], pads=[1, 1, 1, 1]),
    dict(strides=[2, 1], pads=[0, 1, 2, 0], dilations=[1, 2]),
    dict(auto_pad="SAME_UPPER", strides=[2, 2]),
    dict(auto_pad="SAME_LOWER"),
    dict(auto_pad="VALID", group=2),
])
def test_conv2d(attrs):
    groups = attrs.get("group", 1)
    w = rng_weights(1, 4, 4 // groups, 3, 3)
    b = rng_weights(2, 4)
    conv = helper.make_node("Conv", ["x", "w", "b"], ["y"], kernel_shape=[3, 3], **attrs)
    model = float_model([conv], [1, 4, 6, 7], {"w": w, "b": b})
    check_against_reference(model, images(3, 20, 4, 6, 7))


def test_conv1d_without_bias():
    conv = helper.make_node("Conv", ["x", "w"], ["y"], pads=[2, 0], strides=[2])
    model = float_model([conv], [1, 3, 9], {"w": rng_weights(4, 2, 3, 3)})
    module, _, _ = check_against_reference(model, images(5, 20, 3, 9))
    assert "fixedpoint.conv" in op_names(module)


@pytest.mark.parametrize("kernel, strides, pads, count_include_pad", [
    ([2, 2], [2, 2], [0, 0, 0, 0], 0),  # power of two: exact
    ([3, 3], [1, 1], [1, 1, 1, 1], 0),  # counts 4, 6, 9 at corners, edges, inside
    ([3, 2], [2, 1], [1, 0, 1, 1], 1),
])
def test_average_pool(kernel, strides, pads, count_include_pad):
    node = helper.make_node("AveragePool", ["x"], ["y"], kernel_shape=kernel, strides=strides,
                            pads=pads, count_include_pad=count_include_pad)
    model = float_model([node], [1, 2, 5, 5], {})
    module, _, error = check_against_reference(model, images(6, 50, 2, 5, 5))
    assert "fixedpoint.avgpool" in op_names(module)
    assert error.max() <= 1.25 * LSB + LSB  # input rounding, reciprocal, output rounding


def test_global_average_pool_of_a_non_power_of_two_image():
    node = helper.make_node("GlobalAveragePool", ["x"], ["y"])
    model = float_model([node], [1, 3, 3, 5], {})
    check_against_reference(model, images(7, 50, 3, 3, 5))


def test_max_pool_with_padding():
    node = helper.make_node("MaxPool", ["x"], ["y"], kernel_shape=[3, 2], strides=[2, 2],
                            pads=[1, 0, 1, 1])
    model = float_model([node], [1, 2, 5, 6], {})
    module, _, error = check_against_reference(model, images(8, 30, 2, 5, 6))
    assert error.max() < LSB  # the max of quantized inputs: only the input rounding


@pytest.mark.parametrize("layer", ["Conv", "Gemm", "MatMul"])
def test_batch_norm_is_folded_into_the_preceding_layer(layer):
    gamma, beta = rng_weights(9, 4, scale=2.0), rng_weights(10, 4)
    mean, var = rng_weights(11, 4), np.abs(rng_weights(12, 4)) + 0.1
    inits = {"gamma": gamma, "beta": beta, "mean": mean, "var": var}
    if layer == "Conv":
        nodes = [helper.make_node("Conv", ["x", "w", "b"], ["h"], pads=[1, 1])]
        inits |= {"w": rng_weights(13, 4, 2, 3), "b": rng_weights(14, 4)}
        x_shape, folded_w = [1, 2, 6], lambda w, s: w * s[:, None, None]
    elif layer == "Gemm":
        nodes = [helper.make_node("Gemm", ["x", "w", "b"], ["h"], transB=1)]
        inits |= {"w": rng_weights(13, 4, 5), "b": rng_weights(14, 4)}
        x_shape, folded_w = [1, 5], lambda w, s: w * s[:, None]
    else:
        nodes = [helper.make_node("MatMul", ["x", "w"], ["m"]),
                 helper.make_node("Add", ["m", "b"], ["h"])]
        inits |= {"w": rng_weights(13, 5, 4), "b": rng_weights(14, 4)}
        x_shape, folded_w = [1, 5], lambda w, s: w * s[None, :]
    bn = helper.make_node("BatchNormalization", ["h", "gamma", "beta", "mean", "var"], ["y"])
    model = float_model(nodes + [bn], x_shape, inits)
    module = compile_model(model)
    assert "fixedpoint.mul" not in op_names(module), "the batch norm was not folded"
    # The design must be the folded layer (hls4ml's fuse_batchnorm), quantized once.
    s = gamma.astype(np.float64) / np.sqrt(var.astype(np.float64) + np.float64(np.float32(1e-5)))
    folded = {"w": folded_w(inits["w"].astype(np.float64), s),
              "b": (inits["b"] - mean) * s + beta}
    last = onnx.NodeProto()
    last.CopyFrom(nodes[-1])
    last.output[0] = "y"
    folded_model = float_model(nodes[:-1] + [last], x_shape, folded)
    x = images(15, 40, *x_shape[1:])
    (hardware,) = predict(module, [x])
    reference, bound, _ = FloatReference(folded_model).run(x)
    (onnx_y,) = ReferenceEvaluator(model).run(None, {"x": x})
    np.testing.assert_allclose(reference, onnx_y, rtol=1e-4, atol=1e-4)
    assert np.all(np.abs(hardware - reference) <= bound)


def test_batch_norm_after_an_activation_is_a_quantized_affine_layer():
    nodes = [helper.make_node("Relu", ["x"], ["r"]),
             helper.make_node("BatchNormalization", ["r", "gamma", "beta", "mean", "var"], ["y"])]
    inits = {"gamma": rng_weights(16, 3, scale=2.0), "beta": rng_weights(17, 3),
             "mean": rng_weights(18, 3), "var": np.abs(rng_weights(19, 3)) + 0.1}
    model = float_model(nodes, [1, 3, 4], inits)
    module, _, _ = check_against_reference(model, images(20, 30, 3, 4))
    assert {"fixedpoint.mul", "fixedpoint.add", "fixedpoint.quantize"} <= set(op_names(module))


@pytest.mark.parametrize("activation", ["Sigmoid", "Selu"])
def test_activation_tables(activation):
    nodes = [helper.make_node("Mul", ["x", "k"], ["h"]),
             helper.make_node(activation, ["h"], ["y"])]
    model = float_model(nodes, [1, 6], {"k": np.float32(4.0)})
    x = images(21, 200, 6)
    module, _, error = check_against_reference(model, x)
    assert "fixedpoint.lookup" in op_names(module)


def test_tanh_table_is_exactly_the_quantized_function():
    model = float_model([helper.make_node("Tanh", ["x"], ["y"])], [1, 4], {})
    module = compile_model(model)
    grid = np.arange(-2048, 2048, dtype=np.float64) / 1024  # every input of [-2, 2)
    (hardware,) = predict(module, [grid.reshape(-1, 4).astype(np.float32)])
    assert np.array_equal(hardware.ravel(), np.floor(np.tanh(grid) * 1024) / 1024)


@pytest.mark.parametrize("precision, message", [
    ("fixed<16>", "malformed precision at column 9"),
    ("ap_fixed<80,6>", "width 80 is outside the supported 1..64 bits"),
])
def test_bad_precision_strings_are_compile_errors(precision, message):
    model = float_model([helper.make_node("Relu", ["x"], ["y"])], [1, 4], {})
    with pytest.raises(CompileError, match=message):
        compile_model(model, precision)


def test_sigmoid_needs_a_precision():
    model = float_model([helper.make_node("Sigmoid", ["x"], ["y"])], [1, 4], {})
    with pytest.raises(CompileError, match="needs an output precision"):
        import_onnx(model.SerializeToString(), "t.onnx", input_precision="fixed<1,3,4>")


def test_pooling_attributes_that_are_not_supported_are_reported():
    node = helper.make_node("MaxPool", ["x"], ["y"], kernel_shape=[2], strides=[2], ceil_mode=1)
    model = float_model([node], [1, 2, 5], {})
    with pytest.raises(CompileError, match=r"node '.*' \(MaxPool\): ceil_mode=1 changes"):
        compile_model(model)


def test_average_pool_after_relu_is_hls4ml_truncating_division_bit_for_bit():
    # counts 4, 6 and 9 (corners, edges, inside): none but 4 has an exact reciprocal
    nodes = [helper.make_node("Relu", ["x"], ["r"]),
             helper.make_node("AveragePool", ["r"], ["y"], kernel_shape=[3, 3],
                              pads=[1, 1, 1, 1])]
    model = float_model(nodes, [1, 2, 4, 5], {})
    x = images(22, 300, 2, 4, 5)
    x[:10] = np.round(x[:10] * 4) / 4  # coarse values: many averages exactly on the grid
    (hardware,) = predict(compile_model(model), [x])
    m = np.maximum(np.floor(x.astype(np.float64) * 1024), 0).astype(np.int64)
    padded = np.pad(m, [(0, 0), (0, 0), (1, 1), (1, 1)])
    counts = np.pad(np.ones((4, 5), dtype=np.int64), 1)
    sums = sum(padded[:, :, i:i + 4, j:j + 5] for i in range(3) for j in range(3))
    count = sum(counts[i:i + 4, j:j + 5] for i in range(3) for j in range(3))
    assert np.array_equal(hardware * 1024, sums // count)


def test_weights_from_constant_nodes_are_quantized_like_initializers():
    w = rng_weights(23, 3, 2)
    nodes = [helper.make_node("Constant", [], ["w"], value=numpy_helper.from_array(w)),
             helper.make_node("MatMul", ["x", "w"], ["m"]),
             helper.make_node("Constant", [], ["b"], value=numpy_helper.from_array(
                 rng_weights(24, 2))),
             helper.make_node("Add", ["m", "b"], ["y"])]
    model = float_model(nodes, [1, 3], {})
    module, _, _ = check_against_reference_with_constants(model, images(25, 40, 3))
    weights = [op for op in module.walk() if op.name == "fixedpoint.constant"]
    assert weights and all(op.value.data.f <= 10 for op in weights)  # on the 2**-10 grid
    assert [op.name for op in module.walk()].count("fixedpoint.quantize") == 1


def check_against_reference_with_constants(model, x):
    """Constant nodes written out as initializers for the float reference."""
    inlined = onnx.ModelProto()
    inlined.CopyFrom(model)
    del inlined.graph.node[:]
    for node in model.graph.node:
        if node.op_type == "Constant":
            tensor = onnx.TensorProto()
            tensor.CopyFrom(node.attribute[0].t)
            tensor.name = node.output[0]
            inlined.graph.initializer.append(tensor)
        else:
            inlined.graph.node.append(node)
    module = compile_model(model)
    (hardware,) = predict(module, [x])
    reference, bound, _ = FloatReference(inlined).run(x)
    assert np.all(np.abs(hardware - reference) <= bound)
    return module, hardware, reference


@pytest.mark.parametrize("node, shape, message", [
    (helper.make_node("MaxPool", ["x"], ["y"]), [1, 2, 4], "needs the kernel_shape attribute"),
    (helper.make_node("AveragePool", ["x"], ["y"], kernel_shape=[2], pads=[2, 0]), [1, 2, 4],
     "pads .* must be smaller than the kernel"),
    (helper.make_node("Conv", ["x", "w"], ["y"], group=2), [1, 3, 4],
     "conv with 2 groups needs input channels"),
    (helper.make_node("Conv", ["x", "w"], ["y"]), [1, 12], "expects a 3-d"),
])
def test_malformed_nodes_are_compile_errors_naming_the_node(node, shape, message):
    node.name = "bad"
    graph = helper.make_graph(
        [node], "test", [helper.make_tensor_value_info("x", TensorProto.FLOAT, shape)],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["n", "c", "w"])],
        [numpy_helper.from_array(rng_weights(26, 2, 3, 2), "w")])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 15)])
    with pytest.raises(CompileError, match=re.escape(f"node 'bad' ({node.op_type}): ") + message):
        compile_model(model)
