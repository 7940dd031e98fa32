"""Neural-network ops of the fixedpoint dialect: convolution, max and average pooling
(sliding windows).

Layout: channels first, as in ONNX.  A convolution's input is ``(..., C, *spatial)`` (the
leading axes, usually none, are independent images), its weight ``(O, C/groups, *kernel)``
and its result ``(..., O, *out_spatial)``.  Pooling works per channel on the last
``len(kernel)`` axes.  The compiled design is fully unrolled, so the layout costs nothing
in hardware; channels-first lets an ONNX model import without transposes.

Window attributes follow ONNX: ``strides`` and ``dilations`` have one entry per spatial
axis, ``pads`` has the begin pads of every axis, then the end pads (``[top, left, bottom,
right]`` in 2D).  The output size along an axis is
``floor((n + pad_begin + pad_end - dilation * (kernel - 1) - 1) / stride) + 1``.

    %y = fixedpoint.conv %x, %w, %b strides [1, 1] pads [1, 1, 1, 1] dilations [1, 1]
         groups 1 : (!fixedpoint.tensor<3x8x8xfixed<1,5,10>>, ...) -> ...
    %m = fixedpoint.maxpool %x kernel [2, 2] strides [2, 2] pads [0, 0, 0, 0] : ...
    %a = fixedpoint.avgpool %x kernel [3] strides [3] pads [0, 0] scale <[43691], f=17> : ...

All three are exact (no rounding):

- ``conv``: ``y = sum(x * w) + b`` over the window; padding is zero.
- ``maxpool``: the maximum over the window's elements inside the input (padding ignored).
- ``avgpool``: ``y = scale[p] * sum(window)`` where padding counts as zero and ``scale`` is
  an exact dyadic constant, one for all outputs or one per output position (row-major over
  the output's spatial axes).  Dividing by a window size that is not a power of two is not
  dyadic, so the importer chooses ``scale ~ 1/count`` and follows the op with a
  ``quantize`` to the layer's precision (see ``importers/onnx/conv_converters.py``).

How hls4ml computes average pooling (nnet_pooling.h, ``avg``): the window is summed in the
layer's ``accum_t``, then ``y /= count`` is truncated to ``accum_t``'s fractional bits and
the result cast to ``result_t`` (TRN and WRAP by default).  ``count`` is the number of
window elements inside the image unless ``count_pad`` is set.  ``accum_t`` is the model's
default precision unless its precision is ``auto``; then hls4ml widens it to the input
width plus ``2 * ceil(log2(pool size))`` bits, half of them integer bits.  Here the sum is
exact (it cannot wrap) and the importer's ``scale`` is ``1/count`` to within a quarter of
the result's LSB, so a truncating quantize gives hls4ml's ``floor(sum / count)`` except
where ``sum / count`` lies within a quarter LSB of a grid point; with a power-of-two count
the two are identical.

``fixedpoint.lookup`` (a scalar function as a shared step table) lives with the other step
function in lut_ops.py; it is importable from here too.
"""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass
from math import prod

import numpy as np
from xdsl.dialects.builtin import I64, DenseArrayBase, IntegerAttr, i64
from xdsl.ir import Operation, SSAValue
from xdsl.irdl import (
    irdl_op_definition,
    operand_def,
    opt_operand_def,
    prop_def,
    result_def,
    traits_def,
)
from xdsl.traits import Pure
from xdsl.utils.exceptions import VerifyException

from ...numerics import Interval, constant_interval
from .lut_ops import LookupOp  # noqa: F401 (importable from here, where it was defined)
from .ops import UNINFERRED, FixedPointOp, constant_values, set_inferred_type, tensor_type
from .types import FixedTensorType, ValuesAttr

_I64_ARRAY = DenseArrayBase.constr(i64)  # prints as [1, 2]

NO_TERM = -(1 << 40)
"""A resolution smaller than any real one: marks padding and zero weights in max-plus sums."""


# ----------------------------------------------------------------------- window geometry


