"""QKeras quantizers (qkeras 0.9), read from a model config, computed as QKeras computes them.

A quantizer is given in the config as ``{"class_name": "quantized_bits", "config": {...}}``
or as a string such as ``"quantized_relu(3,1)"``; the string is parsed (``ast``, literal
arguments only), never evaluated.

**Weights** (``quantize_weights``) are computed exactly as QKeras computes them at inference,
in float32 with QKeras's own steps (``x + stop_gradient(-x + xq)`` included), so the constants
are the float32 values TensorFlow multiplies with; every float32 is a dyadic number, so the
result is exact integers ``m * 2**-f`` (``exact_mantissas``).  Supported: ``quantized_bits``
(any ``alpha``: None, a number, ``"auto"``, ``"auto_po2"`` with its per-channel scale over the
last axis), ``quantized_po2``, ``binary``, ``ternary`` (alpha None or a number),
``quantized_relu``.

**Activations** (``activation_format``) that are a fixed-point rounding are
``fixedpoint.quantize`` ops: with ``m = 2**(bits - keep_negative)``,

    quantized_bits(bits, integer, symmetric, keep_negative)   alpha None or 1
        xq = 2**integer * clip(round(x * m / 2**integer), -keep_negative * (m - symmetric), m - 1) / m
        = fixed(k=keep_negative, i=integer, f=bits-keep_negative-integer), RND_CONV, SAT (SAT_SYM if symmetric)
    quantized_relu(bits, integer)                               use_sigmoid 0, negative_slope 0
        = fixed(k=0, i=integer, f=bits-integer), RND_CONV, SAT

    quantized_tanh(bits, symmetric)                             the default hard tanh
        = fixed(k=1, i=0, f=bits-1), RND_CONV, SAT (SAT_SYM if symmetric)
    quantized_sigmoid(bits)                                     the default hard sigmoid
        = fixed(k=0, i=0, f=bits) of x/2 + 1/2, RND_CONV, SAT

(``round`` is ``tf.round``: half to even).  The float32 steps agree with this exact rounding
except when ``|x|`` exceeds about ``2**(24 - f)`` (then ``x + (xq - x)`` loses bits in float32);
``quantized_relu`` is exact everywhere (it clips ``x`` first).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import Any

import numpy as np

from ...errors import CompileError
from ...numerics import Format, Overflow, Rounding

EPSILON = np.float32(1e-7)  # tf.keras.backend.epsilon()
LN2 = np.float32(np.log(2.0))

# positional parameters of each quantizer's constructor, in order (qkeras 0.9)
PARAMETERS = {
    "quantized_bits": ("bits", "integer", "symmetric", "keep_negative", "alpha",
                       "use_stochastic_rounding", "scale_axis", "qnoise_factor"),
    "quantized_relu": ("bits", "integer", "use_sigmoid", "negative_slope",
                       "use_stochastic_rounding", "relu_upper_bound", "is_quantized_clip",
                       "qnoise_factor"),
    "quantized_po2": ("bits", "max_value", "use_stochastic_rounding", "quadratic_approximation",
                      "log2_rounding", "qnoise_factor"),
    "binary": ("use_01", "alpha", "use_stochastic_rounding"),
    "ternary": ("alpha", "threshold", "use_stochastic_rounding", "number_of_unrolls"),
    "quantized_tanh": ("bits", "use_stochastic_rounding", "symmetric", "use_real_tanh"),
    "quantized_sigmoid": ("bits", "symmetric", "use_real_sigmoid", "use_stochastic_rounding"),
}
DEFAULTS = {
    "quantized_bits": {"bits": 8, "integer": 0, "symmetric": 0, "keep_negative": True,
                       "alpha": None, "scale_axis": None, "qnoise_factor": 1.0},
    "quantized_relu": {"bits": 8, "integer": 0, "use_sigmoid": 0, "negative_slope": 0.0,
                       "relu_upper_bound": None, "is_quantized_clip": True, "qnoise_factor": 1.0},
    "quantized_po2": {"bits": 8, "max_value": None, "quadratic_approximation": False,
                      "log2_rounding": "rnd", "qnoise_factor": 1.0},
    "binary": {"use_01": False, "alpha": None},
    "ternary": {"alpha": None, "threshold": None, "number_of_unrolls": 5},
    "quantized_tanh": {"bits": 8, "symmetric": False, "use_real_tanh": False},
    "quantized_sigmoid": {"bits": 8, "symmetric": False, "use_real_sigmoid": False},
}
# settings that change nothing at inference (QKeras rounds stochastically only in training)
_IGNORED = {"use_stochastic_rounding", "var_name", "use_ste", "use_variables"}


@dataclass(frozen=True)
class FixedActivation:
    """An activation quantizer that is one fixed-point rounding: the interface
    ``importers.keras.builder.ModelBuilder.quantize`` expects."""

    format: Format
    rounding: Rounding
    overflow: Overflow

    def formats(self, shape: tuple[int, ...]) -> np.ndarray:
        out = np.empty(shape, dtype=object)
        out.fill(self.format)
        return out


@dataclass(frozen=True)
class QKerasQuantizer:
    name: str
    params: dict[str, Any]
    where: str

    # ------------------------------------------------------------------ activations

    def activation_format(self) -> FixedActivation:
        p = self.params
        if self.name == "quantized_relu":
            if p["use_sigmoid"] or p["negative_slope"]:
                raise CompileError(self.where, "quantized_relu with use_sigmoid or negative_slope is not supported")
            if p["relu_upper_bound"] is not None and not p["is_quantized_clip"]:
                raise CompileError(self.where, "quantized_relu with relu_upper_bound is not supported")
            bits, integer = _int(p, "bits", self.where), _int(p, "integer", self.where)
            return FixedActivation(_format(0, integer, bits - integer, self.where), Rounding.RND_CONV, Overflow.SAT)
        if self.name == "quantized_bits":
            if p["alpha"] not in (None, 1, 1.0):
                raise CompileError(self.where, f"an activation quantized_bits with alpha={p['alpha']!r} "
                                   "is not a fixed-point format (alpha None or 1 is)")
            bits, integer = _int(p, "bits", self.where), _int(p, "integer", self.where)
            k = int(bool(p["keep_negative"]))
            if bits - k <= 0:
                raise CompileError(self.where, "a 1-bit quantized_bits activation (a sign) is not supported")
            overflow = Overflow.SAT_SYM if p["symmetric"] and k else Overflow.SAT
            return FixedActivation(_format(k, integer, bits - k - integer, self.where), Rounding.RND_CONV, overflow)
        if self.name in ("quantized_tanh", "quantized_sigmoid"):
            return self._hard_sigmoid_format()
        raise CompileError(self.where, f"'{self.name}' is not supported as an activation "
                           "(quantized_bits, quantized_relu, quantized_tanh and quantized_sigmoid are)")

    def _hard_sigmoid_format(self) -> FixedActivation:
        """quantized_tanh and quantized_sigmoid with QKeras's default hard sigmoid
        ``clip(x/2 + 1/2, 0, 1)`` are one rounding: tanh of ``x``, sigmoid of ``x/2 + 1/2``
        (``sigmoid_offset``)."""
        p = self.params
        if p["use_real_tanh" if self.name == "quantized_tanh" else "use_real_sigmoid"]:
            raise CompileError(self.where, f"{self.name} with the real (not hard) function is not supported")
        bits = _int(p, "bits", self.where)
        if self.name == "quantized_tanh":
            overflow = Overflow.SAT_SYM if p["symmetric"] else Overflow.SAT
            return FixedActivation(_format(1, 0, bits - 1, self.where), Rounding.RND_CONV, overflow)
        if p["symmetric"]:
            raise CompileError(self.where, "a symmetric quantized_sigmoid is not supported")
        return FixedActivation(_format(0, 0, bits, self.where), Rounding.RND_CONV, Overflow.SAT)

    @property
    def sigmoid_offset(self) -> bool:
        """Whether the activation is rounded from ``x/2 + 1/2`` (quantized_sigmoid)."""
        return self.name == "quantized_sigmoid"

    # ------------------------------------------------------------------ weights

    def quantize_weights(self, w: np.ndarray) -> np.ndarray:
        """QKeras's float32 result of this quantizer on the float32 weights ``w``."""
        x = np.asarray(w, dtype=np.float32)
        with np.errstate(all="ignore"):
            if self.name == "quantized_bits":
                xq = self._bits(x)
            elif self.name == "quantized_relu":
                xq, x = self._relu(x)
            elif self.name == "quantized_po2":
                xq = self._po2(x)
            elif self.name == "binary":
                xq, x = self._binary(x)
            elif self.name == "ternary":
                xq, x = self._ternary(x)
            elif self.name in ("quantized_tanh", "quantized_sigmoid"):
                return self._hard_sigmoid(x)
            else:
                raise CompileError(self.where, f"quantizer '{self.name}' is not supported for weights")
            return straight_through(x, xq)

    def _bits(self, x: np.ndarray) -> np.ndarray:
        p = self.params
        bits, integer = _int(p, "bits", self.where), _int(p, "integer", self.where)
        keep_negative = int(bool(p["keep_negative"]))
        alpha = p["alpha"]
        m = np.float32(2.0 ** (bits - keep_negative))
        m_i = np.float32(2.0 ** integer)
        if isinstance(alpha, str):
            return self._bits_auto(x, bits, m, m_i, alpha)
        if bits - keep_negative > 0:
            p_ = (x * m / m_i).astype(np.float32)
            low = np.float32(keep_negative * (-m + int(bool(p["symmetric"]))))
            xq = m_i * np.clip(round_through(p_), low, m - 1) / m
        else:
            xq = np.sign(x)
            xq = xq + (np.float32(1) - np.abs(xq))
            if not keep_negative:
                xq = (xq + np.float32(1)) / np.float32(2)
        scale = np.float32(1) if alpha is None else np.float32(_number(alpha, "alpha", self.where))
        return (scale * xq.astype(np.float32)).astype(np.float32)

    def _bits_auto(self, x: np.ndarray, bits: int, m: np.float32, m_i: np.float32, alpha: str) -> np.ndarray:
        """quantized_bits with alpha "auto" / "auto_po2" (symmetric): a least-squares scale
        per output channel (the last axis), a power of two for auto_po2."""
        if alpha not in ("auto", "auto_po2"):
            raise CompileError(self.where, f"invalid alpha '{alpha}'")
        if self.params["scale_axis"] is not None:
            raise CompileError(self.where, "quantized_bits with a scale_axis is not supported")
        axis = tuple(range(x.ndim - 1)) if x.ndim > 1 else (0,)
        x = (x / m_i).astype(np.float32)
        levels = np.float32((2 ** (bits - 1) - 1) * 2)
        scale = (np.max(np.abs(x), axis=axis, keepdims=True) * np.float32(2) / levels).astype(np.float32)
        half = levels / np.float32(2)

        def levels_of(scale: np.ndarray) -> np.ndarray:
            v = np.floor((np.abs(x) / scale + np.float32(0.5)).astype(np.float32))
            return (np.sign(x) * np.where(v < half, v, half)).astype(np.float32)

        if alpha == "auto_po2":
            scale = po2(scale)
            for _ in range(5):
                scale = least_squares_scale(x, levels_of(scale), axis, po2_scale=True)
        z = levels_of(scale)
        scale = (scale * m).astype(np.float32)
        xq = (m_i * z / m).astype(np.float32)
        return (scale * xq).astype(np.float32)

    def _relu(self, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The quantized values and ``x_u``, x clipped to [0, 2**integer - 2**-f]."""
        fmt = self.activation_format().format
        m = np.float32(2.0 ** (fmt.i + fmt.f))
        m_i = np.float32(2.0 ** fmt.i)
        top = (m_i - np.float32(2.0 ** -fmt.f)).astype(np.float32)
        x_u = np.where(x <= top, np.maximum(x, np.float32(0)), top).astype(np.float32)
        p = (x * m / m_i).astype(np.float32)
        xq = m_i * np.clip(round_through(p) / m, np.float32(0), np.float32(1) - np.float32(1) / m)
        return xq.astype(np.float32), x_u

    def _po2(self, x: np.ndarray) -> np.ndarray:
        p = self.params
        if p["quadratic_approximation"] or p["log2_rounding"] != "rnd":
            raise CompileError(self.where, "quantized_po2 with quadratic_approximation or floor rounding is not supported")
        bits, max_value = _int(p, "bits", self.where), p["max_value"]
        need_sign = 1 if max_value is None or max_value > 1 else 0
        effective = bits - 1 - need_sign
        min_exp, max_exp = -(2 ** effective), 2 ** effective - 1
        sign = np.sign(x)
        sign = sign + (np.float32(1) - np.abs(sign))
        x_abs = np.abs(x)
        filtered = np.where(x_abs < EPSILON, EPSILON, x_abs).astype(np.float32)
        if max_value is not None:
            limit = np.float32(_number(max_value, "max_value", self.where))
            filtered = np.where(filtered >= limit, limit, filtered).astype(np.float32)
        exponent = np.clip(np.round((np.log(filtered) / LN2).astype(np.float32)), min_exp, max_exp)
        exponent = np.where(x_abs < EPSILON, np.float32(min_exp), exponent)
        return (sign * np.ldexp(np.float32(1), exponent.astype(np.int32))).astype(np.float32)

    def _binary(self, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        p = self.params
        k_sign = np.sign(x)
        k_sign = k_sign + (np.float32(1) - np.abs(k_sign))
        if p["use_01"]:
            k_sign = (k_sign + np.float32(1)) / np.float32(2)
        alpha = p["alpha"]
        if alpha is None:
            return k_sign.astype(np.float32), np.tanh(x).astype(np.float32)
        if isinstance(alpha, str):
            if alpha not in ("auto", "auto_po2"):
                raise CompileError(self.where, f"invalid alpha '{alpha}'")
            axis = tuple(range(x.ndim - 1)) if x.ndim > 1 else None
            scale = least_squares_scale(x, k_sign.astype(np.float32), axis, po2_scale=alpha == "auto_po2")
        else:
            scale = np.float32(_number(alpha, "alpha", self.where))
        return (scale * k_sign).astype(np.float32), x

    def _hard_sigmoid(self, x: np.ndarray) -> np.ndarray:
        """quantized_tanh / quantized_sigmoid in float32 (no straight-through term)."""
        fmt = self._hard_sigmoid_format().format
        m = np.float32(2.0 ** fmt.f)
        p = np.clip((np.float32(0.5) * x + np.float32(0.5)).astype(np.float32), np.float32(0), np.float32(1))
        symmetric = np.float32(1 if self.params["symmetric"] else 0)
        if self.name == "quantized_tanh":
            p = (np.float32(2) * p - np.float32(1)).astype(np.float32)
            low = np.float32(-1) + symmetric / m
        else:
            low = symmetric / m
        return np.clip((round_through((p * m).astype(np.float32)) / m).astype(np.float32), low,
                       np.float32(1) - np.float32(1) / m).astype(np.float32)

    def _ternary(self, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        p = self.params
        alpha, threshold = p["alpha"], p["threshold"]
        if isinstance(alpha, str):
            raise CompileError(self.where, "ternary with alpha 'auto' / 'auto_po2' is not supported")
        thres = np.float32(0.33 if threshold is None else _number(threshold, "threshold", self.where))
        q = ((np.abs(x) >= thres).astype(np.float32) * np.sign(x)).astype(np.float32)
        scale = np.float32(1 if alpha is None else _number(alpha, "alpha", self.where))
        return (scale * q).astype(np.float32), (np.tanh(x).astype(np.float32) if alpha is None else x)


def round_through(t: np.ndarray) -> np.ndarray:
    """QKeras's ``_round_through``: ``t + stop_gradient(-t + round(t))`` in float32 (the
    rounded value, but +0.0 where ``t`` rounds to zero from below)."""
    return (t + (-t + np.round(t)).astype(np.float32)).astype(np.float32)


def straight_through(x: np.ndarray, xq: np.ndarray) -> np.ndarray:
    """QKeras's ``x + stop_gradient(-x + xq)`` in float32 (qnoise_factor 1)."""
    return (x + (-x + xq).astype(np.float32)).astype(np.float32)


