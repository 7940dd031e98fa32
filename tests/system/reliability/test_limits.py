"""A model too large for the machine fails at once with a message saying how large it is,
instead of running out of memory: a 10^5 x 10^4 Dense (10^9 weights, declared by the
initializer's dims and never allocated) and a scalarization past fixedpoint-to-cmvm's
limit."""

import time

import numpy as np
import pytest
from onnx import TensorProto, helper
from xdsl.context import Context

from fpga_opt.errors import CompileError
from fpga_opt.importers.onnx import import_onnx
from fpga_opt.lowering import fixedpoint_to_cmvm
from fpga_opt.testing.networks import NetworkSpec, random_mlp
from fpga_opt.transforms.fixedpoint_infer_precision import FixedPointInferPrecision

QONNX = "qonnx.custom_op.general"


def huge_dense_model(n_in: int = 100_000, n_out: int = 10_000) -> bytes:
    weight = TensorProto(name="W", data_type=TensorProto.FLOAT, dims=[n_in, n_out])  # no data
    quant = helper.make_node("Quant", ["x", "s", "z", "b"], ["xq"], domain=QONNX, signed=1,
                             narrow=0, rounding_mode="ROUND")
    dense = helper.make_node("MatMul", ["xq", "W"], ["y"], name="huge_dense")
    scalars = [helper.make_tensor(n, TensorProto.FLOAT, [], [v]) for n, v in (("s", 0.25), ("z", 0.0), ("b", 8.0))]
    graph = helper.make_graph([quant, dense], "huge",
                              [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, n_in])],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, n_out])],
                              [*scalars, weight])
    opsets = [helper.make_opsetid("", 13), helper.make_opsetid(QONNX, 1)]
    return helper.make_model(graph, opset_imports=opsets).SerializeToString()


def test_huge_dense_fails_early_with_its_size():
    start = time.monotonic()
    with pytest.raises(CompileError) as error:
        import_onnx(huge_dense_model(), "huge.onnx")
    assert time.monotonic() - start < 5
    assert "initializer 'W'" in str(error.value)
    assert "1,000,000,000 elements" in str(error.value) and "100000 x 10000" in str(error.value)


def test_scalarization_limit(monkeypatch):
    rng = np.random.default_rng(1)
    module = random_mlp(rng, NetworkSpec(1, (12, 10, 4), 4, 0, 0.0, False))
    FixedPointInferPrecision().apply(Context(), module)
    monkeypatch.setattr(fixedpoint_to_cmvm, "MAX_SCALARS", 100)
    with pytest.raises(CompileError) as error:
        fixedpoint_to_cmvm.FixedPointToCmvm().apply(Context(), module)
    assert "fixedpoint-to-cmvm: @net" in str(error.value)
    # 12 inputs + 120 + 10 + 40 weights and values of dense, activation, quantize ...
    assert "too large" in str(error.value) and "the limit is 100" in str(error.value)
    monkeypatch.setattr(fixedpoint_to_cmvm, "MAX_SCALARS", 10**6)
    fixedpoint_to_cmvm.FixedPointToCmvm().apply(Context(), module)  # fits: compiles
