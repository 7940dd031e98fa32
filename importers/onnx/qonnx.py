"""QONNX quantizers: Quant (IntQuant), BipolarQuant, Trunc and FINN's MultiThreshold, in
every domain they are exported under (qonnx.custom_op.general, finn.custom_op.general,
onnx.brevitas).

What a quantizer becomes depends on its input:
- a constant: folded in float32 numpy exactly as qonnx computes it, keeping the integers
  and the scale apart (``Const.integers``, ``Const.scale``);
- a float graph input: a function argument holding ``q - zero_point``; the quantization is
  recorded for the host (model_io.InputRecord);
- a hardware tensor with power-of-two scale, zero point 0 and round-half-even or floor
  rounding (after pending arithmetic that only shifts and adds, or after any dyadic
  factor when the quantizer is wider than THRESHOLD_BITS): ``fixedpoint.quantize`` to
  fixed<signed, bits-signed-s, s> with SAT (SAT_SYM for narrow signed ranges);
- anything else (float scales, batch norms, other rounding modes): the exact step function
  from the integer input to the quantized integer, as ``fixedpoint.threshold``; thresholds
  are found by exact evaluation (exact.Real), so nothing is approximated.

The result of a quantizer with a non-power-of-two scale is the integer ``q - zero_point``
in hardware with the scale pending, to be folded into the next quantizer.
"""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction

import numpy as np

from ...dialects.fixedpoint import lut_ops, ops
from ...numerics import Format, Interval, Overflow, Rounding
from ...dialects.fixedpoint.types import FixedTensorType
from .context import QONNX_DOMAINS, ConversionContext, converter
from .exact import NotExact, Real, exact_array, power_of_two_exponent
from .model_io import InputRecord
from .quantizers import ROUNDING_MODES, integer_bounds, quantize_exact, quantize_float32, round_exact
from .values import Affine, Const, HostInput, Pending, Tensor, Value

MAX_BITS = 64
THRESHOLD_BITS = 8
"""A quantizer behind a float (non power-of-two) factor becomes thresholds up to this many
output bits (at most 2**bits - 1 comparators); wider ones multiply by the exact constant."""


class QuantParams:
    """The constant operands and attributes of one quantizer node, validated."""

    def __init__(self, ctx: ConversionContext, kind: str):
        self.kind = kind
        self.scale = ctx.const(1, "scale").array.astype(np.float32)
        if np.any(~(self.scale > 0)) or not np.all(np.isfinite(self.scale)):
            raise ctx.error("the scale must be positive and finite")
        if kind == "bipolar":
            self.zero_point = np.zeros((), dtype=np.float32)
            self.bits, self.signed, self.narrow, self.rounding = 1, True, False, "ROUND"
            return
        self.zero_point = ctx.const(2, "zero point").array.astype(np.float32)
        self.bits = bit_width(ctx, 3, "bit width")
        self.signed = bool(ctx.attr("signed", 1))
        self.narrow = bool(ctx.attr("narrow", 0))
        self.rounding = str(ctx.attr("rounding_mode", "ROUND")).upper()
        if self.rounding not in ROUNDING_MODES:
            raise ctx.error(f"unknown rounding_mode '{self.rounding}' (QONNX defines "
                            f"{', '.join(ROUNDING_MODES)})")
        if self.narrow and self.bits == 1 and not self.signed:
            raise ctx.error("a narrow unsigned 1-bit Quant has no values")

    def float32(self, x: np.ndarray) -> np.ndarray:
        return quantize_float32(x, self.scale, self.zero_point, self.bits, self.signed,
                                self.narrow, self.rounding, self.kind)

    def bounds(self) -> tuple[int, int]:
        if self.kind == "bipolar" or (self.bits == 1 and self.signed):
            return -1, 1
        return integer_bounds(self.bits, self.signed, self.narrow)


def bit_width(ctx: ConversionContext, index: int, role: str) -> int:
    values = np.unique(ctx.const(index, role).array.astype(np.float64))
    if values.size != 1:
        raise ctx.error(f"the {role} must be one number, got {values.tolist()}")
    bits = float(values[0])
    if not bits.is_integer() or not 1 <= bits <= MAX_BITS:
        raise ctx.error(f"the {role} must be an integer from 1 to {MAX_BITS}, got {bits!r}")
    return int(bits)


def _integral(a: np.ndarray) -> bool:
    return bool(np.all(np.asarray(a) == np.round(np.asarray(a))))


