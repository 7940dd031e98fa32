"""Pattern keys of the CSE: a node ``v[a] +- v[b] << s`` packed into one int64.

Layout, from the top bit down: ``a`` (VALUE_BITS), ``b`` (VALUE_BITS), the shift ``s >= 0``
(SHIFT_BITS), one bit for subtraction.  ``pack_key`` and ``unpack_key`` are the only
places that know it; they are numba functions, callable from Python as well.

``pair_key`` is the pattern two signed, shifted terms of a row form: shifts and signs
relative, the term at the lower position (then the lower value) first, so negated and
shifted copies of a pair share one key (as ``builder.node_key``).
"""

from __future__ import annotations

import numpy as np
from numba import njit

VALUE_BITS, SHIFT_BITS = 24, 10  # bits for a value index and a shift in a pattern key
VALUE_MASK = (1 << VALUE_BITS) - 1
SHIFT_MASK = (1 << SHIFT_BITS) - 1
A_SHIFT, B_SHIFT = SHIFT_BITS + 1 + VALUE_BITS, SHIFT_BITS + 1
MIX = np.uint64(0xBF58476D1CE4E5B9)  # multiplier of the table's and the tie-breaks' hashes
SALT = 0x9E3779B97F4A7C15  # restart i of a salted priority uses the salt i * SALT


@njit(cache=True)
def pack_key(a, b, shift, sub):
    """The key of ``v[a] +- v[b] << shift`` (``sub``: minus)."""
    return ((((a << VALUE_BITS) | b) << SHIFT_BITS | shift) << 1) | (1 if sub else 0)


@njit(cache=True)
def unpack_key(key):
    """``(a, b, shift, sub)`` of a key."""
    return key >> A_SHIFT, (key >> B_SHIFT) & VALUE_MASK, (key >> 1) & SHIFT_MASK, (key & 1) == 1


@njit(cache=True)
def pair_key(v1, p1, g1, v2, p2, g2):
    """The key of the pattern the terms ``g1 * v1 << p1`` and ``g2 * v2 << p2`` form."""
    if p2 < p1 or (p2 == p1 and v2 < v1):
        v1, p1, g1, v2, p2, g2 = v2, p2, g2, v1, p1, g1
    return pack_key(v1, v2, p2 - p1, g1 != g2)


@njit(cache=True)
def tuned_key(key):
    """The key in the layout of 21 value and 13 shift bits that the salted tie-breaks were
    tuned on, so that they (and the graphs) stay the same for the matrices it could hold."""
    a, b, s, sub = unpack_key(key)
    return ((((a << 21) | b) << 13 | s) << 1) | (1 if sub else 0)


@njit(cache=True)
def salted_hash(key, salt, bits):
    """``bits`` bits of a hash of ``key`` salted with ``salt`` (the priorities' tie-breaks)."""
    h = ((np.uint64(key) ^ np.uint64(salt)) * MIX) >> np.uint64(40)
    return np.int64(h & np.uint64((1 << bits) - 1))
