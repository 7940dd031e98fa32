"""What each supported Keras / HGQ2 layer computes at inference, as fixedpoint ops.

Every handler takes the layer's input values and returns its outputs.  HGQ2 layers first
quantize their inputs (``iq``, unless ``enable_iq`` is false), multiply by the quantized
kernel, add the quantized bias, then apply the activation; batch-norm variants fuse the
normalization into kernel and bias in float32 *before* quantizing them, exactly as HGQ2's
``get_fused_qkernel_and_qbias`` does, so the constants equal the trained model's.
"""

from __future__ import annotations

from math import log2, prod

import numpy as np
from xdsl.ir import SSAValue

from ...dialects.fixedpoint.ops import (
    AddOp, ConcatOp, DenseOp, MaxOp, MinOp, MulOp, ReluOp, ReshapeOp, SubOp, TransposeOp,
    tensor_type,
)
from ...errors import CompileError
from .builder import ModelBuilder
from .graph import LayerCall
from .quantizer import HGQQuantizer

KERAS_EPSILON = np.float32(1e-7)  # keras.backend.epsilon(), used by QEinsumDenseBatchnorm


def shape_of(value: SSAValue) -> tuple[int, ...]:
    return tensor_type(value).shape


def single(call: LayerCall, inputs: list[SSAValue]) -> SSAValue:
    if len(inputs) != 1:
        raise CompileError(call.where, f"expects one input, got {len(inputs)}")
    return inputs[0]


def input_quantized(b: ModelBuilder, call: LayerCall, x: SSAValue) -> SSAValue:
    return b.quantize(x, b.quantizer(call, "iq")) if call.config.get("enable_iq", True) else x


def activation(b: ModelBuilder, call: LayerCall, x: SSAValue) -> SSAValue:
    """The layer's ``activation`` (HGQ2 layers and keras Activation spell it alike)."""
    name = call.config.get("activation")
    if name in (None, "linear"):
        return x
    if name == "relu":
        return b.emit(ReluOp(x))
    raise CompileError(call.where, f"activation '{name}' is not supported (linear or relu)")


def ebops_variables(call: LayerCall) -> list[tuple[str, bool, bool]]:
    """QLayerBase's beta and ebops counters (created after the wrapped layer's weights)."""
    enabled = bool(call.config.get("enable_ebops", True))
    return [("ebops_beta", False, enabled), ("ebops", False, enabled)]


def _dense(b: ModelBuilder, call: LayerCall, x: SSAValue, kernel: np.ndarray,
           bias: np.ndarray | None, transposed: bool = False) -> SSAValue:
    """x @ kq(kernel) + bq(bias) with HGQ2's quantized constants; the kernel is n_in x n_out
    (n_out x n_in if ``transposed``: it is quantized in its stored layout)."""
    n_in = shape_of(x)[-1] if shape_of(x) else None
    if kernel.ndim != 2 or kernel.shape[1 if transposed else 0] != n_in:
        raise CompileError(call.where, f"kernel of shape {list(kernel.shape)} does not fit an input "
                           f"of shape {list(shape_of(x))}")
    w, f_w = b.quantizer(call, "kq").quantize_constant(kernel)
    weight = b.constant(w.T if transposed else w, f_w)
    n_out = kernel.shape[0 if transposed else 1]
    bias_value = None
    if bias is not None:
        if bias.shape != (n_out,):
            raise CompileError(call.where, f"bias of shape {list(bias.shape)} does not fit {n_out} outputs")
        m, f_b = b.quantizer(call, "bq").quantize_constant(bias)
        bias_value = b.constant(m, f_b)
    return b.emit(DenseOp(x, weight, bias_value))


def f32(a: np.ndarray) -> np.ndarray:
    return np.asarray(a, dtype=np.float32)


# --------------------------------------------------------------------------- dense family


def q_dense(b: ModelBuilder, call: LayerCall, inputs: list[SSAValue]) -> list[SSAValue]:
    x = input_quantized(b, call, single(call, inputs))
    use_bias = bool(call.config.get("use_bias", True))
    v = b.variables(call, [("kernel", True, True), ("bias", True, use_bias), *ebops_variables(call)])
    y = _dense(b, call, x, f32(v["kernel"]), f32(v["bias"]) if use_bias else None)
    return [activation(b, call, y)]


