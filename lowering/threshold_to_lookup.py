"""How fixedpoint-to-cmvm lowers ``fixedpoint.threshold``: per element, a small table.

``y = V[#{t : x >= T[t]}]`` depends on x only through which threshold step it lies in,
so before the table x is (1) truncated to the coarsest resolution at which every
threshold is exact (``x >= T`` iff ``floor(x) >= T`` on that grid) and (2) clamped to
``[T[0] - lsb, T[n-1]]`` (every value below gives V[0], every value above V[n]).  The table
then has at most ``(T[n-1] - T[0]) / lsb + 2`` entries, whatever the input's width:

    %t = cmvm.quantize %x to fixed<1,9,0> TRN WRAP      only if x is finer than the grid
    %a = cmvm.max %t, %lo                                only if x can fall below
    %b = cmvm.min %a, %hi                                only if x can rise above
    %y = cmvm.lookup %b over range<-4,6,0> table <[...], f=0>
"""

from __future__ import annotations

import numpy as np
from xdsl.ir import SSAValue

from ..dialects.cmvm import ops as cmvm
from ..dialects.cmvm.types import value_interval
from ..numerics import Interval, Overflow, Rounding, constant_interval


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
        if lo < t[0] - 1:
            x = emit(cmvm.MaxOp(x, emit(cmvm.ConstantOp(t[0] - 1, -g)).results[0])).results[0]
            lo = t[0] - 1
        if hi > t[-1]:
            x = emit(cmvm.MinOp(x, emit(cmvm.ConstantOp(t[-1], -g)).results[0])).results[0]
            hi = t[-1]
    if lo == hi or not t:
        count = sum(1 for m in t if lo >= m)
        return emit(cmvm.ConstantOp(int(values[count]), -f_v)).results[0]
    domain = Interval(lo, hi, g)
    # the count of thresholds <= v, for every v of the domain at once
    counts = np.searchsorted(np.array(t, dtype=object), np.arange(lo, hi + 1, dtype=object), side="right")
    table = [int(values[c]) for c in counts]
    return emit(cmvm.LookupOp(x, domain, table, f_v)).results[0]
