"""Write the small QONNX models the FileCheck tests in this folder import."""

import sys
from pathlib import Path

import numpy as np
from onnx import TensorProto, helper, numpy_helper

QONNX = "qonnx.custom_op.general"


def init(name, value):
    return numpy_helper.from_array(np.asarray(value), name)


def quant(name, x, out, scale, bits, signed=1, narrow=0):
    node = helper.make_node("Quant", [x, f"{name}_s", f"{name}_z", f"{name}_b"], [out], name=name,
                            domain=QONNX, signed=signed, narrow=narrow, rounding_mode="ROUND")
    return node, [init(f"{name}_s", np.float32(scale)), init(f"{name}_z", np.float32(0)),
                  init(f"{name}_b", np.float32(bits))]


def save(path, nodes, inits, n_in, n_out):
    graph = helper.make_graph(
        nodes, "g", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, n_in])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, n_out])], inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13),
                                                    helper.make_opsetid(QONNX, 1)])
    path.write_bytes(model.SerializeToString())


def dense_relu(path):
    """Power-of-two scales only: every quantizer is a fixedpoint.quantize."""
    q0, i0 = quant("q_in", "x", "xq", 2.0**-2, 6)
    qw, iw = quant("q_w", "w", "wq", 2.0**-1, 3, narrow=1)
    q1, i1 = quant("q_out", "r", "y", 2.0**-1, 4, signed=0)
    nodes = [q0, qw, helper.make_node("MatMul", ["xq", "wq"], ["m"], name="fc"),
             helper.make_node("Add", ["m", "b"], ["a"], name="bias"),
             helper.make_node("Relu", ["a"], ["r"], name="relu"), q1]
    w = init("w", np.float32([[1, -0.5], [0.5, 1.5], [-1, 0]]))
    save(path, nodes, i0 + iw + i1 + [w, init("b", np.float32([0.25, -0.75]))], 3, 2)


def batchnorm(path):
    """A batch norm between integer quantizers, and a float tail after the last one."""
    q0, i0 = quant("q_in", "x", "xq", 1.0, 2, narrow=1)
    q1, i1 = quant("q_act", "bn", "h", 1.0, 2, narrow=1)
    nodes = [q0, helper.make_node("MatMul", ["xq", "w"], ["m"], name="fc"),
             helper.make_node("BatchNormalization", ["m", "g", "beta", "mu", "var"], ["bn"],
                              name="bn"), q1,
             helper.make_node("Mul", ["h", "k"], ["y"], name="tail")]
    inits = i0 + i1 + [init("w", np.float32([[1, -1], [1, 1], [0, 1]])),
                       init("g", np.float32([1.5, -0.5])), init("beta", np.float32([0.1, 0.2])),
                       init("mu", np.float32([0.5, -1])), init("var", np.float32([2, 4])),
                       init("k", np.float32(0.375))]
    save(path, nodes, inits, 3, 2)


if __name__ == "__main__":
    out = Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    dense_relu(out / "dense_relu.onnx")
    batchnorm(out / "batchnorm.onnx")
