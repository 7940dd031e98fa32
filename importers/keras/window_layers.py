"""Convolution and pooling layers (Keras layout, channels last) as fixedpoint window ops.

The fixedpoint window ops are channels first (as ONNX), so a channels-last layer becomes
``transpose -> conv / maxpool / avgpool -> transpose``; the transposes are wiring.  Keras
padding is turned into explicit pads: ``same`` pads ``max((ceil(n/s) - 1) * s + (k-1) * d
+ 1 - n, 0)`` in total, the smaller half first; ``causal`` (1-d convolution) pads
``d * (k - 1)`` in front.

Average pooling divides the window sum by the number of window elements inside the input;
that is exact only when every such count is a power of two, which is what is supported.
"""

from __future__ import annotations

from math import ceil

import numpy as np
from xdsl.ir import SSAValue

from ...dialects.fixedpoint.nn_ops import AvgPoolOp, ConvOp, MaxPoolOp
from ...dialects.fixedpoint.ops import ReshapeOp, TransposeOp
from ...dialects.fixedpoint.types import ValuesAttr
from ...errors import CompileError
from .builder import ModelBuilder
from .graph import LayerCall
from .layers import activation, ebops_variables, f32, input_quantized, iq_entry, shape_of, single


def _per_axis(call: LayerCall, key: str, rank: int, default) -> list[int]:
    value = call.config.get(key, default)
    value = default if value is None else value
    value = [value] * rank if isinstance(value, int) else list(value)
    if len(value) != rank or not all(isinstance(v, int) and v > 0 for v in value):
        raise CompileError(call.where, f"'{key}' {value} is not {rank} positive integers")
    return value