def _batchnorm_variables(b: ModelBuilder, call: LayerCall,
                         epsilon: np.float32) -> tuple[dict[str, np.ndarray], np.ndarray, np.ndarray]:
    """A dense layer's variables with its batch normalization, the kernel (float32) and the
    scaler ``gamma / sqrt(moving_variance + epsilon)`` (float32, as Keras computes it)."""
    scale = bool(call.config.get("scale", True))
    v = b.variables(call, [("kernel", True, True), ("bias", True, True), *ebops_variables(call),
                           ("bn_gamma", True, scale), ("moving_mean", False, True),
                           ("moving_variance", False, True)])
    gamma = f32(v["bn_gamma"]) if scale else np.float32(1)
    scaler = (gamma / np.sqrt(f32(v["moving_variance"]) + epsilon)).astype(np.float32)
    return v, f32(v["kernel"]), scaler


def q_batchnorm_dense(b: ModelBuilder, call: LayerCall, inputs: list[SSAValue]) -> list[SSAValue]:
    """HGQ2 QBatchNormDense: kq(scaler[:, None] * kernel), bq(bias - mean @ kernel)."""
    x = input_quantized(b, call, single(call, inputs))
    v, kernel, scaler = _batchnorm_variables(b, call, np.float32(call.config.get("epsilon", 1e-3)))
    fused_kernel = (scaler[:, None] * kernel).astype(np.float32)
    offset = -np.dot(f32(v["moving_mean"]), kernel).astype(np.float32)
    fused_bias = (f32(v["bias"]) + offset).astype(np.float32)
    return [activation(b, call, _dense(b, call, x, fused_kernel, fused_bias))]


def _einsum_as_dense(call: LayerCall, x_rank: int) -> tuple[bool, str]:
    """Check that the einsum is a dense layer on the last axis; returns (kernel is
    transposed, the output axis letter)."""
    equation = str(call.config.get("equation", "")).replace(" ", "")
    try:
        lhs, rest = equation.split(",")
        kernel, out = rest.split("->")
    except ValueError:
        raise CompileError(call.where, f"malformed einsum equation '{equation}'") from None
    ok = len(lhs) >= 1 and len(kernel) == 2 and lhs[-1] in kernel and len(out) == len(lhs)
    if ok:
        c = lhs[-1]
        o = kernel.replace(c, "", 1)
        ok = len(o) == 1 and o not in lhs and out == lhs[:-1] + o and \
            (lhs.startswith("...") or len(lhs) == x_rank + 1)
    if not ok:
        raise CompileError(call.where, f"einsum equation '{equation}' is not supported "
                           "(only a dense product over the last input axis, like 'bc,cC->bC')")
    bias_axes = call.config.get("bias_axes")
    if bias_axes not in (None, o):
        raise CompileError(call.where, f"bias_axes '{bias_axes}' is not supported (only '{o}')")
    return kernel[0] != c, o


def q_einsum_dense(b: ModelBuilder, call: LayerCall, inputs: list[SSAValue]) -> list[SSAValue]:
    x = input_quantized(b, call, single(call, inputs))
    transposed, _ = _einsum_as_dense(call, len(shape_of(x)))
    use_bias = call.config.get("bias_axes") is not None
    v = b.variables(call, [("kernel", True, True), ("bias", True, use_bias), *ebops_variables(call)])
    y = _dense(b, call, x, f32(v["kernel"]), f32(v["bias"]) if use_bias else None, transposed)
    return [activation(b, call, y)]


def q_einsum_dense_batchnorm(b: ModelBuilder, call: LayerCall, inputs: list[SSAValue]) -> list[SSAValue]:
    """HGQ2 QEinsumDenseBatchnorm at inference: scaler = gamma / sqrt(var + keras epsilon)
    along the output axis, kq(kernel * scaler), bq(bias - mean * scaler)."""
    x = input_quantized(b, call, single(call, inputs))
    transposed, out_axis = _einsum_as_dense(call, len(shape_of(x)))
    normalize = call.config.get("normalize_axes") or call.config.get("bias_axes")
    if call.config.get("bias_axes") is None or normalize != out_axis:
        raise CompileError(call.where, "only batch normalization over the output axis with a bias is supported")
    v, kernel, scaler = _batchnorm_variables(b, call, KERAS_EPSILON)
    fused_kernel = (kernel * (scaler[:, None] if transposed else scaler[None, :])).astype(np.float32)
    offset = (-f32(v["moving_mean"]) * scaler).astype(np.float32)
    fused_bias = (f32(v["bias"]) + offset).astype(np.float32)
    return [activation(b, call, _dense(b, call, x, fused_kernel, fused_bias, transposed))]


# --------------------------------------------------------------------------- others


def _broadcast_constant(b: ModelBuilder, quantizer: HGQQuantizer, values: np.ndarray,
                        shape: tuple[int, ...], axis: int) -> SSAValue:
    """A per-channel constant quantized by ``quantizer``, repeated over ``shape``."""
    m, f = quantizer.quantize_constant(values)
    view = [1] * len(shape)
    view[axis] = shape[axis]
    full = np.broadcast_to(m.reshape(view), shape)
    return b.constant(np.array(full, dtype=object), f)


