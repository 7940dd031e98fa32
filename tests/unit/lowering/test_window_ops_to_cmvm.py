"""fixedpoint-to-cmvm on conv, pooling and lookup keeps every bit: the fixedpoint
interpreter before and the cmvm interpreter after agree on random inputs."""

import numpy as np
import onnx
import pytest
from xdsl.context import Context

from fpga_opt.dialects.fixedpoint.nn_ops import AvgPoolOp, ConvOp, LookupOp, MaxPoolOp
from fpga_opt.dialects.fixedpoint.ops import QuantizeOp
from fpga_opt.dialects.fixedpoint.types import FixedTensorType, ValuesAttr
from fpga_opt.importers.onnx import import_onnx
from fpga_opt.interpreters import cmvm as cmvm_interp
from fpga_opt.interpreters.fixedpoint import Fixed, run_function
from fpga_opt.lowering.fixedpoint_to_cmvm import FixedPointToCmvm
from fpga_opt.numerics import Format, Overflow, Rounding
from fpga_opt.testing.models import require_model
from fpga_opt.transforms.fixedpoint_infer_precision import FixedPointInferPrecision

from ..dialects.fixedpoint.util import constant, one_op_module, random_inputs


def assert_lowering_is_exact(module, x: Fixed) -> None:
    FixedPointInferPrecision().apply(Context(), module)
    (expected,) = run_function(module, [x])
    FixedPointToCmvm().apply(Context(), module)
    module.verify()
    flat = x.mantissas.reshape(x.mantissas.shape[0], -1)
    outputs = cmvm_interp.run_function(module, [Fixed(flat[:, j], x.f) for j in range(flat.shape[1])])
    f = max([o.f for o in outputs] + [expected.f])
    got = np.stack([o.at(f) for o in outputs], axis=1)
    want = expected.at(f).reshape(expected.mantissas.shape[0], -1)
    assert np.array_equal(got, want)


@pytest.mark.parametrize("strides, pads, dilations, groups", [
    ([1, 1], [1, 1, 1, 1], [1, 1], 1),
    ([2, 1], [0, 2, 1, 0], [1, 2], 2),
    ([1, 1], [3, 0, 0, 0], [1, 1], 1),  # a row of windows entirely in the padding
])
def test_conv(strides, pads, dilations, groups):
    rng = np.random.default_rng(len(pads) + groups)
    input_type = FixedTensorType((2, 4, 5), Format(1, 2, 2))
    w = rng.integers(-5, 6, size=(4, 2 // groups, 2, 3))
    b = rng.integers(-3, 4, size=4)
    module, _ = one_op_module(input_type, lambda x, emit: ConvOp(
        x, constant(emit, w, 2), constant(emit, b, 1), strides=strides, pads=pads,
        dilations=dilations, groups=groups))
    assert_lowering_is_exact(module, random_inputs(input_type, 200, rng))


@pytest.mark.parametrize("pool", ["max", "avg"])
def test_pools(pool):
    rng = np.random.default_rng(3)
    input_type = FixedTensorType((2, 5, 5), [Format(1, 3, 1), Format(0, 2, 0)] * 25)
    kernel, strides, pads = [3, 2], [2, 2], [1, 0, 1, 1]

    def build(x, emit):
        if pool == "max":
            return MaxPoolOp(x, kernel, strides, pads)
        return AvgPoolOp(x, kernel, ValuesAttr([5, 7, 9, 11, 13, 15, 17, 19, 21], 6), strides, pads)

    module, _ = one_op_module(input_type, build)
    assert_lowering_is_exact(module, random_inputs(input_type, 300, rng))


def test_lookup():
    rng = np.random.default_rng(4)
    input_type = FixedTensorType((3,), Format(1, 3, 3))

    def build(x, emit):
        q = emit(QuantizeOp(x, Format(1, 3, 3), Rounding.TRN, Overflow.WRAP)).results[0]
        return LookupOp(q, ValuesAttr([-9, -2, 0, 5, 6], 1), ValuesAttr([3, -1, 0, 2, 8, 1], 2))

    module, _ = one_op_module(input_type, build)
    assert_lowering_is_exact(module, random_inputs(input_type, 300, rng))


def test_a_float_cnn_lowers_bit_exactly():
    data = require_model("conv2d_small_keras.onnx").read_bytes()
    module = import_onnx(data, "conv2d_small_keras.onnx", default_precision="fixed<16,6>")
    arg_type = module.body.block.ops.first.function_type.inputs.data[0]
    x = random_inputs(arg_type, 20, np.random.default_rng(5))
    assert_lowering_is_exact(module, x)