@dataclass(frozen=True)
class Window:
    """Kernel size, strides, pads (all begins, then all ends) and dilations per axis."""

    kernel: tuple[int, ...]
    strides: tuple[int, ...]
    pads: tuple[int, ...]
    dilations: tuple[int, ...]

    @property
    def rank(self) -> int:
        return len(self.kernel)

    def check(self, op_name: str, spatial: Sequence[int]) -> None:
        """Raise VerifyException unless the window fits the spatial shape."""
        d = self.rank
        for label, values, length in (("strides", self.strides, d), ("pads", self.pads, 2 * d),
                                      ("dilations", self.dilations, d)):
            if len(values) != length:
                raise VerifyException(
                    f"'{op_name}' has {d} spatial axes, so {label} needs {length} entries, "
                    f"got {list(values)}"
                )
        if min(self.kernel, default=1) < 1 or min(self.strides, default=1) < 1 \
                or min(self.dilations, default=1) < 1:
            raise VerifyException(
                f"'{op_name}' needs kernel sizes, strides and dilations >= 1, got kernel "
                f"{list(self.kernel)}, strides {list(self.strides)}, dilations {list(self.dilations)}"
            )
        if min(self.pads, default=0) < 0:
            raise VerifyException(f"'{op_name}' pads must be >= 0, got {list(self.pads)}")
        out = self.output_shape(spatial)
        if min(out, default=1) < 1:
            raise VerifyException(
                f"'{op_name}' window {list(self.kernel)} (dilations {list(self.dilations)}, pads "
                f"{list(self.pads)}) does not fit the spatial shape {list(spatial)}"
            )

    def output_shape(self, spatial: Sequence[int]) -> tuple[int, ...]:
        d = self.rank
        return tuple(
            (n + self.pads[a] + self.pads[d + a] - self.dilations[a] * (k - 1) - 1)
            // self.strides[a] + 1
            for a, (n, k) in enumerate(zip(spatial, self.kernel))
        )

    def gather_indices(self, spatial: Sequence[int]) -> np.ndarray:
        """``(positions, taps)`` row-major flat indices into the spatial axes; -1 = padding."""
        d = self.rank
        out = self.output_shape(spatial)
        grid_shape = out + self.kernel
        index = np.zeros(grid_shape, dtype=np.int64)
        valid = np.ones(grid_shape, dtype=bool)
        for a in range(d):
            o = np.arange(out[a]).reshape([-1 if b == a else 1 for b in range(2 * d)])
            t = np.arange(self.kernel[a]).reshape([-1 if b == d + a else 1 for b in range(2 * d)])
            position = o * self.strides[a] + t * self.dilations[a] - self.pads[a]
            valid = valid & (position >= 0) & (position < spatial[a])
            index = index * spatial[a] + position
        return np.where(valid, index, -1).reshape(prod(out), prod(self.kernel))


def gather_windows(x: np.ndarray, rank: int, window: Window, fill) -> np.ndarray:
    """``x (..., *spatial)`` -> ``(..., positions, taps)``; padded taps take ``fill``."""
    lead, spatial = x.shape[: x.ndim - rank], x.shape[x.ndim - rank:]
    flat = x.reshape(lead + (prod(spatial),))
    padded = np.concatenate([flat, np.full(lead + (1,), fill, dtype=x.dtype)], axis=-1)
    return padded[..., window.gather_indices(spatial)]  # index -1 reads the fill column


# --------------------------------------------------------------------- interval helpers


_interval = np.frompyfunc(Interval, 3, 1)
_lo = np.frompyfunc(lambda x, f: x.at(f).lo, 2, 1)
_hi = np.frompyfunc(lambda x, f: x.at(f).hi, 2, 1)


@dataclass(frozen=True)
class IntervalArrays:
    """Per-element intervals as arrays: mantissa bounds at one common ``f`` and each
    element's own resolution ``own_f`` (int64), for vectorized interval arithmetic."""

    lo: np.ndarray
    hi: np.ndarray
    f: int
    own_f: np.ndarray

    @staticmethod
    def of(intervals: np.ndarray) -> IntervalArrays:
        own_f = np.vectorize(lambda x: x.f, otypes=[np.int64])(intervals)
        f = int(own_f.max()) if own_f.size else 0
        return IntervalArrays(_lo(intervals, f), _hi(intervals, f), f, own_f)


def coarsened_intervals(lo: np.ndarray, hi: np.ndarray, f: int, f_out: np.ndarray) -> np.ndarray:
    """Intervals ``[lo, hi] * 2**-f`` re-expressed at each element's ``f_out <= f``.

    Only valid when every value is known to be a multiple of ``2**-f_out`` (then the
    shifts are exact)."""
    shift = (f - f_out).astype(object)
    return _interval(lo >> shift, hi >> shift, f_out.astype(object))


def _exact_f(values: np.ndarray, f: int) -> np.ndarray:
    """The coarsest exact resolution of each constant ``m * 2**-f``; NO_TERM for zeros."""
    return np.vectorize(
        lambda m: constant_interval(int(m), f).f if m else NO_TERM, otypes=[np.int64]
    )(values)


