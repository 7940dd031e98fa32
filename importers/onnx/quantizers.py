"""The QONNX quantizer semantics, twice: in float32 numpy (as qonnx executes them, for
constants and host-side input quantization) and in exact arithmetic (for folding).

IntQuant (``Quant``): ``q = round(clip(x / scale + zero_point, lo, hi))`` with the integer
bounds of (bits, signed, narrow); output ``(q - zero_point) * scale``.  Clipping to integer
bounds commutes with every (monotone, integer-preserving) rounding mode.  A 1-bit signed
Quant is bipolar, as in qonnx: ``+1 if x / scale + zero_point >= 0 else -1``.
BipolarQuant: ``(+1 if x >= 0 else -1) * scale``.

Rounding modes (upper or lower case), as in the QONNX operator table: ROUND = HALF_EVEN,
CEIL, FLOOR, UP (away from zero), DOWN (towards zero; also ROUND_TO_ZERO), HALF_UP (ties
away from zero), HALF_DOWN (ties towards zero).
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np

from .exact import Real

ROUNDING_MODES = ("ROUND", "HALF_EVEN", "CEIL", "FLOOR", "UP", "DOWN", "ROUND_TO_ZERO",
                  "HALF_UP", "HALF_DOWN")


def integer_bounds(bits: int, signed: bool, narrow: bool) -> tuple[int, int]:
    """The smallest and largest integer of a qonnx IntQuant."""
    if signed:
        top = 1 << (bits - 1)
        return (-top + 1 if narrow else -top), top - 1
    return 0, (1 << bits) - (2 if narrow else 1)


# ------------------------------------------------------------------ float32 (qonnx)


def _round_float(y: np.ndarray, mode: str) -> np.ndarray:
    mode = mode.upper()
    if mode in ("ROUND", "HALF_EVEN"):
        return np.round(y)
    if mode == "CEIL":
        return np.ceil(y)
    if mode == "FLOOR":
        return np.floor(y)
    if mode == "UP":
        return np.sign(y) * np.ceil(np.abs(y))
    if mode in ("DOWN", "ROUND_TO_ZERO"):
        return np.fix(y)
    if mode == "HALF_UP":
        return np.sign(y) * np.floor(np.abs(y) + np.float32(0.5))
    if mode == "HALF_DOWN":
        return np.sign(y) * np.ceil(np.abs(y) - np.float32(0.5))
    raise ValueError(f"unknown rounding mode {mode!r}")


def quantize_float32(x: np.ndarray, scale: np.ndarray, zero_point: np.ndarray, bits: int,
                     signed: bool, narrow: bool, rounding: str, kind: str = "int") -> np.ndarray:
    """The integer q (as float32) that qonnx computes for the float32 input x."""
    x = np.asarray(x, dtype=np.float32)
    if kind == "bipolar":
        return np.where(x >= 0, np.float32(1), np.float32(-1))
    with np.errstate(over="ignore"):  # qonnx overflows to infinity, then clips
        y = (x / scale).astype(np.float32) + zero_point
    if bits == 1 and signed:
        return np.where(y >= 0, np.float32(1), np.float32(-1))
    lo, hi = integer_bounds(bits, signed, narrow)
    y = np.clip(y, np.float32(lo), np.float32(hi))
    return _round_float(y, rounding).astype(np.float32)


# ------------------------------------------------------------------------------ exact


def round_exact(v: Real, mode: str) -> int:
    """Round an exact number to an integer with a qonnx rounding mode."""
    mode = mode.upper()
    if mode in ("ROUND", "HALF_EVEN"):
        n = v.floor()
        c = v.compare(Fraction(2 * n + 1, 2))
        return n + 1 if c > 0 or (c == 0 and n % 2 == 1) else n
    if mode == "FLOOR":
        return v.floor()
    if mode == "CEIL":
        return -(-v).floor()
    sign = v.sign()
    magnitude = v if sign >= 0 else -v
    if mode == "UP":
        return sign * -(-magnitude).floor()
    if mode in ("DOWN", "ROUND_TO_ZERO"):
        return sign * magnitude.floor()
    if mode == "HALF_UP":
        return sign * (magnitude + Fraction(1, 2)).floor()
    if mode == "HALF_DOWN":
        return sign * -(-(magnitude - Fraction(1, 2))).floor()
    raise ValueError(f"unknown rounding mode {mode!r}")


def quantize_exact(x: Real, inverse_scale: Real, zero_point: Real, bits: int, signed: bool,
                   narrow: bool, rounding: str, kind: str = "int") -> int:
    """The integer q of a Quant / BipolarQuant for the exact input x (``inverse_scale`` is
    1 / scale, given so that callers compute it once)."""
    if kind == "bipolar":
        return 1 if x.sign() >= 0 else -1
    y = x * inverse_scale + zero_point
    if bits == 1 and signed:
        return 1 if y.sign() >= 0 else -1
    lo, hi = integer_bounds(bits, signed, narrow)
    if y.compare(hi) >= 0:
        return hi
    if y.compare(lo) <= 0:
        return lo
    return round_exact(y, rounding)
