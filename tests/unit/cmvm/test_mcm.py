"""Single-column (MCM) search: the fundamental helpers, the backward RPAG search, the local
search over fundamental sets, and solve's least-depth policy for one column.  Every graph
is checked to compute exactly ``c_k * x`` on random inputs and to honour its depth."""

import random

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fpga_opt.cmvm.csd import csd_count
from fpga_opt.cmvm.fundamentals import fundamentals_of, nonzeros, search_bound, signed_digits, successor_set
from fpga_opt.cmvm.graph import depth, evaluate, realized_matrix, stats
from fpga_opt.cmvm.mcm import least_depth_of, solve_mcm
from fpga_opt.cmvm.mcm_local import FundamentalSet
from fpga_opt.cmvm.rpag import RPAG
from fpga_opt.cmvm.solver import solve
from fpga_opt.lowering.optimizer_ir import optimize
from fpga_opt.numerics import Format, Interval

from ..dialects.cmvm.helpers import random_inputs, reference, run, same_values

INT8 = Interval(-128, 127, 0)

# FIR filter coefficients of the MCM literature (Mirzaei et al. 2010, N=20), as in the suite
MIRZAEI10_20 = [0, 6, 60, 343, 1374, 4124, 9624, 17873, 26810, 32768, 32768, 26810, 17873, 9624, 4124, 1374, 343, 60, 6, 0]


def assert_computes(graph, column):
    x = np.array([[-128], [127], [0], [1], [-1], [93], [-77]], dtype=np.int64)
    assert realized_matrix(graph).tolist() == [[int(c)] for c in column]
    assert evaluate(graph, x).tolist() == (x * np.array(column, dtype=object)[None, :]).tolist()


# ------------------------------------------------------------------ fundamentals


def test_nonzeros_and_signed_digits_are_the_csd_form():
    values = list(range(1, 5000)) + [(1 << 70) + 12345, (1 << 61) - 1]
    counts = csd_count(np.array(values, dtype=object))
    for n, c in zip(values, counts):
        digits = signed_digits(n)
        assert sum(digits) == n and len(digits) == nonzeros(n) == c
        powers = sorted(abs(d).bit_length() for d in digits)
        assert all(b - a >= 2 for a, b in zip(powers, powers[1:]))  # non-adjacent


def test_a_operation_is_symmetric():
    rng = random.Random(3)
    bound = 1 << 12
    for _ in range(200):
        u, v = (rng.randrange(1, 1 << 9) | 1 for _ in range(2))
        for f in successor_set(u, v, bound):
            assert u in successor_set(f, v, bound)


# ------------------------------------------------------------------ searches honour the depth


columns = st.lists(st.integers(-(1 << 13), 1 << 13), min_size=1, max_size=24)


@settings(max_examples=25, deadline=None)
@given(columns, st.integers(0, 2))
def test_solve_mcm_is_exact_within_every_depth_limit(column, extra):
    limit = least_depth_of(column) + extra
    for objective in ("adders", "adder_bits"):
        graph = solve_mcm(np.array(column), INT8, limit, objective)
        assert_computes(graph, column)
        assert depth(graph) <= limit


@settings(max_examples=25, deadline=None)
@given(columns, st.integers(0, 1), st.integers(0, 3))
def test_rpag_sets_reach_every_target_and_local_search_keeps_them_feasible(column, extra, seed):
    targets = fundamentals_of(column) - {1}
    limit = least_depth_of(column) + extra
    space = FundamentalSet(targets, limit, search_bound(targets))
    start = RPAG(targets, limit, random.Random(seed) if seed else None).fundamentals()
    assert space.feasible(start)
    shrunk = space.shrink(start)
    assert space.feasible(shrunk) and targets <= shrunk and len(shrunk) <= len(start)
    best = space.search(shrunk, random.Random(seed), 4)
    assert space.feasible(best) and len(best) <= len(shrunk)
    graph = space.build(best, INT8).graph(column)
    assert_computes(graph, column)
    assert depth(graph) <= limit
    assert stats(graph, [INT8])["adders"] == len(best)


def test_budget_stops_the_local_search_with_a_feasible_set():
    targets = fundamentals_of(MIRZAEI10_20) - {1}
    start = RPAG(targets, 3).fundamentals()
    free = FundamentalSet(targets, 3, search_bound(targets))
    free.search(start, random.Random(0), 10)
    tight = FundamentalSet(targets, 3, search_bound(targets), budget=1000)
    result = tight.search(start, random.Random(0), 10)
    assert tight.feasible(result) and len(result) <= len(start)
    assert tight.work < free.work


@pytest.mark.parametrize(
    "column, least",
    [([0, 0], 0), ([1, -2, 4, 0], 0), ([3, -3, 6, 5, 1], 1), ([7, 7, -14, 11], 2), ([-(2**40) - 1, 2**20 + 1], 1)],
)
def test_degenerate_columns(column, least):
    assert least_depth_of(column) == least
    graph = solve_mcm(np.array(column, dtype=object), INT8, least)
    assert_computes(graph, column)
    assert depth(graph) == least
    assert stats(graph, [INT8])["adders"] == len(fundamentals_of(column) - {1})


def test_below_the_least_depth_is_refused():
    with pytest.raises(ValueError, match="below the least depth"):
        solve_mcm(np.array([343]), INT8, 2)


# ------------------------------------------------------------------ quality and policy


def test_fir_filter_at_its_least_depth():
    """The depth-3 graph of MIRZAEI10_20: 13 adders (da4ml: 23; the forward search alone: 16)."""
    graph = solve_mcm(np.array(MIRZAEI10_20), INT8, 3)
    assert_computes(graph, MIRZAEI10_20)
    assert depth(graph) == 3
    assert stats(graph, [INT8])["adders"] <= 13


def test_solve_uses_the_least_depth_for_one_column_and_honours_max_depth():
    w = np.array(MIRZAEI10_20)[:, None]
    assert depth(solve(w, [(1, 7, 0)])) == 3
    deeper = solve(w, [(1, 7, 0)], max_depth=4)
    assert depth(deeper) <= 4
    assert stats(deeper, [INT8])["adders"] <= stats(solve(w, [(1, 7, 0)]), [INT8])["adders"]
    assert_computes(deeper, MIRZAEI10_20)


def test_one_column_module_is_bit_exact():
    formats = [Format(1, 7, 0)]
    w = np.array(MIRZAEI10_20, dtype=object)[:, None]
    result = optimize(w, formats)
    assert result.stats["depth"] == 3
    x = random_inputs(np.random.default_rng(5), formats, 64)
    assert all(same_values(r, e) for r, e in zip(run(result.module, formats, x), reference(w, formats, x)))