def po2(scale: np.ndarray) -> np.ndarray:
    """``2 ** round(log(scale + eps) / ln 2)`` in float32, as QKeras rounds a scale."""
    exponent = np.round((np.log((scale + EPSILON).astype(np.float32)) / LN2).astype(np.float32))
    return np.ldexp(np.float32(1), exponent.astype(np.int32)).astype(np.float32)


def least_squares_scale(x: np.ndarray, q: np.ndarray, axis, po2_scale: bool) -> np.ndarray:
    """QKeras's ``_get_least_squares_scale``: mean(x q) / (mean(q q) + eps) per channel."""
    if x.ndim > 1:
        qx = np.mean((x * q).astype(np.float32), axis=axis, keepdims=True, dtype=np.float32)
        qq = np.mean((q * q).astype(np.float32), axis=axis, keepdims=True, dtype=np.float32)
    else:
        qx, qq = (x * q).astype(np.float32), (q * q).astype(np.float32)
    scale = (qx / (qq + EPSILON)).astype(np.float32)
    return po2(scale) if po2_scale else scale


def exact_mantissas(values: np.ndarray, where: str) -> tuple[np.ndarray, int]:
    """float32 values as exact integers ``m`` (object array) and one ``f``: v = m * 2**-f."""
    v = np.asarray(values, dtype=np.float64)
    if not np.all(np.isfinite(v)):
        raise CompileError(where, "quantized weights are not finite")
    fraction, exponent = np.frexp(v)  # v = fraction * 2**exponent, |fraction| in [0.5, 1)
    integers = (fraction * 2.0 ** 24).astype(np.int64)  # exact: float32 has 24 bits
    shifts = 24 - exponent.astype(np.int64)
    nonzero = integers != 0
    f = int(shifts[nonzero].max()) if nonzero.any() else 0
    out = np.empty(v.shape, dtype=object)
    flat, ints, sh = out.reshape(-1), integers.ravel(), shifts.ravel()
    for n in range(flat.size):
        flat[n] = int(ints[n]) << int(f - sh[n]) if ints[n] else 0
    while f > -256 and nonzero.any() and all(m % 2 == 0 for m in flat):
        flat[:] = [m // 2 for m in flat]
        f -= 1
    return out, f


def _int(p: dict[str, Any], key: str, where: str) -> int:
    value = p[key]
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or not -64 <= value <= 64:
        raise CompileError(where, f"'{key}' must be a small integer, got {value!r}")
    return value


def _number(value: Any, key: str, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise CompileError(where, f"'{key}' must be a number, got {value!r}")
    return float(value)


def _format(k: int, i: int, f: int, where: str) -> Format:
    if k + i + f <= 0:
        raise CompileError(where, f"a quantizer of {k + i + f} bits")
    return Format(k, i, f)


def parse_quantizer(spec: Any, where: str) -> QKerasQuantizer:
    """A QKeras quantizer from its serialized config or its string form."""
    if isinstance(spec, str):
        name, params = _parse_call(spec, where)
    elif isinstance(spec, dict) and isinstance(spec.get("class_name"), str):
        name, params = spec["class_name"], spec.get("config") or {}
        if not isinstance(params, dict):
            raise CompileError(where, f"quantizer '{name}' has a malformed config")
    else:
        raise CompileError(where, f"unreadable quantizer {spec!r}")
    if name not in PARAMETERS:
        raise CompileError(where, f"QKeras quantizer '{name}' is not supported (supported: "
                           f"{', '.join(PARAMETERS)})")
    known = set(PARAMETERS[name]) | _IGNORED | {"post_training_scale"}
    unknown = sorted(set(params) - known)
    if unknown:
        raise CompileError(where, f"{name}: unsupported setting(s) {', '.join(unknown)}")
    if params.get("qnoise_factor", 1.0) != 1.0:
        raise CompileError(where, f"{name}: qnoise_factor {params['qnoise_factor']} is not supported (1.0 is)")
    if params.get("post_training_scale") is not None:
        raise CompileError(where, f"{name}: post_training_scale is not supported")
    return QKerasQuantizer(name, {**DEFAULTS[name], **{k: v for k, v in params.items() if k not in _IGNORED}}, where)


def _parse_call(text: str, where: str) -> tuple[str, dict[str, Any]]:
    """``name(arg, ..., key=value)`` with literal arguments, by the syntax tree only."""
    try:
        tree = ast.parse(text.strip(), mode="eval").body
    except SyntaxError:
        raise CompileError(where, f"unreadable quantizer '{text}'") from None
    if isinstance(tree, ast.Name):
        return tree.id, {}
    if not (isinstance(tree, ast.Call) and isinstance(tree.func, ast.Name)):
        raise CompileError(where, f"unreadable quantizer '{text}' (a call with literal arguments expected)")
    name = tree.func.id
    order = PARAMETERS.get(name)
    if order is None:
        raise CompileError(where, f"QKeras quantizer '{name}' is not supported (supported: {', '.join(PARAMETERS)})")
    try:
        args = [ast.literal_eval(a) for a in tree.args]
        kwargs = {k.arg: ast.literal_eval(k.value) for k in tree.keywords if k.arg}
    except ValueError:
        raise CompileError(where, f"quantizer '{text}': arguments must be literals") from None
    if len(args) > len(order) or len(kwargs) != len(tree.keywords):
        raise CompileError(where, f"quantizer '{text}': too many arguments")
    return name, {**dict(zip(order, args)), **kwargs}
