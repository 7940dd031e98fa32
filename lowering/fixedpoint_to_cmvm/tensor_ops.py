"""fixedpoint-to-cmvm for the tensor ops: constants, dense layers, elementwise arithmetic,
relu, quantize, thresholds and data movement (which only permutes the scalar arrays)."""

from __future__ import annotations

import numpy as np
from xdsl.ir import Operation, SSAValue

from ...dialects.cmvm import ops as cmvm
from ...dialects.fixedpoint import ops as fp
from ...dialects.fixedpoint.lut_ops import ThresholdOp
from .scalarizer import Lowering, Scalarizer, constant_tensor, elementwise
from .thresholds import threshold_scalar


def lower_constant(s: Scalarizer, op: fp.ConstantOp) -> np.ndarray:
    # Emitted lazily by the ops that read it as a tensor; matrices read the attribute.
    return np.empty(fp.tensor_type(op.result).shape, dtype=object)


def lower_dense(s: Scalarizer, op: fp.DenseOp) -> np.ndarray:
    x = s.scalars(op.input)
    w, f_w = fp.constant_values(op.weight, "weight", op)
    rows = x.reshape(-1, x.shape[-1])
    y = s.shared_matrix(rows, w.T, -f_w)
    if op.bias is not None:
        b, f_b = fp.constant_values(op.bias, "bias", op)
        bias = [None if m == 0 else s.constant(m, f_b) for m in b]
        for r in range(y.shape[0]):
            for j, c in enumerate(bias):
                if c is not None:
                    y[r, j] = s.emit(cmvm.AddOp(y[r, j], c)).results[0]
    return y.reshape(x.shape[:-1] + (w.shape[1],))


def _operands(s: Scalarizer, op: fp.ElementwiseBinaryOp) -> tuple[np.ndarray, np.ndarray]:
    def read(v: SSAValue) -> np.ndarray:
        return constant_tensor(s, v) if isinstance(v.owner, fp.ConstantOp) else s.scalars(v)

    return read(op.lhs), read(op.rhs)


SCALAR_COUNTERPARTS = {fp.AddOp: cmvm.AddOp, fp.SubOp: cmvm.SubOp, fp.MaxOp: cmvm.MaxOp,
                       fp.MinOp: cmvm.MinOp}


def lower_elementwise(s: Scalarizer, op: fp.ElementwiseBinaryOp) -> np.ndarray:
    return elementwise(s, SCALAR_COUNTERPARTS[type(op)], *_operands(s, op))


def lower_mul(s: Scalarizer, op: fp.MulOp) -> np.ndarray:
    c, f = fp.constant_values(op.rhs, "right operand", op)
    x = s.scalars(op.lhs)
    out = np.empty(x.shape, dtype=object)
    for index in np.ndindex(x.shape):
        out[index] = s.matrix([x[index]], np.array([[c[index]]], dtype=object), -f)[0]
    return out


def lower_relu(s: Scalarizer, op: fp.ReluOp) -> np.ndarray:
    return elementwise(s, cmvm.ReluOp, s.scalars(op.input))


def lower_quantize(s: Scalarizer, op: fp.QuantizeOp) -> np.ndarray:
    rounding, overflow = op.rounding.data, op.overflow.data
    return elementwise(
        s, lambda x, fmt: cmvm.QuantizeOp(x, fmt, rounding, overflow),
        s.scalars(op.input), op.formats(),
    )


def lower_reshape(s: Scalarizer, op: fp.ReshapeOp) -> np.ndarray:
    return s.scalars(op.input).reshape(fp.tensor_type(op.result).shape)


def lower_transpose(s: Scalarizer, op: fp.TransposeOp) -> np.ndarray:
    return s.scalars(op.input).transpose(op.perm())


def lower_concat(s: Scalarizer, op: fp.ConcatOp) -> np.ndarray:
    return np.concatenate([s.scalars(v) for v in op.inputs], axis=op.axis.value.data)


def lower_threshold(s: Scalarizer, op: ThresholdOp) -> np.ndarray:
    x = s.scalars(op.input)
    t = op.threshold_array().reshape(x.size, -1)
    v = op.value_array().reshape(x.size, -1)
    f_t, f_v = op.thresholds.data.f, op.values.data.f
    flat = [threshold_scalar(s.emit, xe, t[e], f_t, v[e], f_v) for e, xe in enumerate(x.ravel())]
    out = np.empty(x.size, dtype=object)
    out[:] = flat
    return out.reshape(x.shape)


TENSOR_LOWERINGS: dict[type[Operation], Lowering] = {
    fp.ConstantOp: lower_constant,
    fp.DenseOp: lower_dense,
    **dict.fromkeys(SCALAR_COUNTERPARTS, lower_elementwise),
    fp.MulOp: lower_mul,
    fp.ReluOp: lower_relu,
    fp.QuantizeOp: lower_quantize,
    fp.ReshapeOp: lower_reshape,
    fp.TransposeOp: lower_transpose,
    fp.ConcatOp: lower_concat,
    ThresholdOp: lower_threshold,
}
