"""Float data to exact fixed-point: the one conversion every host-side input path uses.

Every finite float is a dyadic rational ``m * 2**-f``.  ``exact_dyadic`` gives that value
as Python-int mantissas with one common ``f``, and ``quantize_floats`` quantizes it to
per-element formats with ``numerics.quantize`` -- so no rounding or overflow decision is
ever taken in floating point:

    >>> m, f = exact_dyadic(np.array([0.75, -3.0], dtype=np.float32))
    >>> [int(v) * 2.0**-f for v in m]   # exact: m holds the values' bits, f is common
    [0.75, -3.0]
    >>> mantissas, f = quantize_floats(np.array([[0.3, 9.0]]), np.array([Format(1, 2, 1)] * 2),
    ...                                Rounding.RND, Overflow.SAT)
    >>> mantissas.tolist(), f           # 0.3 -> 0.5, 9.0 saturates at 3.5
    ([[1, 7]], 1)
"""

from __future__ import annotations

import numpy as np

from .numerics import Format, Overflow, Rounding, quantize


def exact_dyadic(x: np.ndarray) -> tuple[np.ndarray, int]:
    """Floats as exact ``mantissas * 2**-f`` with one f (an object array of Python ints)."""
    x = np.asarray(x, dtype=np.float64)
    if not np.all(np.isfinite(x)):
        raise ValueError("inputs must be finite")
    fraction, exponent = np.frexp(x)
    m = (fraction * 2.0**53).astype(np.int64)  # exact: fraction has at most 53 bits
    shift = 53 - exponent.astype(np.int64)  # x = m * 2**-shift
    f = int(shift[m != 0].max()) if np.any(m != 0) else 0
    out = np.empty(x.shape, dtype=object)
    flat, flat_m, flat_s = out.reshape(-1), m.reshape(-1).tolist(), shift.reshape(-1).tolist()
    for n, (mm, s) in enumerate(zip(flat_m, flat_s)):
        flat[n] = mm << (f - s) if mm else 0
    return out, f


def quantize_floats(x: np.ndarray, formats: np.ndarray, rounding: Rounding,
                    overflow: Overflow) -> tuple[np.ndarray, int]:
    """The exact value of each float of ``x`` (batch first) quantized to its element's
    format; ``formats`` has the shape ``x.shape[1:]``.  Returns mantissas (Python ints,
    shape of x) at the finest resolution ``f`` of the formats, and that ``f``."""
    x = np.asarray(x)
    if x.shape[1:] != formats.shape:
        raise ValueError(f"input of shape {list(x.shape)} does not match "
                         f"[batch, {', '.join(str(d) for d in formats.shape)}]")
    mantissas, f_in = exact_dyadic(x)
    flat_formats = formats.reshape(-1)
    flat_in = mantissas.reshape(x.shape[0], -1)
    f_out = max((p.f for p in flat_formats), default=0)
    out = np.empty(flat_in.shape, dtype=object)
    for fmt in set(flat_formats):
        if not isinstance(fmt, Format):
            raise ValueError(f"the input precision {fmt} is not a format")
        columns = [j for j, p in enumerate(flat_formats) if p == fmt]
        q = quantize(flat_in[:, columns], f_in, fmt, rounding, overflow)
        out[:, columns] = q * (1 << (f_out - fmt.f))
    return out.reshape(x.shape), f_out
