"""The CSE's priorities: which repeating pattern becomes an adder first.

A priority is a code and a salt (``parse_priority``); ``rank`` turns a pattern, its count
and the values' estimates into one int64, smaller is better, that orders the lazy heap
(``cse_table``).  The priorities (``n`` occurrences; each saves one adder in its row's
sum, the node costs one):

- "narrow":  n, ties to the narrower node;
- "recent":  n, ties to the pattern whose newer operand is the most recent value (builds
  on fresh partial sums, which tends to share more); "recent<i>" breaks the remaining
  ties by a hash salted with i (restarts of the same quality);
- "shallow": n, ties to the shallowest operands, then the narrower node;
- "bits":    (n - 1) * estimated node width (for the adder-bits objective);
- "random<i>": n, ties broken by a hash of the pattern salted with i (restarts).

Node widths for ranking are the builder's upper estimates (``builder.estimate_width``).
A new priority is a new code in PRIORITIES and a branch in ``rank``.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from .cse_keys import SALT, VALUE_MASK, salted_hash, tuned_key, unpack_key

NARROW, RECENT, SHALLOW, BITS, RANDOM = range(5)
PRIORITIES = {"narrow": NARROW, "recent": RECENT, "shallow": SHALLOW, "bits": BITS, "random": RANDOM}
SALTED = (RECENT, RANDOM)  # the priorities that take a restart number
COUNT_MAX, WIDTH_MAX, RANK_BITS = 1 << 24, 1 << 12, 24  # bounds on counts and widths in a rank


def parse_priority(priority: str) -> tuple[int, np.uint64]:
    """``(code, salt)`` of a priority name such as "recent" or "random3"."""
    for name, code in PRIORITIES.items():
        if priority.startswith(name) and (priority[len(name):] == "" or priority[len(name):].isdigit()):
            i = int(priority[len(name):] or 0)
            return code, np.uint64((i * SALT) % (1 << 64) if code in SALTED else 0)
    raise ValueError(f"unknown CSE priority {priority!r}")


@njit(cache=True)
def node_bits(lsb, width, a, b, s):
    """``(lsb, width)`` estimated for ``a +- b << s`` (``builder.estimate_width``)."""
    low = min(lsb[a], lsb[b] + s)
    return low, max(lsb[a] + width[a], lsb[b] + s + width[b]) + 1 - low


@njit(cache=True)
def rank(prio, salt, key, count, depth, lsb, width):
    """Heap rank of the pattern ``key`` occurring ``count`` times (smaller is better)."""
    a, b, s, _ = unpack_key(key)
    if prio == RECENT:
        tie = salted_hash(tuned_key(key), salt, 3) if salt != 0 else 0
        return (((((COUNT_MAX - count) << RANK_BITS) | (VALUE_MASK - max(a, b))) << 3) | tie)
    if prio == RANDOM:
        return ((COUNT_MAX - count) << RANK_BITS) | salted_hash(tuned_key(key), salt, 24)
    w = min(node_bits(lsb, width, a, b, s)[1], WIDTH_MAX)
    if prio == BITS:
        return ((COUNT_MAX * WIDTH_MAX - (count - 1) * w) << RANK_BITS) | (COUNT_MAX - count)
    if prio == SHALLOW:
        return ((COUNT_MAX - count) << RANK_BITS) | ((depth[a] + depth[b]) << 12) | w
    return ((COUNT_MAX - count) << RANK_BITS) | w
