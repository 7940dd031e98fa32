"""How much memory a CMVM solve needs, checked before it allocates anything.

    check_solve_memory(w, "'cmvm.matrix' with 1000 outputs")   # CompileError if too big

The estimate (``solve_memory``) adds the solver's largest structures for an n_rows x
n_cols matrix with T non-zero CSD digits, P term pairs within rows (sum of
len(len - 1) / 2) and digit positions D:

- the spanning tree's pairwise digit counts and signs: 9 n_rows^2 bytes;
- the digits and the rows' terms as Python tuples: n_rows n_cols D + TERM_BYTES T;
- the CSE pattern table and heap: PATTERN_BYTES per distinct pattern, at most
  min(P, 2 D n_cols^2) (a pattern is two inputs, their relative shift and sign).

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
PATTERN_BYTES = 96
"""A slot of the pattern table (8/3 slots per pattern at most 3/4 full) and a heap entry."""
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
    patterns = min(pairs, 2.0 * positions * n_cols * n_cols)
    return int(9.0 * n_rows * n_rows + n_rows * n_cols * positions + TERM_BYTES * terms + PATTERN_BYTES * patterns)


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