def q_batch_normalization(b: ModelBuilder, call: LayerCall, inputs: list[SSAValue]) -> list[SSAValue]:
    """HGQ2 QBatchNormalization: x * kq(gamma / sqrt(var + eps)) + bq(beta - mean * scale)."""
    x = input_quantized(b, call, single(call, inputs))
    shape = shape_of(x)
    axis = call.config.get("axis", -1)
    axis = axis[0] if isinstance(axis, list) and len(axis) == 1 else axis
    if not isinstance(axis, int) or not -len(shape) - 1 <= axis <= len(shape) or axis == 0:
        raise CompileError(call.where, f"normalization axis {axis} is not supported")
    axis = axis + len(shape) if axis < 0 else axis - 1
    scale, center = bool(call.config.get("scale", True)), bool(call.config.get("center", True))
    v = b.variables(call, [("gamma", True, scale), ("beta", True, center),
                           ("moving_mean", False, True), ("moving_variance", False, True),
                           *ebops_variables(call)])
    gamma = f32(v["gamma"]) if scale else np.float32(1)
    beta = f32(v["beta"]) if center else np.float32(1)  # HGQ2 uses 1 when center=False
    epsilon = np.float32(call.config.get("epsilon", 1e-3))
    factor = (gamma / np.sqrt(f32(v["moving_variance"]) + epsilon)).astype(np.float32)
    factor = np.broadcast_to(factor, v["moving_mean"].shape).astype(np.float32)
    offset = (beta - f32(v["moving_mean"]) * factor).astype(np.float32)
    if factor.shape != (shape[axis],):
        raise CompileError(call.where, f"batch-norm weights of shape {list(factor.shape)} do not fit axis "
                           f"of size {shape[axis]}")
    y = b.emit(MulOp(x, _broadcast_constant(b, b.quantizer(call, "kq"), factor, shape, axis)))
    return [b.emit(AddOp(y, _broadcast_constant(b, b.quantizer(call, "bq"), offset, shape, axis)))]


def quantizer_layer(b: ModelBuilder, call: LayerCall, inputs: list[SSAValue]) -> list[SSAValue]:
    """HGQ2's ``Quantizer`` layer: one activation quantizer."""
    return [b.quantize(single(call, inputs), b.quantizer(call))]


_MERGE_OPS = {"Add": AddOp, "Subtract": SubOp, "Maximum": MaxOp, "Minimum": MinOp, "AveragePow2": AddOp}


def merge(b: ModelBuilder, call: LayerCall, inputs: list[SSAValue]) -> list[SSAValue]:
    """Keras Add / Subtract / Maximum / Minimum, or HGQ2's QAdd, QSubtract, QMaximum,
    QMinimum and QAveragePow2 (each input through its own quantizer first, then broadcast
    to one shape; the average multiplies the sum by ``2**round(log2(1/n))``)."""
    kind = call.class_name.removeprefix("Q")
    if len(inputs) < 2 or (kind == "Subtract" and len(inputs) != 2):
        raise CompileError(call.where, f"cannot take {len(inputs)} inputs")
    if call.class_name.startswith("Q") and call.config.get("enable_iq", True):
        inputs = [b.quantize(x, b.quantizer(call, "iq", n)) for n, x in enumerate(inputs)]
    inputs = broadcast_together(b, call, inputs)
    total = inputs[0]
    for x in inputs[1:]:
        total = b.emit(_MERGE_OPS[kind](total, x))
    if kind == "AveragePow2":
        shift = -round(log2(1.0 / len(inputs)))
        scale = np.full(shape_of(total), 1, dtype=object)
        total = b.emit(MulOp(total, b.constant(scale, shift)))
    return [total]


def broadcast_together(b: ModelBuilder, call: LayerCall, inputs: list[SSAValue]) -> list[SSAValue]:
    """The inputs brought to one shape as Keras merge layers do: a lower-rank input gets
    size-1 axes after the batch axis, then size-1 axes are repeated (numpy broadcasting).
    Repeating is wiring: a concatenation of copies."""
    rank = max(len(shape_of(x)) for x in inputs)
    inputs = [x if len(shape_of(x)) == rank else
              b.emit(ReshapeOp(x, [1] * (rank - len(shape_of(x))) + list(shape_of(x)))) for x in inputs]
    shapes = [shape_of(x) for x in inputs]
    target = tuple(max(sizes) for sizes in zip(*shapes))
    if any(n not in (1, m) for shape in shapes for n, m in zip(shape, target)):
        raise CompileError(call.where, f"inputs of shapes {[list(s) for s in shapes]} do not broadcast together")
    out = []
    for x in inputs:
        for axis, m in enumerate(target):
            if shape_of(x)[axis] != m:
                x = b.emit(ConcatOp([x] * m, axis))
        out.append(x)
    return out


