"""Converters of ONNX Conv, MaxPool, AveragePool and GlobalAveragePool.

The fixedpoint window ops share ONNX's layout (channels first), so a node maps to one op
on the feature tensor ``(C, *spatial)``; the batch axis is the interpreter's.

AveragePool divides by the number of window elements inside the image
(``count_include_pad=0``, ONNX's and Keras's default) or by the kernel size.  A divisor
that is not a power of two has no exact fixed-point reciprocal, so ``avgpool`` multiplies
the exact window sum S by ``c = ceil(2**F / count) * 2**-F`` and the following quantize
truncates to the result's grid ``2**-f`` (``f`` from the float model's
``default_precision``, else the input's plus ``ceil(log2(count))``).  For ``S >= 0``,
``S / count`` on a grid of ``2**-g`` (``g = max(f, f_input)``) is a multiple of
``1 / count`` grid steps, so it is at least ``1 / count`` steps below the next grid
point, while ``S * c - S / count`` is in ``[0, |S| * 2**-F)``.  With
``F = g + ceil(log2(count)) + ceil(log2(count * max|x|)) + 1`` that error is below
``1 / count`` steps, hence ``floor(S * c) == floor(S / count)``: hls4ml's truncating
division, bit for bit (after a ReLU, the usual case).  For negative sums the result can
be one LSB lower where ``S / count`` falls exactly on the grid.  Powers of two are exact.
"""

from __future__ import annotations

from math import ceil, log2

import numpy as np
from xdsl.utils.exceptions import VerifyException

from ...dialects.fixedpoint import nn_ops, ops
from ...dialects.fixedpoint.types import ValuesAttr
from .build import dyadic_mantissas
from .context import ConversionContext, converter
from .float_model import float_precision
from .converters import weight_factors
from .exact import Real, exact_array
from .values import Affine, Const, Pending, Tensor, Value


def _check_rank(ctx: ConversionContext, shape: tuple[int, ...], spatial_rank: int | None) -> None:
    if len(shape) < 2 or (spatial_rank is not None and len(shape) != spatial_rank + 1):
        wanted = "N, C, spatial..." if spatial_rank is None else f"{spatial_rank + 2}-d (N, C, ...)"
        raise ctx.error(f"expects a {wanted} input, got shape {[1, *shape]}")


def _pool_kernel(ctx: ConversionContext) -> list[int]:
    kernel = ctx.attr("kernel_shape")
    if not kernel:
        raise ctx.error("needs the kernel_shape attribute")
    return list(kernel)


