"""HGQ2's fixed-point quantizers, read from a saved model, as exact per-element formats.

An HGQ2 ``Quantizer`` wraps a *KIF* quantizer (trainable ``i`` and ``f``) or a *KBI*
quantizer (trainable bit-width ``b`` and ``i``; then ``f = b - i``), plus a sign bit ``k``
(uint8).  The stored values are floats; the quantizer uses them rounded half-to-even
(``round_conv``), so with the stored arrays ``K, I, F`` (or ``K, B, I``):

    k = K,   i = rint(I),   f = rint(F)          (KIF)
    k = K,   i = rint(I),   f = rint(B) - rint(I)  (KBI)

Their shapes are the quantizer's bit-width shape: 1 along homogeneous axes (the batch axis
of activations), full size along the others, broadcast over the quantized tensor.

At inference a value x becomes ``x`` rounded to ``f`` fractional bits (TRN floor, RND
``floor(x*2^f + 1/2)``, RND_CONV half-to-even) and wrapped or saturated to ``(k, i, f)``
(WRAP, SAT ``[-k*2^i, 2^i - 2^-f]``, SAT_SYM ``[-k*(2^i - 2^-f), 2^i - 2^-f]``); an element
with ``k + i + f <= 0`` is 0.  One exception: a *trainable* WRAP quantizer of a *weight*
(``is_weight``: HGQ2's default for biases) only rounds -- without wrapping and without the
zeroing -- when it is a KIF quantizer or a KBI quantizer with RND rounding.

Weights are quantized here as HGQ2 does it, in float32 (``floor(float32(w*2^f) + 0.5)``
rounds once more in float32), so the constants are the ones the trained model uses; the
result is exact integers.  Activations become ``fixedpoint.quantize`` ops.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import h5py
import numpy as np

from ...errors import CompileError
from ...numerics import Format, Overflow, Rounding, wrap_or_saturate

_ROUNDING = {"TRN": Rounding.TRN, "RND": Rounding.RND, "RND_CONV": Rounding.RND_CONV}
_OVERFLOW = {"WRAP": Overflow.WRAP, "SAT": Overflow.SAT, "SAT_SYM": Overflow.SAT_SYM}
_DEFAULT_TYPE = {"weight": "kbi", "datalane": "kif", "bias": "kbi", "table": "kbi"}


@dataclass(frozen=True)
class HGQQuantizer:
    """One HGQ2 fixed-point quantizer at inference: per-element (k, i, f) and its modes."""

    where: str
    k: np.ndarray  # int64 arrays in the quantizer's bit-width shape
    i: np.ndarray
    f: np.ndarray
    rounding: Rounding
    overflow: Overflow
    round_only: bool  # the trainable-WRAP weight shortcut: round, no overflow, no zeroing

    def _broadcast(self, shape: tuple[int, ...]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        try:
            return tuple(np.broadcast_to(a, shape) for a in (self.k, self.i, self.f))
        except ValueError:
            raise CompileError(
                self.where, f"quantizer bit-widths of shape {list(self.k.shape)} do not fit a "
                f"tensor of shape {list(shape)}"
            ) from None

    def formats(self, sample_shape: tuple[int, ...]) -> np.ndarray:
        """Per-element formats for one sample (the batch axis of the bit-widths dropped)."""
        if self.k.ndim != len(sample_shape) + 1 or self.k.shape[0] != 1:
            raise CompileError(
                self.where, f"activation quantizer bit-widths of shape {list(self.k.shape)} do "
                f"not match inputs of shape [batch, {', '.join(map(str, sample_shape))}]"
            )
        k, i, f = self._broadcast((1,) + tuple(sample_shape))
        out = np.empty(sample_shape, dtype=object)
        flat = out.reshape(-1)
        for n, (kk, ii, ff) in enumerate(zip(k.ravel(), i.ravel(), f.ravel())):
            flat[n] = _format(int(kk), int(ii), int(ff))
        return out

    def quantize_constant(self, w: np.ndarray) -> tuple[np.ndarray, int]:
        """HGQ2's quantized value of the float32 weights ``w`` as exact ``(mantissas, f)``."""
        w = np.asarray(w, dtype=np.float32)
        k, i, f = self._broadcast(w.shape)
        saturating = self.overflow is not Overflow.WRAP and not self.round_only
        m = _round_float32(w, f, self.rounding, saturating)
        if m is None:
            raise CompileError(self.where, "weights are not finite or too large for their format")
        if not self.round_only:
            out = np.zeros(w.shape, dtype=np.int64)
            for key in set(zip(k.ravel().tolist(), i.ravel().tolist(), f.ravel().tolist())):
                sel = (k == key[0]) & (i == key[1]) & (f == key[2])
                fmt = _format(*key)
                if fmt.width > 0:
                    out[sel] = wrap_or_saturate(m[sel], fmt, self.overflow)
            m = out
        f_common = int(f.max()) if f.size else 0
        mantissas = _shift_left(m, f_common - f) if w.size else np.zeros(w.shape, dtype=object)
        return mantissas, f_common


def _format(k: int, i: int, f: int) -> Format:
    """HGQ2's (k, i, f) as a Format; a non-positive width holds only zero."""
    if k + i + f <= 0:
        return Format(0, 0, 0)
    return Format(k, max(i, -f), f)


_shift_left = np.frompyfunc(lambda m, s: int(m) << int(s), 2, 1)