def permute(b: ModelBuilder, call: LayerCall, inputs: list[SSAValue]) -> list[SSAValue]:
    """Keras Permute: ``dims`` are 1-based axes after the batch axis."""
    x = single(call, inputs)
    dims = call.config.get("dims")
    rank = len(shape_of(x))
    if not isinstance(dims, list) or sorted(dims) != list(range(1, rank + 1)):
        raise CompileError(call.where, f"dims {dims} are not a permutation of axes 1..{rank}")
    return [b.emit(TransposeOp(x, [d - 1 for d in dims]))]


def concatenate(b: ModelBuilder, call: LayerCall, inputs: list[SSAValue]) -> list[SSAValue]:
    rank = len(shape_of(inputs[0]))
    axis = call.config.get("axis", -1)
    if not isinstance(axis, int) or axis == 0 or not -rank <= axis <= rank:
        raise CompileError(call.where, f"concatenation axis {axis} is not supported")
    axis = axis + rank if axis < 0 else axis - 1
    if any(len(shape_of(x)) != rank for x in inputs):
        raise CompileError(call.where, "inputs of different ranks")
    return [b.emit(ConcatOp(inputs, axis))]


def reshape(b: ModelBuilder, call: LayerCall, inputs: list[SSAValue]) -> list[SSAValue]:
    x = single(call, inputs)
    size = prod(shape_of(x))
    if call.class_name == "Flatten":
        if call.config.get("data_format") == "channels_first" and len(shape_of(x)) > 1:
            raise CompileError(call.where, "channels_first flattening is not supported")
        target = [size]
    else:
        target = list(call.config.get("target_shape") or [])
        if target.count(-1) == 1:
            known = prod(d for d in target if d != -1)
            target[target.index(-1)] = size // known if known and size % known == 0 else -1
    if not all(isinstance(d, int) and d >= 0 for d in target) or prod(target) != size:
        raise CompileError(call.where, f"cannot reshape {list(shape_of(x))} to {target}")
    return [b.emit(ReshapeOp(x, target))]


def relu_layer(b: ModelBuilder, call: LayerCall, inputs: list[SSAValue]) -> list[SSAValue]:
    c = call.config
    if c.get("max_value") is not None or c.get("negative_slope", 0) or c.get("threshold", 0):
        raise CompileError(call.where, "only a plain ReLU is supported (no max_value, slope or threshold)")
    return [b.emit(ReluOp(single(call, inputs)))]


def activation_layer(b: ModelBuilder, call: LayerCall, inputs: list[SSAValue]) -> list[SSAValue]:
    return [activation(b, call, single(call, inputs))]


def identity(b: ModelBuilder, call: LayerCall, inputs: list[SSAValue]) -> list[SSAValue]:
    """Layers that do nothing at inference (Dropout)."""
    return [single(call, inputs)]


HANDLERS = {
    "QDense": q_dense,
    "QBatchNormDense": q_batchnorm_dense,
    "QEinsumDense": q_einsum_dense,
    "QEinsumDenseBatchnorm": q_einsum_dense_batchnorm,
    "QBatchNormalization": q_batch_normalization,
    "Quantizer": quantizer_layer,
    **{name: merge for kind in _MERGE_OPS for name in (kind, f"Q{kind}") if name != "AveragePow2"},
    "Permute": permute,
    "Concatenate": concatenate,
    "Reshape": reshape,
    "Flatten": reshape,
    "ReLU": relu_layer,
    "Activation": activation_layer,
    "Dropout": identity,
}


def iq_entry(b: ModelBuilder, call: LayerCall, index: int) -> HGQQuantizer | None:
    return b.quantizer(call, "iq") if call.config.get("enable_iq", True) else None


def multi_iq_entry(b: ModelBuilder, call: LayerCall, index: int) -> HGQQuantizer | None:
    return b.quantizer(call, "iq", index) if call.config.get("enable_iq", True) else None


ENTRY_QUANTIZERS = {
    "QDense": iq_entry,
    "QBatchNormDense": iq_entry,
    "QEinsumDense": iq_entry,
    "QEinsumDenseBatchnorm": iq_entry,
    "QBatchNormalization": iq_entry,
    "Quantizer": lambda b, call, index: b.quantizer(call),
    **{f"Q{kind}": multi_iq_entry for kind in _MERGE_OPS},
}
"""How a layer quantizes its ``index``-th input on entry (None: it does not)."""
