"""Effort scaled with a matrix's size: fewer refine rounds where a round costs much.

A ``refine`` round dissolves a few subexpressions and re-runs the CSE over all rows, so its
cost grows with the matrix, measured by the term pairs within its rows (``blocked.row_pairs``).  Up to ``REFINE_PAIRS`` pairs (above the benchmarked models'
matrices, at most 2 x 10^6 in TFC_2W2A's first layer, and bench/cmvm.py's suite) the
rounds stay as ``solver`` chooses them; above, they shrink in proportion:

    scaled_rounds(100, 2_000_000) == 100      scaled_rounds(100, 9_000_000) == 27

Measured on a 1000x50 8-bit block (9 x 10^6 pairs): 100 rounds took as long as the two
CSE runs before them (24 CPU s) and saved 0.7 % of the adders.
"""

from __future__ import annotations

REFINE_PAIRS = 2_500_000
"""Term pairs up to which the refine rounds are not cut."""
MIN_ROUNDS = 4


def scaled_rounds(rounds: int, pairs: int) -> int:
    """``rounds``, or ``rounds x REFINE_PAIRS / pairs`` (at least MIN_ROUNDS) above REFINE_PAIRS."""
    if pairs <= REFINE_PAIRS:
        return rounds
    return min(rounds, max(MIN_ROUNDS, rounds * REFINE_PAIRS // pairs))
