"""Canonical signed digits and power-of-two factoring of integer matrices.

The canonical signed digit (CSD, also non-adjacent form) representation writes an integer
as ``sum_p d_p 2**p`` with digits ``d_p`` in {-1, 0, 1} and no two adjacent digits
non-zero.  It is unique and has the fewest non-zero digits of any signed-digit form.

Everything is vectorized over whole arrays with a bit trick: for ``m = |x|`` let
``h = m >> 1`` and ``t = m + h``; the bits where ``h`` and ``t`` differ are the non-zero
digits of m, positive where ``t`` has the bit and negative where ``h`` has it
(``m == (t & c) - (h & c)`` with ``c = h ^ t``).
"""

from __future__ import annotations

import numpy as np

_INT64_SAFE_BITS = 61  # |x| < 2**61 keeps 3|x|/2 inside int64


def as_integer_matrix(w) -> np.ndarray:
    """int64 when every entry fits comfortably, an object array of Python ints otherwise."""
    a = np.asarray(w)
    if a.dtype == object:
        if any(not isinstance(v, (int, np.integer)) for v in a.flat):
            raise ValueError("matrix entries must be integers")
        if all(abs(int(v)) < (1 << _INT64_SAFE_BITS) for v in a.flat):
            return a.astype(np.int64)
        return np.vectorize(int, otypes=[object])(a)
    if np.issubdtype(a.dtype, np.bool_) or np.issubdtype(a.dtype, np.integer):
        return a.astype(np.int64)
    if np.issubdtype(a.dtype, np.floating) and np.all(np.isfinite(a)) and np.all(np.round(a) == a):
        if a.size and np.max(np.abs(a)) >= 2.0**_INT64_SAFE_BITS:
            return np.vectorize(lambda v: int(v), otypes=[object])(a)
        return a.astype(np.int64)
    raise ValueError(f"matrix entries must be integers, got dtype {a.dtype}")


def _masks(a: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Positive / negative digit bit masks, each with the same dtype and shape as a."""
    mag = np.abs(a)
    h = mag >> 1
    t = mag + h
    c = h ^ t
    plus, minus = t & c, h & c
    negative = a < 0
    return np.where(negative, minus, plus), np.where(negative, plus, minus)


def n_digits(w) -> int:
    """How many digit positions the CSD form of every entry fits in."""
    a = as_integer_matrix(w)
    if a.size == 0:
        return 0
    top = max(abs(int(v)) for v in a.flat) if a.dtype == object else int(np.max(np.abs(a)))
    return top.bit_length() + 1


def csd_digits(w) -> np.ndarray:
    """int8 digits of shape ``w.shape + (n,)``: ``w == sum_p digits[..., p] * 2**p``."""
    a = as_integer_matrix(w)
    n = n_digits(a)
    plus, minus = _masks(a)
    if a.dtype == object:
        out = np.zeros(a.shape + (n,), dtype=np.int8)
        for idx in np.ndindex(a.shape):
            pv, mv = int(plus[idx]), int(minus[idx])
            for p in range(n):
                out[idx + (p,)] = ((pv >> p) & 1) - ((mv >> p) & 1)
        return out
    bits = np.arange(n, dtype=np.int64)
    return (((plus[..., None] >> bits) & 1) - ((minus[..., None] >> bits) & 1)).astype(np.int8)


def csd_count(w) -> np.ndarray:
    """Number of non-zero CSD digits of every entry (same shape as w, int64)."""
    a = as_integer_matrix(w)
    plus, minus = _masks(a)
    if a.dtype == object:
        return np.vectorize(lambda p, m: (int(p) | int(m)).bit_count(), otypes=[np.int64])(plus, minus)
    return np.bitwise_count((plus | minus).astype(np.uint64)).astype(np.int64)


def from_digits(digits: np.ndarray) -> np.ndarray:
    """The integers that digit planes (last axis = power of two) stand for."""
    n = digits.shape[-1]
    if n > _INT64_SAFE_BITS:
        weights = np.array([1 << p for p in range(n)], dtype=object)
        return (digits.astype(object) * weights).sum(axis=-1)
    return (digits.astype(np.int64) << np.arange(n, dtype=np.int64)).sum(axis=-1)


def trailing_zeros(w) -> np.ndarray:
    """Power of two dividing each entry (0 for zero entries)."""
    a = as_integer_matrix(w)
    if a.dtype == object:
        return np.vectorize(lambda v: ((int(v) & -int(v)).bit_length() - 1) if v else 0, otypes=[np.int64])(a)
    low = a & -a
    safe = np.where(low == 0, 1, low)
    return np.where(low == 0, 0, np.log2(safe.astype(np.float64)).astype(np.int64))


def factor_shifts(w) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(w2, row_shifts, col_shifts)`` with ``w == 2**row_shifts[:, None] * w2 * 2**col_shifts``.

    Column factors are taken first (the largest power of two dividing each column), then
    row factors of what remains; all-zero rows and columns get shift 0.
    """
    a = as_integer_matrix(w)
    if a.ndim != 2:
        raise ValueError(f"expected a matrix, got shape {a.shape}")
    tz = trailing_zeros(a)
    big = np.iinfo(np.int64).max
    nz = a != 0
    col = np.where(nz.any(axis=0), np.where(nz, tz, big).min(axis=0, initial=big), 0)
    a = a >> col[None, :]
    tz = tz - col[None, :]
    row = np.where(nz.any(axis=1), np.where(nz, tz, big).min(axis=1, initial=big), 0)
    return a >> row[:, None], row.astype(np.int64), col.astype(np.int64)