def _round_float32(w: np.ndarray, f: np.ndarray, rounding: Rounding,
                   saturating: bool) -> np.ndarray | None:
    """``round(w * 2^f)`` computed in float32 as HGQ2 does: int64 mantissas (None if a
    value is not finite or too large).  Saturating quantizers clip first, as HGQ2 does, so
    huge weights only need to stay huge (formats are far narrower than 2^60)."""
    t = np.ldexp(w, f.astype(np.int32)).astype(np.float32)  # exact: a power-of-two scale
    if saturating:
        t = np.clip(t, np.float32(-2.0**60), np.float32(2.0**60))
    if rounding is Rounding.TRN:
        r = np.floor(t)
    elif rounding is Rounding.RND:
        r = np.floor((t + np.float32(0.5)).astype(np.float32))
    else:
        r = np.rint(t)
    if not np.all(np.isfinite(r)) or np.any(np.abs(r) >= 2.0**62):
        return None
    return r.astype(np.int64)


def load_quantizer(config: Any, group: h5py.Group | None, where: str) -> HGQQuantizer:
    """The quantizer described by a serialized ``QuantizerConfig`` and its h5 group."""
    conf = _quantizer_config(config, where)
    q_type = conf.get("q_type", "default")
    if q_type == "default":
        q_type = _DEFAULT_TYPE.get(conf.get("place", "datalane"), "kbi")
    if q_type not in ("kif", "kbi"):
        raise CompileError(where, f"quantizer type '{q_type}' is not supported (only fixed-point kif / kbi)")
    for key in ("scaler", "affine", "bw_mapper"):
        if conf.get(key) is not None:
            raise CompileError(where, f"quantizers with a '{key}' are not supported")
    round_mode = str(conf.get("round_mode", "RND")).upper().removeprefix("S_")
    overflow_mode = str(conf.get("overflow_mode", "WRAP")).upper()
    if round_mode not in _ROUNDING:
        raise CompileError(where, f"rounding mode '{round_mode}' is not supported")
    if overflow_mode not in _OVERFLOW:
        raise CompileError(where, f"overflow mode '{overflow_mode}' is not supported")
    wrap = overflow_mode == "WRAP"
    variables = _quantizer_variables(group, q_type, wrap, where)
    k = variables["k"]
    if not np.all((k == 0) | (k == 1)):
        raise CompileError(where, "sign bits k must be 0 or 1")
    i = _integer_bits(variables["i"], where)
    f = _integer_bits(variables["f"], where) if q_type == "kif" else _integer_bits(variables["b"], where) - i
    trainable_weight = wrap and bool(conf.get("trainable", True)) and bool(conf.get("is_weight", False))
    round_only = trainable_weight and (q_type == "kif" or round_mode == "RND")
    return HGQQuantizer(where, k.astype(np.int64), i, f, _ROUNDING[round_mode],
                        _OVERFLOW[overflow_mode], round_only)


MAX_BITS = 256
"""Bit counts beyond this are not a hardware design (and would make huge shifts)."""


def _integer_bits(stored: np.ndarray, where: str) -> np.ndarray:
    """HGQ2's ``round_conv`` of stored float bit counts (half to even), checked."""
    values = np.asarray(stored, dtype=np.float32)
    if not np.all(np.isfinite(values)) or np.any(np.abs(values) > MAX_BITS):
        raise CompileError(where, f"quantizer bit counts must be finite and at most {MAX_BITS} in size")
    return np.rint(values).astype(np.int64)


def _quantizer_config(config: Any, where: str) -> dict[str, Any]:
    if not isinstance(config, dict):
        raise CompileError(where, "the quantizer has no configuration")
    if "class_name" in config:
        if config.get("class_name") != "QuantizerConfig" or not isinstance(config.get("config"), dict):
            raise CompileError(where, f"unknown quantizer configuration '{config.get('class_name')}'")
        return config["config"]
    return config


def _quantizer_variables(group: h5py.Group | None, q_type: str, wrap: bool,
                         where: str) -> dict[str, np.ndarray]:
    """The named variables of an internal quantizer, in Keras's saved order.

    Keras saves a layer's trainable variables first, then the others, each in creation
    order.  KIF creates k, i (trainable unless WRAP), f, and for WRAP i_decay_speed; KBI
    creates k, b, i (trainable unless WRAP), and for WRAP i_decay_speed.
    """
    vars_group = group.get("quantizer/vars") if group is not None else None
    if not isinstance(vars_group, h5py.Group) or len(vars_group) == 0:
        raise CompileError(where, "the weights file has no variables for this quantizer (missing weight)")
    created = [("k", False), ("i", not wrap), ("f", True)] if q_type == "kif" else \
        [("k", False), ("b", True), ("i", not wrap)]
    if wrap:
        created.append(("i_decay_speed", False))
    order = [n for n, t in created if t] + [n for n, t in created if not t]
    if set(vars_group.keys()) != {str(n) for n in range(len(order))}:
        raise CompileError(
            where, f"expected {len(order)} quantizer variables ({', '.join(order)}), found "
            f"{sorted(vars_group.keys())} (missing weight?)"
        )
    values = {name: np.asarray(vars_group[str(n)][()]) for n, name in enumerate(order)}
    if values["k"].dtype != np.uint8:
        raise CompileError(where, f"the sign-bit variable should be uint8, found {values['k'].dtype}")
    shape = values["k"].shape
    for name in ("i", "f", "b"):
        if name in values and values[name].shape != shape:
            raise CompileError(where, f"quantizer variable '{name}' has shape {list(values[name].shape)}, "
                               f"expected {list(shape)}")
    return values
