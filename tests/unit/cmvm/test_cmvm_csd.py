"""CSD digits: exact, non-adjacent, minimal; power-of-two factoring."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fpga_opt.cmvm.csd import csd_count, csd_digits, factor_shifts, from_digits


def naf_reference(x: int) -> dict[int, int]:
    """The textbook right-to-left non-adjacent form."""
    digits, p = {}, 0
    while x:
        if x & 1:
            d = 2 - (x & 3)
            digits[p] = d
            x -= d
        x >>= 1
        p += 1
    return digits


def min_signed_digits(x: int) -> int:
    """Fewest non-zero digits of any {-1,0,1} representation, by dynamic programming."""
    from functools import lru_cache

    @lru_cache(None)
    def best(v: int) -> int:
        if v <= 1:
            return v
        if v % 2 == 0:
            return best(v // 2)
        return 1 + min(best((v - 1) // 2), best((v + 1) // 2))

    return best(abs(x))


@given(st.lists(st.integers(-(2**40), 2**40), min_size=1, max_size=30))
@settings(max_examples=60, deadline=None)
def test_digits_are_exact_non_adjacent_and_match_naf(values):
    w = np.array(values, dtype=np.int64)
    d = csd_digits(w)
    assert np.array_equal(from_digits(d), w)
    nonzero = d != 0
    assert not np.any(nonzero[..., 1:] & nonzero[..., :-1])
    for x, row in zip(values, d):
        assert {p: int(v) for p, v in enumerate(row) if v} == naf_reference(x)


@given(st.integers(-(2**20), 2**20))
@settings(max_examples=100, deadline=None)
def test_count_is_minimal(x):
    assert int(csd_count(np.array([x]))[0]) == min_signed_digits(x)


def test_whole_matrix_shapes_and_big_integers():
    w = np.arange(-12, 12).reshape(4, 6)
    assert csd_digits(w).shape[:2] == (4, 6)
    assert np.array_equal(csd_count(w), np.vectorize(lambda v: len(naf_reference(int(v))))(w))
    big = np.array([[2**80 + 3, -(2**70) + 1]], dtype=object)
    assert np.array_equal(from_digits(csd_digits(big)), big)
    assert csd_count(big).tolist() == [[3, 2]]


def test_rejects_non_integers():
    with pytest.raises(ValueError):
        csd_digits(np.array([0.5]))


@given(st.integers(0, 2**31 - 1))
@settings(max_examples=40, deadline=None)
def test_factor_shifts(seed):
    rng = np.random.default_rng(seed)
    w = rng.integers(-50, 50, (5, 7)) << rng.integers(0, 4, (5, 1)) << rng.integers(0, 4, (1, 7))
    w[rng.random(w.shape) < 0.2] = 0
    w2, r, c = factor_shifts(w)
    assert np.array_equal((w2 << r[:, None]) << c[None, :], w)
    for j in range(w.shape[1]):  # the largest power of two left each column
        col = w[:, j] >> c[j]
        assert not col.any() or ((col & 1) == 1).any()
    for i in range(w.shape[0]):  # and then each row
        assert not w2[i].any() or ((w2[i] & 1) == 1).any()