def _window_attributes(ctx: ConversionContext, kernel: list[int], spatial: tuple[int, ...],
                       dilations: list[int]) -> tuple[list[int], list[int]]:
    """Strides and explicit pads (ONNX order), resolving ``auto_pad``."""
    rank = len(kernel)
    strides = list(ctx.attr("strides") or [1] * rank)
    auto_pad = ctx.attr("auto_pad", "NOTSET")
    if auto_pad in ("NOTSET", "VALID"):
        pads = list(ctx.attr("pads") or [0] * (2 * rank)) if auto_pad == "NOTSET" else [0] * (2 * rank)
    elif auto_pad in ("SAME_UPPER", "SAME_LOWER"):
        begin, end = [], []
        for n, k, s, d in zip(spatial, kernel, strides, dilations):
            out = -(-n // s)
            total = max((out - 1) * s + d * (k - 1) + 1 - n, 0)
            small, large = total // 2, total - total // 2
            begin.append(small if auto_pad == "SAME_UPPER" else large)
            end.append(large if auto_pad == "SAME_UPPER" else small)
        pads = begin + end
    else:
        raise ctx.error(f"unknown auto_pad '{auto_pad}'")
    if len(strides) != rank or len(pads) != 2 * rank:
        raise ctx.error(f"strides {strides} and pads {pads} do not match a {rank}-d kernel")
    return strides, pads


def _check_ceil_mode(ctx: ConversionContext, window: nn_ops.Window, spatial) -> None:
    """ceil_mode=1 is accepted when it gives the same output size as floor."""
    if not ctx.attr("ceil_mode", 0):
        return
    d = window.rank
    for a, n in enumerate(spatial):
        span = n + window.pads[a] + window.pads[d + a] - window.dilations[a] * (window.kernel[a] - 1) - 1
        if span % window.strides[a]:
            raise ctx.error("ceil_mode=1 changes the output size here; it is not supported")


def _window_op(ctx: ConversionContext, op) -> list[Value]:
    try:
        op.verify_shapes()
    except VerifyException as e:
        raise ctx.error(str(e)) from e
    ops.set_inferred_type(op)
    return [Tensor(ctx.emit(op).results[0])]


def _scaled_input(ctx: ConversionContext):
    """Input 0 as (hardware tensor, one exact factor it still has to be multiplied by).

    A quantizer's output with a float scale (one for the whole tensor, no offset) keeps its
    integers; the scale moves past the convolution, which is linear.  Anything else is
    materialized exactly (powers of two only)."""
    x = ctx.value(0, "data")
    if isinstance(x, Pending) and x.affine() is not None:
        affine = x.affine()
        scales = affine.scale.ravel()
        if all(o == 0 for o in affine.offset.ravel()) and all(v == scales[0] for v in scales):
            return x.base, scales[0]
    return ctx.tensor(0), Real(1)


def _conv_weight(ctx: ConversionContext, w: Const) -> tuple[np.ndarray, int, np.ndarray]:
    """Weights ``(O, C/g, *kernel)`` as integer mantissas at ``2**-f`` times one exact factor
    per output channel (a per-channel quantizer scale; powers of two are folded in)."""
    out_channels = w.array.shape[0]
    as_columns = w.map_shape(lambda a: np.asarray(a).reshape(out_channels, -1).T)
    m, f, channel_scale = weight_factors(ctx, as_columns, Real(1))
    return np.asarray(m).T.reshape(w.array.shape), f, channel_scale


@converter("Conv")
def conv(ctx: ConversionContext) -> list[Value]:
    w = ctx.const(1, "weight")
    rank = w.array.ndim - 2
    x, input_scale = _scaled_input(ctx)
    shape = ops.tensor_type(x).shape
    _check_rank(ctx, shape, rank)
    kernel = list(ctx.attr("kernel_shape") or w.array.shape[2:])
    if tuple(kernel) != w.array.shape[2:]:
        raise ctx.error(f"kernel_shape {kernel} does not match the weight shape {list(w.array.shape)}")
    dilations = list(ctx.attr("dilations") or [1] * rank)
    strides, pads = _window_attributes(ctx, kernel, shape[1:], dilations)
    m, f, channel_scale = _conv_weight(ctx, w)
    weight = ctx.emit(ops.ConstantOp(m, f)).results[0]
    bias = ctx.exact_const(2, "bias") if ctx.optional(2) is not None else None
    exact = input_scale == 1 and all(c == 1 for c in channel_scale)
    bias_op = None
    if exact and bias is not None:
        b, f_b = dyadic_mantissas(bias, ctx.where, "bias")
        bias_op = ctx.emit(ops.ConstantOp(b, f_b)).results[0]
    op = nn_ops.ConvOp(x, weight, bias_op, strides=strides, pads=pads, dilations=dilations,
                       groups=int(ctx.attr("group", 1)), result_type=nn_ops.UNINFERRED)
    (y,) = _window_op(ctx, op)
    if exact:
        return [y]
    out_shape = ops.tensor_type(y.value).shape
    per_channel = (-1,) + (1,) * rank
    scale = np.broadcast_to((channel_scale * input_scale).reshape(per_channel), out_shape)
    zero = exact_array(np.zeros(w.array.shape[0], dtype=np.int64))
    offset = np.broadcast_to((zero if bias is None else bias).reshape(per_channel), out_shape)
    return [Pending(y.value, (Affine(scale.copy(), offset.copy()),))]


@converter("MaxPool")
def max_pool(ctx: ConversionContext) -> list[Value]:
    if len(ctx.node.output) > 1 and ctx.node.output[1]:
        raise ctx.error("the Indices output of MaxPool is not supported")
    x, shape, factor = _pool_input(ctx, positive_factor=True)
    window = _pool_window(ctx, shape)
    op = nn_ops.MaxPoolOp(x, window.kernel, window.strides, window.pads,
                          result_type=nn_ops.UNINFERRED)
    return _scaled(_window_op(ctx, op), factor)


def _pool_window(ctx: ConversionContext, shape: tuple[int, ...]) -> nn_ops.Window:
    """The pooling window of the node over a tensor of ``shape``: kernel, strides and
    explicit pads, undilated, with ceil_mode only where it changes nothing."""
    kernel = _pool_kernel(ctx)
    dilations = list(ctx.attr("dilations") or [1] * len(kernel))
    if any(d != 1 for d in dilations):
        raise ctx.error(f"dilated pooling (dilations {dilations}) is not supported")
    spatial = shape[-len(kernel):]
    strides, pads = _window_attributes(ctx, kernel, spatial, dilations)
    window = nn_ops.Window(tuple(kernel), tuple(strides), tuple(pads), tuple(dilations))
    _check_ceil_mode(ctx, window, spatial)
    return window


def _pool_input(ctx: ConversionContext, positive_factor: bool):
    """Input 0 as (hardware tensor, its shape, the exact factor still to apply): pooling
    commutes with one factor for the whole tensor (max pooling only with a positive one)."""
    x, factor = _scaled_input(ctx)
    if positive_factor and factor.sign() < 0:
        x, factor = ctx.tensor(0), Real(1)
    shape = ops.tensor_type(x).shape
    _check_rank(ctx, shape, None)
    return x, shape, factor


def _scaled(result: list[Value], factor: Real) -> list[Value]:
    """The pooled tensor times the factor that moved past the pooling."""
    (y,) = result
    if factor == 1:
        return result
    shape = ops.tensor_type(y.value).shape
    scale = np.empty(shape, dtype=object)
    scale[...] = factor
    return [Pending(y.value, (Affine(scale, exact_array(np.zeros(shape, dtype=np.int64))),))]


@converter("AveragePool")
def average_pool(ctx: ConversionContext) -> list[Value]:
    x, shape, factor = _pool_input(ctx, positive_factor=False)
    window = _pool_window(ctx, shape)
    indices = window.gather_indices(shape[-window.rank:])
    if ctx.attr("count_include_pad", 0):
        counts = np.full(len(indices), int(np.prod(window.kernel)))
    else:
        counts = (indices >= 0).sum(axis=1)
    return _scaled(_average(ctx, x, list(window.kernel), list(window.strides),
                            list(window.pads), counts), factor)


@converter("GlobalAveragePool")
def global_average_pool(ctx: ConversionContext) -> list[Value]:
    x, shape, factor = _pool_input(ctx, positive_factor=False)
    spatial = list(shape[1:])
    rank = len(spatial)
    counts = np.array([np.prod(spatial)])
    return _scaled(_average(ctx, x, spatial, [1] * rank, [0] * (2 * rank), counts), factor)


def _average(ctx: ConversionContext, x, kernel, strides, pads, counts: np.ndarray) -> list[Value]:
    if counts.min() < 1:
        raise ctx.error(f"pads {list(pads)} must be smaller than the kernel {list(kernel)} "
                        "(no window may lie entirely in the padding)")
    f_scale = reciprocal_bits(ctx, x, int(counts.max()))
    scales = [reciprocal(int(c), f_scale) for c in counts]
    scale = ValuesAttr(scales[:1] if len(set(scales)) == 1 else scales, f_scale)
    op = nn_ops.AvgPoolOp(x, kernel, scale, strides, pads, result_type=nn_ops.UNINFERRED)
    return _window_op(ctx, op)


def reciprocal(count: int, f: int) -> int:
    """``ceil(2**f / count)``: the reciprocal rounded up, exact integer arithmetic."""
    return -(-(1 << f) // count)


def reciprocal_bits(ctx: ConversionContext, x, count: int) -> int:
    """Fractional bits of ``1/count`` that make ``floor(sum * scale)`` on the result's grid
    equal ``floor(sum / count)`` for every non-negative window sum (see the module doc)."""
    if count & (count - 1) == 0:
        return count.bit_length() - 1  # a power of two: 1/count is exact
    intervals = ops.tensor_type(x).interval_array().ravel()
    largest = max(max(abs(v.lo), abs(v.hi)) * 2.0 ** -v.f for v in intervals)
    precision = float_precision(ctx.options, ctx.where)
    f_in = max(v.f for v in intervals)
    f_out = precision.format.f if precision else f_in + ceil(log2(count))
    magnitude = ceil(log2(count * largest)) if largest > 0 else 0
    return max(f_out, f_in) + ceil(log2(count)) + magnitude + 1