def _uniform_power_of_two(scale: np.ndarray) -> int | None:
    values = np.unique(np.asarray(scale, dtype=np.float32))
    if values.size != 1:
        return None
    return power_of_two_exponent(Real.of(values[0]))


# --------------------------------------------------------------------- converters


@converter("Quant", domains=QONNX_DOMAINS)
@converter("IntQuant", domains=QONNX_DOMAINS)
def quant(ctx: ConversionContext) -> list[Value]:
    return [quantize(ctx, QuantParams(ctx, "int"))]


@converter("BipolarQuant", domains=QONNX_DOMAINS)
def bipolar_quant(ctx: ConversionContext) -> list[Value]:
    return [quantize(ctx, QuantParams(ctx, "bipolar"))]


def quantize(ctx: ConversionContext, p: QuantParams) -> Value:
    x = ctx.input(0, "data")
    if isinstance(x, Const):
        if not np.all(np.isfinite(x.array)):
            raise ctx.error("the quantized constant has NaN or infinite values")
        q = p.float32(x.array)
        value = ((q - p.zero_point) * p.scale).astype(np.float32)
        if not _integral(p.zero_point):
            return Const(value)
        integers = np.rint(q - p.zero_point).astype(np.int64)
        return Const(value, integers, np.broadcast_to(p.scale, integers.shape).copy())
    if isinstance(x, HostInput):
        return _host_quantize(ctx, x, p)
    if isinstance(x, Tensor | Pending):
        direct = _direct_quantize(ctx, x, p)
        if direct is not None:
            return direct
        pending = x if isinstance(x, Pending) else Pending(x.value, ())
        return _threshold(ctx, pending, _quantizer_function(ctx, p, pending.shape),
                          ctx.broadcast(p.scale, pending.shape, "scale"),
                          ctx.broadcast(p.zero_point, pending.shape, "zero point"))
    raise ctx.error("unsupported input kind")


def _quantizer_function(ctx: ConversionContext, p: QuantParams, shape) -> Callable[[Real, int], int]:
    inverse = [s.inverse() for s in exact_array(ctx.broadcast(p.scale, shape, "scale")).flat]
    zero = exact_array(ctx.broadcast(p.zero_point, shape, "zero point"))

    def q(v: Real, e: int) -> int:
        return quantize_exact(v, inverse[e], zero.flat[e], p.bits, p.signed, p.narrow,
                              p.rounding, p.kind)

    return q


def _host_quantize(ctx: ConversionContext, x: HostInput, p: QuantParams) -> Value:
    if not _integral(p.zero_point):
        raise ctx.error("a non-integer zero point on a graph input is not supported")
    scale = ctx.broadcast(p.scale, x.shape, "scale")
    zero = ctx.broadcast(p.zero_point, x.shape, "zero point")
    exponent = _uniform_power_of_two(scale)
    f = -exponent if exponent is not None else 0
    lo, hi = p.bounds()
    precision = Interval(lo - int(zero.max()), hi - int(zero.min()), f)
    record = InputRecord(x.name, x.onnx_shape, x.pre_ops, p.kind, p.rounding, scale=p.scale,
                         zero_point=p.zero_point, bits=p.bits, signed=p.signed, narrow=p.narrow, f=f)
    pending_scale = None if exponent is not None else exact_array(scale)
    return ctx.importer.host_argument(x, record, FixedTensorType(x.shape, precision), pending_scale)


_ROUNDINGS = {"ROUND": Rounding.RND_CONV, "HALF_EVEN": Rounding.RND_CONV, "FLOOR": Rounding.TRN}


def _direct_quantize(ctx: ConversionContext, x: Tensor | Pending, p: QuantParams) -> Value | None:
    """``fixedpoint.quantize`` when the quantizer is a plain fixed-point format."""
    exponent = _uniform_power_of_two(p.scale)
    if (exponent is None or p.kind != "int" or np.any(p.zero_point != 0)
            or p.rounding not in _ROUNDINGS or (p.bits == 1 and p.signed)
            or (p.narrow and not p.signed)):
        return None
    affines = [s for s in x.steps if isinstance(s, Affine)] if isinstance(x, Pending) else []
    if any(not s.is_dyadic() for s in affines):
        return None
    shifts_only = all(power_of_two_exponent(v) is not None for s in affines for v in s.scale.flat)
    if not shifts_only and p.bits <= THRESHOLD_BITS:
        return None  # a few comparators beat a multiplication by a long constant
    base = ctx.tensor(0)
    f = -exponent
    fmt = Format(1, p.bits - 1 - f, f) if p.signed else Format(0, p.bits - f, f)
    overflow = Overflow.SAT_SYM if p.narrow else Overflow.SAT
    return Tensor(ctx.emit(ops.QuantizeOp(base, fmt, _ROUNDINGS[p.rounding], overflow)).results[0])


