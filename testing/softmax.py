"""An independent numpy model of ``softmax="table"`` (importers/onnx/softmax.py), the
oracle its tests compare the hardware's bits with.

It follows the documented arithmetic step by step on exact dyadic inputs, with the
tables evaluated in float64 like every activation table, and rounds with its own few
lines of numpy rather than the compiler's numerics (an oracle shares no code with what it
checks): ``a = max(x) - x``,
``E = Q_E(exp(-Q_a(a)))``, ``L = Q_L(ln(Q_s(sum E)))``, ``y = Q_y(exp(-Q_a(a + L)))``.
"""

from __future__ import annotations

import numpy as np

from ..numerics import Format, Overflow, Rounding
from ..precision_syntax import ParsedPrecision


def _round(values: np.ndarray, fmt: Format, rounding: Rounding, overflow: Overflow) -> np.ndarray:
    scaled = np.ldexp(values, fmt.f)
    if rounding is Rounding.TRN:
        m = np.floor(scaled)
    elif rounding is Rounding.RND:
        m = np.floor(scaled + 0.5)
    else:
        m = np.round(scaled)
    top = 2.0 ** (fmt.i + fmt.f)
    low = -fmt.k * top + (fmt.k if overflow is Overflow.SAT_SYM else 0)
    if overflow is not Overflow.WRAP:
        m = np.clip(m, low, top - 1)
    else:
        m = (m - low) % (top - low) + low
    return np.ldexp(m, -fmt.f)


def _index(values: np.ndarray, fmt: Format) -> np.ndarray:
    return _round(values, fmt, Rounding.RND, Overflow.SAT)


def _precision(values: np.ndarray, precision: ParsedPrecision) -> np.ndarray:
    return _round(values, precision.format, precision.rounding, precision.overflow)


def table_softmax_oracle(x: np.ndarray, tables) -> np.ndarray:
    """The table softmax over the last axis of ``x`` (float64, exact dyadic values)."""
    gap = x.max(axis=-1, keepdims=True) - x
    e = _precision(np.exp(-_index(gap, tables.index)), tables.exp)
    total = _index(e.sum(axis=-1, keepdims=True), tables.sum_index)
    log = _precision(np.log(total), tables.log)
    return _precision(np.exp(-_index(gap + log, tables.index)), tables.output)
