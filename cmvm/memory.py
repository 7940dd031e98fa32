"""How much memory a CMVM solve needs, checked before it allocates anything.

    check_solve_memory(w, "'cmvm.matrix' with 1000 outputs")   # CompileError if too big

The estimate (``solve_memory``) adds the solver's largest structures for an n_rows x
n_cols matrix with T non-zero CSD digits, P term pairs within rows (sum of
len(len - 1) / 2) and digit positions D:

- the spanning tree's pairwise digit counts and signs: 9 n_rows^2 bytes;
- the digits and the rows' terms as Python tuples: n_rows n_cols D + TERM_BYTES T;
- the CSE's pattern table (``SLOT_BYTES`` per slot) and heap (``HEAP_BYTES`` per key):
  the kernel (``cse.eliminate``) sizes it for the keys of the first count, at most
  K = min(P, 2 D n_cols^2) (a pattern is two values, their relative shift and sign), and
  grows it x4 whenever it is 3/4 full; the keys it ever holds are at most K + P, as every
  term the elimination inserts pairs with the live terms of its row, fewer each time (a
  row of n digits inserts at most n - 1 terms), and a key is never dropped.  The refine
  rounds re-run the elimination on rows no longer than the first, so the same bound
  holds for them (256x490 3-bit: 37 million pairs, a table of 2^26 slots, 1.7 GiB).

The budget is ``FPGA_OPT_MEMORY_LIMIT`` (bytes, or with a K/M/G suffix) when set, else the
memory the operating system reports available (``MemAvailable`` of /proc/meminfo); where
neither is known nothing is refused.
"""

from __future__ import annotations

import os

import numpy as np

from ..errors import CompileError
from .csd import csd_count, n_digits

TERM_BYTES = 160
"""A term ``(input, position, sign)`` in the rows' lists and the CSE's pools."""
SLOT_BYTES = 25
"""A slot of the pattern table: key, count, count at the last push (int64) and a flag."""
HEAP_BYTES = 48
"""A heap entry (three int64, the list grown x2) for each key of the first count."""
LIMIT_VARIABLE = "FPGA_OPT_MEMORY_LIMIT"
_SUFFIXES = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30, "T": 1 << 40}


def solve_memory(w: np.ndarray) -> int:
    """Estimated peak bytes of ``solve`` on the integer matrix w (see the module docstring)."""
    n_rows, n_cols = w.shape
    if w.size == 0:
        return 0
    per_row = csd_count(w).sum(axis=1).astype(np.float64)
    terms = float(per_row.sum())
    pairs = float((per_row * (per_row - 1) / 2).sum())
    positions = n_digits(w)
    first_keys = min(pairs, 2.0 * positions * n_cols * n_cols)
    slots = pattern_slots(n_rows, int(per_row.max()), pairs, first_keys)
    return int(9.0 * n_rows * n_rows + n_rows * n_cols * positions + TERM_BYTES * terms
               + SLOT_BYTES * slots + HEAP_BYTES * first_keys)


def pattern_slots(n_rows: int, longest: int, pairs: float, first_keys: float) -> int:
    """The slots of the CSE's pattern table at the end of a run (``cse.eliminate``'s first
    size, grown x4 until the at most ``first_keys + pairs`` keys fit 3/4 of it)."""
    step = 4 * n_rows * longest
    target = min(2 * pairs + step, 1 << 20)
    if first_keys < pairs:
        target = max(target, 4 * first_keys / 3 + step)
    slots = 1024
    while slots < target:
        slots *= 2
    while 3 * slots < 4 * (first_keys + pairs):
        slots *= 4
    return slots


def memory_budget() -> int | None:
    """The bytes a solve may use (see the module docstring), None when unknown."""
    text = os.environ.get(LIMIT_VARIABLE, "").strip()
    if text:
        scale = _SUFFIXES.get(text[-1].upper(), 1)
        number = text[:-1] if text[-1].upper() in _SUFFIXES else text
        try:
            return int(float(number) * scale)
        except ValueError:
            raise CompileError(LIMIT_VARIABLE, f"expected a number of bytes such as 4G, got {text!r}") from None
    try:
        with open("/proc/meminfo") as f:
            for line in f:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return None


def check_solve_memory(w: np.ndarray, where: str, need: int | None = None) -> None:
    """A CompileError naming the matrix's size and the memory it would need (``need``, by
    default ``solve_memory(w)``), when that is more than ``memory_budget``."""
    need = solve_memory(w) if need is None else need
    budget = memory_budget()
    if budget is not None and need > budget:
        n_rows, n_cols = w.shape
        raise CompileError(where, f"a {n_rows}x{n_cols} constant matrix with {int(csd_count(w).sum())} CSD digits "
                           f"needs about {_size(need)} to optimize, more than the {_size(budget)} available "
                           f"(set {LIMIT_VARIABLE} to change the budget, or split the layer)")


def _size(n: int) -> str:
    for unit, scale in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if n >= scale:
            return f"{n / scale:.1f} {unit}"
    return f"{n} bytes"