def _pads(call: LayerCall, spatial, kernel, strides, dilations) -> list[int]:
    padding = call.config.get("padding", "valid")
    rank = len(spatial)
    if padding == "valid":
        return [0] * (2 * rank)
    if padding == "causal" and rank == 1:
        return [dilations[0] * (kernel[0] - 1), 0]
    if padding != "same":
        raise CompileError(call.where, f"padding '{padding}' is not supported")
    begins, ends = [], []
    for n, k, s, d in zip(spatial, kernel, strides, dilations):
        total = max((ceil(n / s) - 1) * s + (k - 1) * d + 1 - n, 0)
        begins.append(total // 2)
        ends.append(total - total // 2)
    return begins + ends


def _channels_last(call: LayerCall) -> bool:
    data_format = call.config.get("data_format") or "channels_last"
    if data_format not in ("channels_last", "channels_first"):
        raise CompileError(call.where, f"data_format '{data_format}' is not supported")
    return data_format == "channels_last"


def _to_channels_first(b: ModelBuilder, x: SSAValue, last: bool) -> SSAValue:
    rank = len(shape_of(x))
    return b.emit(TransposeOp(x, [rank - 1] + list(range(rank - 1)))) if last else x


def _from_channels_first(b: ModelBuilder, y: SSAValue, last: bool) -> SSAValue:
    rank = len(shape_of(y))
    return b.emit(TransposeOp(y, list(range(1, rank)) + [0])) if last else y


def q_conv(b: ModelBuilder, call: LayerCall, inputs: list[SSAValue]) -> list[SSAValue]:
    """HGQ2 QConv1D / QConv2D: conv(iq(x), kq(kernel)) + bq(bias), then the activation."""
    x = input_quantized(b, call, single(call, inputs))
    rank = len(shape_of(x)) - 1
    if call.class_name != f"QConv{rank}D":
        raise CompileError(call.where, f"expects an input of rank {int(call.class_name[5]) + 1} "
                           f"(batch excluded), got shape {list(shape_of(x))}")
    last = _channels_last(call)
    use_bias = bool(call.config.get("use_bias", True))
    groups = call.config.get("groups", 1)
    v = b.variables(call, [("kernel", True, True), ("bias", True, use_bias), *ebops_variables(call)])
    kernel = f32(v["kernel"])  # (*kernel_size, C / groups, filters)
    if kernel.ndim != rank + 2:
        raise CompileError(call.where, f"kernel of shape {list(kernel.shape)} is not {rank}-d")
    m, f = b.quantizer(call, "kq").quantize_constant(kernel)
    weight = b.constant(m.transpose([rank + 1, rank] + list(range(rank))), f)  # (O, C/g, *k)
    bias = None
    if use_bias:
        bm, bf = b.quantizer(call, "bq").quantize_constant(f32(v["bias"]))
        bias = b.constant(bm, bf)
    xc = _to_channels_first(b, x, last)
    spatial = shape_of(xc)[1:]
    strides = _per_axis(call, "strides", rank, 1)
    dilations = _per_axis(call, "dilation_rate", rank, 1)
    pads = _pads(call, spatial, list(kernel.shape[:rank]), strides, dilations)
    y = b.emit(ConvOp(xc, weight, bias, strides=strides, pads=pads, dilations=dilations, groups=groups))
    return [activation(b, call, _from_channels_first(b, y, last))]


def _pool_rank(call: LayerCall) -> int:
    for rank in (1, 2, 3):
        if f"{rank}D" in call.class_name:
            return rank
    raise CompileError(call.where, "unknown pooling rank")


def _power_of_two_scales(call: LayerCall, counts: np.ndarray) -> ValuesAttr:
    """1/count for each output position, exact only for powers of two."""
    exponents = np.log2(counts).round().astype(int)
    if not np.array_equal(2 ** exponents, counts):
        raise CompileError(call.where, f"average pooling over {sorted(set(counts.ravel().tolist()))} "
                           "elements is not exact in fixed point (only powers of two are)")
    f = int(exponents.max())
    return ValuesAttr([1 << (f - int(e)) for e in exponents.ravel()], f)


def _window_counts(spatial, kernel, strides, pads) -> np.ndarray:
    """How many input elements each output window covers (padding excluded)."""
    rank = len(spatial)
    per_axis = []
    for a in range(rank):
        n, k, s, p = spatial[a], kernel[a], strides[a], pads[a]
        out = (n + pads[a] + pads[rank + a] - k) // s + 1
        starts = np.arange(out) * s - p
        per_axis.append(np.minimum(starts + k, n) - np.maximum(starts, 0))
    return np.prod(np.stack(np.meshgrid(*per_axis, indexing="ij")), axis=0)


def pooling(b: ModelBuilder, call: LayerCall, inputs: list[SSAValue]) -> list[SSAValue]:
    """(Q)MaxPooling / (Q)AveragePooling 1-d and 2-d, global or windowed."""
    x = single(call, inputs)
    if call.class_name.startswith("Q"):
        x = input_quantized(b, call, x)
    rank = _pool_rank(call)
    if len(shape_of(x)) != rank + 1:
        raise CompileError(call.where, f"expects an input of rank {rank + 1}, got {list(shape_of(x))}")
    last = _channels_last(call)
    xc = _to_channels_first(b, x, last)
    spatial = list(shape_of(xc)[1:])
    is_global = "Global" in call.class_name
    if is_global:
        kernel, strides = spatial, spatial
    else:
        kernel = _per_axis(call, "pool_size", rank, 2)
        strides = _per_axis(call, "strides", rank, kernel)
    pads = [0] * (2 * rank) if is_global else _pads(call, spatial, kernel, strides, [1] * rank)
    if "Max" in call.class_name:
        y = b.emit(MaxPoolOp(xc, kernel, strides, pads))
    else:
        scale = _power_of_two_scales(call, _window_counts(spatial, kernel, strides, pads))
        y = b.emit(AvgPoolOp(xc, kernel, scale, strides, pads))
    if is_global:
        channels = shape_of(y)[0]
        ones = [1] * rank if call.config.get("keepdims") else []
        return [b.emit(ReshapeOp(y, ones + [channels] if last else [channels] + ones))]
    return [_from_channels_first(b, y, last)]


HANDLERS = {
    "QConv1D": q_conv,
    "QConv2D": q_conv,
    **{f"{q}{kind}Pooling{r}D": pooling
       for q in ("", "Q") for kind in ("Max", "Average", "GlobalMax", "GlobalAverage") for r in (1, 2)},
}


ENTRY_QUANTIZERS = {name: iq_entry for name in HANDLERS if name.startswith("Q")}
