"""Small ONNX / QONNX models built with onnx.helper for the importer tests."""

from __future__ import annotations

import numpy as np
from onnx import TensorProto, helper, numpy_helper

QONNX = "qonnx.custom_op.general"


def tensor(name: str, value) -> TensorProto:
    return numpy_helper.from_array(np.asarray(value), name)


def model(nodes, inputs, outputs, initializers=(), opset: int = 13, domains=(QONNX,)):
    """A model with float32 graph inputs/outputs given as (name, shape) pairs."""
    graph = helper.make_graph(
        nodes, "test",
        [helper.make_tensor_value_info(n, TensorProto.FLOAT, s) for n, s in inputs],
        [helper.make_tensor_value_info(n, TensorProto.FLOAT, s) for n, s in outputs],
        list(initializers),
    )
    opsets = [helper.make_opsetid("", opset)] + [helper.make_opsetid(d, 1) for d in domains]
    return helper.make_model(graph, opset_imports=opsets)


def quant(name, x, out, scale, zeropt, bits, *, signed=1, narrow=0, rounding="ROUND",
          domain=QONNX):
    """A Quant node and its three constant operands."""
    node = helper.make_node("Quant", [x, f"{name}_s", f"{name}_z", f"{name}_b"], [out], name=name,
                            domain=domain, signed=signed, narrow=narrow, rounding_mode=rounding)
    inits = [tensor(f"{name}_s", np.float32(scale)), tensor(f"{name}_z", np.float32(zeropt)),
             tensor(f"{name}_b", np.float32(bits))]
    return node, inits