def _split_signs(w: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    positive = np.where(w > 0, w, 0).astype(object)
    negative = np.where(w < 0, w, 0).astype(object)
    return positive, negative


def _dense_array(values: Sequence[int]) -> DenseArrayBase:
    return DenseArrayBase.from_list(i64, [int(v) for v in values])


# ------------------------------------------------------------------------------ ops


class WindowOp(FixedPointOp):
    """Shared by conv and the pools: window attributes and their verification."""

    @abstractmethod
    def window(self) -> Window: ...

    def spatial_shape(self) -> tuple[int, ...]:
        shape = tensor_type(self.operands[0]).shape
        rank = self.window().rank
        return shape[len(shape) - rank:]


@irdl_op_definition
class ConvOp(WindowOp):
    """N-d convolution with constant weights, channels first (ONNX ``Conv``)."""

    name = "fixedpoint.conv"
    input = operand_def(FixedTensorType)
    weight = operand_def(FixedTensorType)
    bias = opt_operand_def(FixedTensorType)
    strides = prop_def(_I64_ARRAY)
    pads = prop_def(_I64_ARRAY)
    dilations = prop_def(_I64_ARRAY)
    groups = prop_def(IntegerAttr[I64])
    result = result_def(FixedTensorType)
    traits = traits_def(Pure())
    assembly_format = (
        "$input `,` $weight (`,` $bias^)? `strides` $strides `pads` $pads "
        "`dilations` $dilations `groups` $groups attr-dict `:` "
        "`(` type($input) `,` type($weight) (`,` type($bias)^)? `)` `->` type($result)"
    )

    def __init__(self, input: SSAValue, weight: SSAValue, bias: SSAValue | None = None, *,
                 strides: Sequence[int] | None = None, pads: Sequence[int] | None = None,
                 dilations: Sequence[int] | None = None, groups: int = 1,
                 result_type: FixedTensorType | None = None):
        rank = len(tensor_type(weight).shape) - 2
        props = {
            "strides": _dense_array(strides or [1] * rank),
            "pads": _dense_array(pads or [0] * (2 * rank)),
            "dilations": _dense_array(dilations or [1] * rank),
            "groups": IntegerAttr(groups, i64),
        }
        super().__init__(operands=[input, weight, bias], properties=props,
                         result_types=[result_type or UNINFERRED])
        if result_type is None:
            set_inferred_type(self)

    def window(self) -> Window:
        kernel = tensor_type(self.weight).shape[2:]
        return Window(tuple(kernel), tuple(self.strides.get_values()),
                      tuple(self.pads.get_values()), tuple(self.dilations.get_values()))

    def verify_shapes(self) -> None:
        w_shape = tensor_type(self.weight).shape
        x_shape = tensor_type(self.input).shape
        constant_values(self.weight, "weight", self)
        if len(w_shape) < 3:
            raise VerifyException(
                f"conv weight must be (out_channels, in_channels/groups, *kernel) with at "
                f"least one spatial axis, got shape {list(w_shape)}"
            )
        rank = len(w_shape) - 2
        groups = self.groups.value.data
        if len(x_shape) < rank + 1:
            raise VerifyException(
                f"conv input must be (..., channels, *spatial) with {rank} spatial axes, got "
                f"shape {list(x_shape)}"
            )
        channels = x_shape[len(x_shape) - rank - 1]
        if groups < 1 or channels != w_shape[1] * groups or w_shape[0] % groups:
            raise VerifyException(
                f"conv with {groups} groups needs input channels ({channels}) = weight axis 1 "
                f"({w_shape[1]}) * groups and output channels ({w_shape[0]}) divisible by groups"
            )
        self.window().check(self.name, self.spatial_shape())
        if self.bias is not None:
            constant_values(self.bias, "bias", self)
            b_shape = tensor_type(self.bias).shape
            if b_shape != (w_shape[0],):
                raise VerifyException(f"conv bias must have shape [{w_shape[0]}], got {list(b_shape)}")

    def grouped_weight(self) -> tuple[np.ndarray, int]:
        """Weights as ``(groups, C/groups * taps, O/groups)`` matrices, and their f."""
        w, f_w = constant_values(self.weight, "weight", self)
        groups = self.groups.value.data
        o, c_g = w.shape[:2]
        taps = prod(w.shape[2:])
        matrices = w.reshape(groups, o // groups, c_g * taps).transpose(0, 2, 1)
        return matrices, f_w

    def grouped_columns(self, x: np.ndarray, fill) -> np.ndarray:
        """``x (L, C, *spatial)`` -> im2col ``(L, groups, positions, C/groups * taps)``."""
        window, groups = self.window(), self.groups.value.data
        cols = gather_windows(x, window.rank, window, fill)  # (L, C, P, T)
        lead, channels, positions, taps = cols.shape
        cols = cols.reshape(lead, groups, channels // groups, positions, taps)
        return cols.transpose(0, 1, 3, 2, 4).reshape(
            lead, groups, positions, channels // groups * taps
        )

    def result_intervals(self) -> np.ndarray:
        x_type = tensor_type(self.input)
        rank = self.window().rank
        lead_shape = x_type.shape[: len(x_type.shape) - rank - 1]
        x = IntervalArrays.of(x_type.interval_array().reshape((-1,) + x_type.shape[len(lead_shape):]))
        w, f_w = self.grouped_weight()
        w_pos, w_neg = _split_signs(w)
        lo_cols = self.grouped_columns(x.lo, 0)
        hi_cols = self.grouped_columns(x.hi, 0)
        f_cols = self.grouped_columns(x.own_f, NO_TERM)
        w_f = _exact_f(w, f_w)
        # (L, G, P, O/G) per group: exact bounds at resolution x.f + f_w
        lo = np.stack([lo_cols[:, g] @ w_pos[g] + hi_cols[:, g] @ w_neg[g] for g in range(len(w))], 1)
        hi = np.stack([hi_cols[:, g] @ w_pos[g] + lo_cols[:, g] @ w_neg[g] for g in range(len(w))], 1)
        f_terms = np.stack(
            [(f_cols[:, g, :, :, None] + w_f[g][None, None]).max(axis=2) for g in range(len(w))], 1
        )
        f = x.f + f_w
        lead, groups, positions, o_g = lo.shape
        to_channels = (lambda a: a.transpose(0, 1, 3, 2).reshape(lead, groups * o_g, positions))
        lo, hi, f_terms = to_channels(lo), to_channels(hi), to_channels(f_terms)
        if self.bias is not None:
            b, f_b = constant_values(self.bias, "bias", self)
            f_all = max(f, f_b)
            b_at = (b.astype(object) * (1 << (f_all - f_b)))[None, :, None]
            lo, hi = lo * (1 << (f_all - f)) + b_at, hi * (1 << (f_all - f)) + b_at
            f = f_all
            f_terms = np.maximum(f_terms, _exact_f(b, f_b)[None, :, None])
        # an output no term reaches is the constant 0 (or its bias): give it f <= 0
        f_out = np.where(f_terms <= NO_TERM // 2, min(f, 0), f_terms)
        out_spatial = self.window().output_shape(self.spatial_shape())
        intervals = coarsened_intervals(lo, hi, f, f_out)
        return intervals.reshape(lead_shape + (groups * o_g,) + out_spatial)


class PoolOp(WindowOp):
    """Pooling over the last ``len(kernel)`` axes, each channel on its own."""

    input = operand_def(FixedTensorType)
    kernel = prop_def(_I64_ARRAY)
    strides = prop_def(_I64_ARRAY)
    pads = prop_def(_I64_ARRAY)
    result = result_def(FixedTensorType)
    traits = traits_def(Pure())

    def window(self) -> Window:
        rank = len(self.kernel.get_values())
        return Window(tuple(self.kernel.get_values()), tuple(self.strides.get_values()),
                      tuple(self.pads.get_values()), (1,) * rank)

    @staticmethod
    def window_properties(kernel, strides, pads) -> dict:
        rank = len(kernel)
        return {
            "kernel": _dense_array(kernel),
            "strides": _dense_array(strides or kernel),
            "pads": _dense_array(pads or [0] * (2 * rank)),
        }

    def verify_shapes(self) -> None:
        x_shape = tensor_type(self.input).shape
        rank = len(self.kernel.get_values())
        if rank < 1 or len(x_shape) < rank:
            raise VerifyException(
                f"'{self.name}' with a {rank}-d kernel needs an input of rank >= {max(rank, 1)}, "
                f"got shape {list(x_shape)}"
            )
        window = self.window()
        window.check(self.name, self.spatial_shape())
        if any(p >= k for p, k in zip(window.pads, window.kernel * 2)):
            raise VerifyException(
                f"'{self.name}' pads {list(window.pads)} must be smaller than the kernel "
                f"{list(window.kernel)} (no window may lie entirely in the padding)"
            )

    def windows(self) -> tuple[IntervalArrays, np.ndarray, tuple[int, ...]]:
        """The input intervals as arrays, the window gather indices and the result shape."""
        x_type = tensor_type(self.input)
        window = self.window()
        x = IntervalArrays.of(x_type.interval_array())
        lead = x_type.shape[: len(x_type.shape) - window.rank]
        return x, window.gather_indices(self.spatial_shape()), lead + window.output_shape(
            self.spatial_shape())


@irdl_op_definition
class MaxPoolOp(PoolOp):
    """The maximum over each window (ONNX ``MaxPool``); padded positions are ignored."""

    name = "fixedpoint.maxpool"
    assembly_format = (
        "$input `kernel` $kernel `strides` $strides `pads` $pads attr-dict `:` "
        "type($input) `->` type($result)"
    )

    def __init__(self, input: SSAValue, kernel: Sequence[int], strides: Sequence[int] | None = None,
                 pads: Sequence[int] | None = None, result_type: FixedTensorType | None = None):
        super().__init__(operands=[input], properties=self.window_properties(kernel, strides, pads),
                         result_types=[result_type or UNINFERRED])
        if result_type is None:
            set_inferred_type(self)

    def result_intervals(self) -> np.ndarray:
        x, _, shape = self.windows()
        rank = self.window().rank
        lowest = min(x.lo.min(), 0) if x.lo.size else 0
        lo = gather_windows(x.lo, rank, self.window(), lowest).max(axis=-1)
        hi = gather_windows(x.hi, rank, self.window(), lowest).max(axis=-1)
        f_out = gather_windows(x.own_f, rank, self.window(), NO_TERM).max(axis=-1)  # >= 1 real
        return coarsened_intervals(lo, hi, x.f, f_out).reshape(shape)


@irdl_op_definition
class AvgPoolOp(PoolOp):
    """``scale * sum(window)`` with zero padding; ``scale`` is one exact constant or one
    per output position (row-major over the output's spatial axes)."""

    name = "fixedpoint.avgpool"
    scale = prop_def(ValuesAttr)
    assembly_format = (
        "$input `kernel` $kernel `strides` $strides `pads` $pads `scale` $scale attr-dict `:` "
        "type($input) `->` type($result)"
    )

    def __init__(self, input: SSAValue, kernel: Sequence[int], scale: ValuesAttr,
                 strides: Sequence[int] | None = None, pads: Sequence[int] | None = None,
                 result_type: FixedTensorType | None = None):
        props = self.window_properties(kernel, strides, pads) | {"scale": scale}
        super().__init__(operands=[input], properties=props,
                         result_types=[result_type or UNINFERRED])
        if result_type is None:
            set_inferred_type(self)

    def verify_shapes(self) -> None:
        super().verify_shapes()
        positions = prod(self.window().output_shape(self.spatial_shape()))
        n = len(self.scale.data.mantissas)
        if n not in (1, positions):
            raise VerifyException(
                f"avgpool needs one scale or one per output position ({positions}), got {n}"
            )

    def scales(self) -> np.ndarray:
        """The scale mantissas, one per output position (at resolution ``scale.f``)."""
        positions = prod(self.window().output_shape(self.spatial_shape()))
        m = self.scale.array((len(self.scale.data.mantissas),))
        return np.broadcast_to(m, (positions,)) if len(m) == 1 else m

    def result_intervals(self) -> np.ndarray:
        x, _, shape = self.windows()
        rank = self.window().rank
        lo = gather_windows(x.lo, rank, self.window(), 0).sum(axis=-1)
        hi = gather_windows(x.hi, rank, self.window(), 0).sum(axis=-1)
        f_sum = gather_windows(x.own_f, rank, self.window(), NO_TERM).max(axis=-1)
        sums = coarsened_intervals(lo, hi, x.f, f_sum)
        f_s = self.scale.data.f
        scale = np.frompyfunc(lambda s, m: s.scale(*_odd(int(m), f_s)), 2, 1)
        return scale(sums, self.scales()).reshape(shape)


def _odd(m: int, f: int) -> tuple[int, int]:
    """``m * 2**-f`` as an odd mantissa (or 0) and its exponent: the coarsest exact form."""
    exact = constant_interval(m, f)
    return exact.lo, exact.f


NN_OPS: list[type[Operation]] = [ConvOp, MaxPoolOp, AvgPoolOp]
