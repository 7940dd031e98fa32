"""How fixedpoint-to-cmvm lowers ``fixedpoint.threshold``: per element, a small table.

``y = V[#{t : x >= T[t]}]`` depends on x only through which threshold step it lies in,
so before the table x is (1) truncated to the coarsest resolution at which every
threshold is exact (``x >= T`` iff ``floor(x) >= T`` on that grid) and (2) clamped to
``[T[0] - lsb, T[n-1]]`` (every value below gives V[0], every value above V[n]) on each
side where that narrows the table's index (the ROM has a power-of-two size anyway).  The
table then has at most ``(T[n-1] - T[0]) / lsb + 2`` entries, rounded up to a power of
two, whatever the input's width:

    %t = cmvm.quantize %x to fixed<1,9,0> TRN WRAP      only if x is finer than the grid
    %a = cmvm.max %t, %lo                                only if that narrows the index
    %b = cmvm.min %a, %hi                                only if that narrows the index
    %y = cmvm.lookup %b over range<-4,6,0> table <[...], f=0>
"""

from __future__ import annotations

import numpy as np
from xdsl.ir import SSAValue

from ..dialects.cmvm import ops as cmvm
from ..dialects.cmvm.types import value_interval
from ..numerics import Interval, Overflow, Rounding, constant_interval


def _clamps(lo: int, hi: int, low: int, high: int) -> tuple[bool, bool]:
    """Whether to clamp x in [lo, hi] from below to ``low`` and from above to ``high``
    (every value beyond them reads the same entry): only where that narrows the table's
    index, since a table is a ROM of 2**index_bits entries either way and each clamp
    costs a comparison and a multiplexer."""
    choices = []
    for below in (False, True) if lo < low else (False,):
        for above in (False, True) if hi > high else (False,):
            span = (high if above else hi) - (low if below else lo)
            choices.append((span.bit_length(), below + above, below, above))
    _, _, below, above = min(choices)
    return below, above


def threshold_scalar(emit, x: SSAValue, thresholds: np.ndarray, f_t: int,
                     values: np.ndarray, f_v: int) -> SSAValue:
    """The cmvm ops computing one element of a threshold op; ``emit`` inserts an op and
    returns it."""
    grid = max(constant_interval(int(m), f_t).f for m in thresholds) if len(thresholds) else 0
    x_range = value_interval(x)
    if x_range.f > grid:
        floor = Interval(x_range.lo >> (x_range.f - grid), x_range.hi >> (x_range.f - grid), grid)
        x = emit(cmvm.QuantizeOp(x, floor.format(), Rounding.TRN, Overflow.WRAP)).results[0]
    g = max(grid, value_interval(x).f)
    t = [int(m) << (g - f_t) if g >= f_t else int(m) >> (f_t - g) for m in thresholds]
    r = value_interval(x).at(g)
    lo, hi = r.lo, r.hi
    if t:
        clamp_low, clamp_high = _clamps(lo, hi, t[0] - 1, t[-1])
        if clamp_low:
            x = emit(cmvm.MaxOp(x, emit(cmvm.ConstantOp(t[0] - 1, -g)).results[0])).results[0]
            lo = t[0] - 1
        if clamp_high:
            x = emit(cmvm.MinOp(x, emit(cmvm.ConstantOp(t[-1], -g)).results[0])).results[0]
            hi = t[-1]
    if not t or lo == hi or hi < t[0] or lo >= t[-1]:
        count = sum(1 for m in t if lo >= m)
        return emit(cmvm.ConstantOp(int(values[count]), -f_v)).results[0]
    domain = Interval(lo, hi, g)
    # the count of thresholds <= v, for every v of the domain at once
    counts = np.searchsorted(np.array(t, dtype=object), np.arange(lo, hi + 1, dtype=object), side="right")
    table = [int(values[c]) for c in counts]
    return emit(cmvm.LookupOp(x, domain, table, f_v)).results[0]
