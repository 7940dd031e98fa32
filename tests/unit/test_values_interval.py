"""``values_interval`` (the hull of many constants in three builtin calls) equals the hull of
each constant's exact interval, the definition it replaces in constants' and lookups' ranges."""

import numpy as np
import pytest

from fpga_opt.numerics import Interval, constant_interval, hull_of, values_interval


def by_definition(mantissas, f):
    exact = [constant_interval(m, f) for m in mantissas]
    return hull_of(exact) if exact else Interval(0, 0, 0)


@pytest.mark.parametrize("seed", range(40))
def test_equals_the_hull_of_each_constant(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 60))
    scale = 1 << int(rng.integers(0, 6))  # common powers of two to factor out
    mantissas = [int(m) * scale for m in rng.integers(-300, 300, n)]
    if seed % 3 == 0:
        mantissas = [m if rng.random() < 0.3 else 0 for m in mantissas]  # mostly zeros
    f = int(rng.integers(-8, 9))
    assert values_interval(mantissas, f) == by_definition(mantissas, f)


@pytest.mark.parametrize("mantissas", [[], [0], [0, 0, 0], [-1], [1 << 70, -(3 << 68)], [-8, 4, 0]])
def test_edge_cases(mantissas):
    assert values_interval(mantissas, 3) == by_definition(mantissas, 3)


def test_integer_width_is_the_width_of_the_interval_format():
    from fpga_opt.numerics import integer_width

    rng = np.random.default_rng(7)
    for lo, hi in [(0, 0), (-1, -1), (-1, 0), (0, 1), (-128, 127), (-129, 127), (3, 9), (-(1 << 70), 5)] + [
            tuple(sorted(int(v) for v in rng.integers(-5000, 5000, 2))) for _ in range(300)]:
        assert integer_width(lo, hi) == Interval(lo, hi, 0).format().width
