"""Conv in QONNX models: quantizer scales that are not powers of two (per tensor on the
activations, per output channel on the weights) move past the convolution and fold into
the next quantizer, exactly; the design matches the float32 QONNX oracle bit for bit
quantizer by quantizer."""


import numpy as np
from onnx import helper

from fpga_opt.importers.onnx import import_onnx, predict

from .onnx_builders import model, quant, tensor
from .onnx_oracle import explain_mismatches, run_oracle


def test_conv_with_float_scales_between_quantizers():
    rng = np.random.default_rng(12)
    q0, i0 = quant("q0", "x", "xq", 0.37, 0, 5)
    w_scale = np.array([0.11, 0.05, 0.3], dtype=np.float32).reshape(3, 1, 1, 1)
    qw, iw = quant("qw", "w", "wq", w_scale, 0, 4, narrow=1)
    iw[0] = tensor("qw_s", w_scale)
    conv = helper.make_node("Conv", ["xq", "wq", "b"], ["c"], name="conv", pads=[1, 1, 1, 1])
    relu = helper.make_node("Relu", ["c"], ["r"], name="relu")
    q1, i1 = quant("q1", "r", "y", 0.25, 0, 6, signed=0)
    inits = i0 + iw + i1 + [tensor("w", rng.normal(0, 0.4, (3, 2, 3, 3)).astype(np.float32)),
                            tensor("b", rng.normal(0, 0.3, 3).astype(np.float32))]
    onnx_model = model([q0, qw, conv, relu, q1], [("x", [1, 2, 5, 4])], [("y", [1, 3, 5, 4])], inits)
    x = rng.normal(0, 2, (64, 2, 5, 4)).astype(np.float32)
    mismatches, compared = explain_mismatches(onnx_model, x)
    assert compared == 6400 and mismatches == []  # these inputs meet no float32 tie
    module = import_onnx(onnx_model.SerializeToString(), "m.onnx")
    names = [op.name for op in module.walk()]
    assert "fixedpoint.conv" in names and "fixedpoint.threshold" in names  # scales folded
    (y,) = predict(module, [x])
    (expected,) = run_oracle(onnx_model, x, ["y"])
    assert np.array_equal(y, expected.astype(np.float64))


def pooled_model(pool_node, out_shape, factor):
    """Quant (scale 0.37) -> Mul by ``factor`` -> pool -> Quant."""
    q0, i0 = quant("q0", "x", "xq", 0.37, 0, 5)
    mul = helper.make_node("Mul", ["xq", "k"], ["xs"], name="mul")
    q1, i1 = quant("q1", "p", "y", 0.25, 0, 6)
    inits = i0 + i1 + [tensor("k", np.float32(factor))]
    return model([q0, mul, pool_node, q1], [("x", [1, 2, 4, 6])], [("y", out_shape)], inits)


def test_pools_commute_with_the_activation_scale():
    rng = np.random.default_rng(13)
    x = rng.normal(0, 2, (64, 2, 4, 6)).astype(np.float32)
    for node, out_shape, factor in [
        (helper.make_node("MaxPool", ["xs"], ["p"], name="max", kernel_shape=[2, 3]),
         [1, 2, 3, 4], 1.0),
        (helper.make_node("MaxPool", ["xs"], ["p"], name="max", kernel_shape=[2, 2]),
         [1, 2, 3, 5], -0.5),  # a negative factor cannot move past max: applied first
        (helper.make_node("AveragePool", ["xs"], ["p"], name="avg", kernel_shape=[2, 2],
                          strides=[2, 2]), [1, 2, 2, 3], -0.3),
        (helper.make_node("GlobalAveragePool", ["xs"], ["p"], name="gavg"), [1, 2, 1, 1], 0.7),
    ]:
        onnx_model = pooled_model(node, out_shape, factor)
        mismatches, _ = explain_mismatches(onnx_model, x)
        assert mismatches == [], node.op_type
        module = import_onnx(onnx_model.SerializeToString(), "m.onnx")
        (y,) = predict(module, [x])
        (expected,) = run_oracle(onnx_model, x, ["y"])
        assert np.array_equal(y, expected.astype(np.float64)), (node.op_type, factor)
