"""How fixedpoint-to-cmvm lowers ``fixedpoint.threshold``: per element, a small table or,
when that is cheaper by the LUT estimate (dialects/rtl/area.py), a set of comparators.

``y = V[#{t : x >= T[t]}]`` depends on x only through which threshold step it lies in,
so first x is truncated to the coarsest resolution at which every threshold is exact
(``x >= T`` iff ``floor(x) >= T`` on that grid: wiring).  Then one of two forms:

**Table.**  x is clamped to ``[T[0] - lsb, T[n-1]]`` (every value below gives V[0], every
value above V[n]) on each side where that narrows the table's index (the ROM has a
power-of-two size anyway).  The table has at most ``(T[n-1] - T[0]) / lsb + 2`` entries,
rounded up to a power of two, whatever the input's width:

    %t = cmvm.quantize %x to fixed<1,9,0> TRN WRAP      only if x is finer than the grid
    %a = cmvm.max %t, %lo                                only if that narrows the index
    %b = cmvm.min %a, %hi                                only if that narrows the index
    %y = cmvm.lookup %b over range<-4,6,0> table <[...], f=0>

**Comparators** (FINN's form, for thresholds spread over a wide range, where a table
would need 2^19 entries): for each distinct threshold u inside x's range, ``x - u`` is one
subtraction whose sign, taken by truncating to its top bit, is ``b_u = [x >= u] - 1`` in
{-1, 0}; the result is ``V[n_hi] + sum_u (V after u - V before u) * b_u``, one constant
row over the comparison bits, which cmvm-optimize turns into an adder tree:

    %d0 = cmvm.add %x, %c0           (x - u0)
    %b0 = cmvm.quantize %d0 to fixed<1,5,-5> TRN WRAP      the sign: {-32, 0}
    %d1 = ...
    %s  = cmvm.matrix (%b0, %b1) [[1, 1]] shifts [-5]      sum of steps
    %y  = cmvm.add %s, %vn

Each form is costed with the estimate model (a w-bit subtraction: w LUTs; the sum: an
adder of the output width per extra comparison; a ROM: ``rom_luts``; a clamp: a compare
and a mux) and the cheaper is built; a table past ``MAX_ROM_INDEX_BITS`` is never chosen,
so a threshold never fails for being large.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right

import numpy as np
from xdsl.ir import SSAValue

from ...dialects.cmvm import ops as cmvm
from ...dialects.cmvm.types import value_interval
from ...dialects.rtl import MAX_ROM_INDEX_BITS
from ...dialects.rtl.area import rom_luts
from ...numerics import Format, Interval, Overflow, Rounding, constant_interval, integer_width


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


def _steps(t: list[int], values: np.ndarray, lo: int, hi: int) -> tuple[int, list[tuple[int, int]]]:
    """The value at ``hi`` and the (threshold, jump) of every distinct threshold in (lo, hi]
    with a non-zero jump: y(x) = V[#{t <= x}] = top + sum_u jump_u * ([x >= u] - 1)."""
    top = int(values[bisect_right(t, hi)])  # t is sorted: bisect as numpy's searchsorted
    steps = []
    for u in sorted(set(m for m in t if lo < m <= hi)):
        before = int(values[bisect_left(t, u)])
        after = int(values[bisect_right(t, u)])
        if after != before:
            steps.append((u, after - before))
    return top, steps


def table_luts(lo: int, hi: int, t: list[int], out_bits: int) -> int | None:
    """The estimated LUTs of the table form (with its clamps), None past the ROM limit."""
    clamp_low, clamp_high = _clamps(lo, hi, t[0] - 1, t[-1])
    low, high = (t[0] - 1 if clamp_low else lo), (t[-1] if clamp_high else hi)
    index_bits = max(1, (high - low).bit_length())
    if index_bits > MAX_ROM_INDEX_BITS:
        return None
    clamp = integer_width(lo, hi) + math.ceil(integer_width(low, high) / 2)
    return rom_luts(index_bits, out_bits) + (clamp_low + clamp_high) * clamp


def comparator_luts(lo: int, hi: int, steps: list[tuple[int, int]], out_bits: int) -> int:
    """The estimated LUTs of the comparator form: a subtraction per step and the sum."""
    return sum(integer_width(lo - u, hi - u) for u, _ in steps) + (len(steps) - 1) * out_bits


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
    if not t or lo == hi or hi < t[0] or lo >= t[-1]:
        count = sum(1 for m in t if lo >= m)
        return emit(cmvm.ConstantOp(int(values[count]), -f_v)).results[0]
    top, steps = _steps(t, values, lo, hi)
    out_bits = integer_width(min(int(v) for v in values), max(int(v) for v in values))
    rom = table_luts(lo, hi, t, out_bits)
    if rom is None or comparator_luts(lo, hi, steps, out_bits) < rom:
        return _comparators(emit, x, g, lo, hi, top, steps, f_v)
    return _table(emit, x, g, lo, hi, t, values, f_v)


def _table(emit, x: SSAValue, g: int, lo: int, hi: int, t: list[int], values: np.ndarray,
           f_v: int) -> SSAValue:
    clamp_low, clamp_high = _clamps(lo, hi, t[0] - 1, t[-1])
    if clamp_low:
        x = emit(cmvm.MaxOp(x, emit(cmvm.ConstantOp(t[0] - 1, -g)).results[0])).results[0]
        lo = t[0] - 1
    if clamp_high:
        x = emit(cmvm.MinOp(x, emit(cmvm.ConstantOp(t[-1], -g)).results[0])).results[0]
        hi = t[-1]
    domain = Interval(lo, hi, g)
    # the count of thresholds <= v, for every v of the domain at once
    exact = np.int64 if -(1 << 62) < min(lo, t[0]) and max(hi, t[-1]) < 1 << 62 else object
    counts = np.searchsorted(np.array(t, dtype=exact), np.arange(lo, hi + 1, dtype=exact), side="right")
    value_of = [int(v) for v in values]
    table = [value_of[c] for c in counts.tolist()]
    return emit(cmvm.LookupOp(x, domain, table, f_v)).results[0]


def _comparators(emit, x: SSAValue, g: int, lo: int, hi: int, top: int,
                 steps: list[tuple[int, int]], f_v: int) -> SSAValue:
    base = emit(cmvm.ConstantOp(top, -f_v)).results[0]
    if not steps:
        return base
    # 2**e exceeds every |x - u|, so floor((x - u) / 2**e) is -1 or 0: the sign bit
    e = max(max(abs(lo - u), abs(hi - u)).bit_length() for u, _ in steps)
    sign = Format(1, e - g, g - e)  # one bit worth -2**(e - g)
    bits = []
    for u, _ in steps:
        difference = emit(cmvm.AddOp(x, emit(cmvm.ConstantOp(-u, -g)).results[0])).results[0]
        bits.append(emit(cmvm.QuantizeOp(difference, sign, Rounding.TRN, Overflow.WRAP)).results[0])
    # sum_u jump_u * 2**-f_v * (bit_u / 2**(e - g)): one row, shift g - e - f_v
    row = [[jump for _, jump in steps]]
    total = emit(cmvm.MatrixOp(bits, row, [g - e - f_v], [0] * len(bits))).results[0]
    return emit(cmvm.AddOp(total, base)).results[0]