# ---------------------------------------------------------------------- threshold


def step_function(lo: int, hi: int, fn: Callable[[int], int]) -> tuple[list[int], list[int]]:
    """The breakpoints and levels of a monotone integer function on [lo, hi]:
    fn(n) == levels[#{t : n >= thresholds[t]}]."""
    thresholds: list[int] = []
    levels = [fn(lo)]

    def split(a: int, fa: int, b: int, fb: int) -> None:
        # fn(a) == fa != fb == fn(b), a < b: every change point in (a, b]
        if b == a + 1:
            thresholds.append(b)
            levels.append(fb)
            return
        mid = (a + b) // 2
        fm = fn(mid)
        if fm != fa:
            split(a, fa, mid, fm)
        if fm != fb:
            split(mid, fm, b, fb)

    f_hi = fn(hi)
    if f_hi != levels[0]:
        split(lo, levels[0], hi, f_hi)
    return thresholds, levels


def _threshold(ctx: ConversionContext, x: Pending, quantizer: Callable[[Real, int], int], scale: np.ndarray, zero: np.ndarray) -> Value:
    """Fold ``x``'s pending float steps and a quantizer into a threshold op.

    ``quantizer(v, e)`` is the quantized integer of element e for the exact value v; the
    result is ``(q - zero) * scale``."""
    intervals = ops.tensor_type(x.base).interval_array().ravel()
    f_in = max(iv.f for iv in intervals)
    per_element = []
    try:
        for e, iv in enumerate(intervals):
            iv = iv.at(f_in)
            step = Fraction(1, 1 << f_in) if f_in >= 0 else Fraction(1 << -f_in)

            def fn(n: int, e=e, step=step) -> int:
                return quantizer(x.evaluate(Real(n * step), e), e)

            per_element.append(step_function(iv.lo, iv.hi, fn))
    except NotExact as err:
        raise ctx.error(f"cannot be folded exactly: {err}") from err
    exponent = _uniform_power_of_two(scale)
    if _integral(zero):
        outputs = [[q - int(zero.flat[e]) for q in lv] for e, (_, lv) in enumerate(per_element)]
        offset = None
    else:
        outputs = [lv for _, lv in per_element]
        offset = -exact_array(zero) * exact_array(scale)
    n = max(len(t) for t, _ in per_element)
    t_arr = np.empty((len(per_element), n), dtype=object)
    v_arr = np.empty((len(per_element), n + 1), dtype=object)
    for e, ((t, _), out) in enumerate(zip(per_element, outputs)):
        pad = n - len(t)
        t_arr[e] = (t + [t[-1]] * pad) if t else [intervals[e].at(f_in).lo] * n
        v_arr[e] = out + [out[-1]] * pad
    shape = x.shape
    exact_output = exponent is not None and offset is None  # values (q - zero) * 2**exponent
    f_out = -exponent if exact_output else 0
    op = lut_ops.ThresholdOp(x.base, t_arr.reshape(shape + (n,)), f_in,
                             v_arr.reshape(shape + (n + 1,)), f_out)
    result = ctx.emit(op).results[0]
    if exact_output:
        return Tensor(result)
    zeros = exact_array(np.zeros(shape, dtype=np.int64))
    return Pending(result, (Affine(exact_array(scale), offset if offset is not None else zeros),))


# -------------------------------------------------------------------------- Trunc


@converter("Trunc", domains=QONNX_DOMAINS)
def trunc(ctx: ConversionContext) -> list[Value]:
    """Trunc v1 (5 inputs: x, scale, zero point, input bits, output bits) and v2 (6 inputs:
    ..., output scale, output bits; with clipping), as qonnx defines them."""
    x = ctx.input(0, "data")
    if isinstance(x, Const | HostInput):
        raise ctx.error("Trunc is only supported on hardware tensors")
    rounding = str(ctx.attr("rounding_mode", "FLOOR")).upper()
    if rounding not in ROUNDING_MODES:
        raise ctx.error(f"unknown rounding_mode '{rounding}'")
    pending = x if isinstance(x, Pending) else Pending(x.value, ())
    shape = pending.shape
    scale = ctx.broadcast(ctx.const(1, "scale").array.astype(np.float32), shape, "scale")
    zero = ctx.broadcast(ctx.const(2, "zero point").array.astype(np.float32), shape, "zero point")
    if np.any(~(scale > 0)):
        raise ctx.error("the scale must be positive")
    in_bits = bit_width(ctx, 3, "input bit width")
    v2 = len(ctx.node.input) >= 6
    if v2:
        out_scale = ctx.broadcast(ctx.const(4, "output scale").array.astype(np.float32), shape,
                                  "output scale")
        out_bits = bit_width(ctx, 5, "output bit width")
        signed, narrow = bool(ctx.attr("signed", 1)), bool(ctx.attr("narrow", 0))
        ratio = np.unique(out_scale / scale)
        shifts = np.round(np.log2(ratio))
        if shifts.size != 1:
            raise ctx.error("the truncation scale must be one power of two")
        shift = int(shifts[0])
        bounds = integer_bounds(out_bits, signed, narrow)
        out_zero = zero / np.float32(2.0 ** shift)
    else:
        out_bits = bit_width(ctx, 4, "output bit width")
        shift = in_bits - out_bits
        out_scale, out_zero = scale, zero
        bounds = None
    s_exact, z_exact = exact_array(scale), exact_array(zero)
    divisor = Fraction(2) ** shift

    def q(v: Real, e: int) -> int:
        y = round_exact(v / s_exact.flat[e] + z_exact.flat[e], "ROUND") / divisor
        y = Real(y)
        if bounds is not None:
            if y.compare(bounds[1]) >= 0:
                return bounds[1]
            if y.compare(bounds[0]) <= 0:
                return bounds[0]
        return round_exact(y, rounding)

    return [_threshold(ctx, pending, q, out_scale, out_zero)]


# ------------------------------------------------------------------ MultiThreshold


@converter("MultiThreshold", domains=QONNX_DOMAINS)
def multi_threshold(ctx: ConversionContext) -> list[Value]:
    """FINN's MultiThreshold: ``out_scale * #{t : x >= T[channel, t]} + out_bias``, the
    channel on axis 1 (data_layout NCHW) or last (NHWC); T of shape (C, n) or (1, n).
    The comparisons are exact (float32 thresholds, exact pending arithmetic)."""
    x = ctx.value(0, "data")
    if isinstance(x, Const):
        raise ctx.error("MultiThreshold of a constant is not supported")
    pending = x if isinstance(x, Pending) else Pending(x.value, ())
    shape = pending.shape
    thresholds = ctx.const(1, "thresholds").array.astype(np.float32)
    layout = str(ctx.attr("data_layout", "NCHW"))
    if layout not in ("NCHW", "NHWC", "NC") or not shape:
        raise ctx.error(f"unsupported data_layout '{layout}' for a tensor of shape {[1, *shape]}")
    axis = len(shape) - 1 if layout == "NHWC" else 0
    channels = shape[axis]
    if thresholds.ndim != 2 or thresholds.shape[0] not in (1, channels):
        raise ctx.error(f"thresholds of shape {list(thresholds.shape)} do not fit {channels} channels")
    exact_t = exact_array(np.sort(thresholds, axis=1))
    channel_of = np.broadcast_to(
        np.arange(channels).reshape([-1 if a == axis else 1 for a in range(len(shape))]), shape).ravel()
    rows = [exact_t[0 if thresholds.shape[0] == 1 else c] for c in channel_of]

    def count(v: Real, e: int) -> int:
        return sum(1 for t in rows[e] if v.compare(t) >= 0)

    out_scale = np.float32(ctx.attr("out_scale", 1.0))
    out_bias = np.float32(ctx.attr("out_bias", 0.0))
    if out_scale == 0:
        raise ctx.error("out_scale must not be zero")
    scale = np.full(shape, out_scale, dtype=np.float32)
    steps = -Real.of(out_bias) / Real.of(out_scale)  # the bias in output steps
    if steps.r.denominator == 1:
        return [_threshold(ctx, pending, count, scale, np.full(shape, float(steps.r)))]
    # a bias that is not a whole number of steps: kept exact as an output offset
    result = _threshold(ctx, pending, count, scale, np.zeros(shape))
    shift = Affine(exact_array(np.ones(shape, dtype=np.int64)), exact_array(np.full(shape, out_bias)))
    base = result if isinstance(result, Pending) else Pending(result.value, ())
    return [base.then(shift)]
