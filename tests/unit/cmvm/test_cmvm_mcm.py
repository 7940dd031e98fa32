"""The graph-based multiple-constant-multiplication search for single-column matrices."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from fpga_opt.cmvm import evaluate, realized_matrix, solve, stats
from fpga_opt.cmvm.fundamentals import odd_part
from fpga_opt.cmvm.mcm import solve_mcm
from fpga_opt.cmvm.solver import least_depth
from fpga_opt.numerics import Format

INT8 = Format(1, 7, 0).interval()


def test_odd_part():
    assert odd_part(40) == (5, 3)
    assert odd_part(7) == (7, 0)


def test_one_adder_per_distinct_fundamental_when_possible():
    column = np.array([3, 5, 7, -6, 12, 0, 1, -2])
    graph = solve_mcm(column, INT8, None)
    assert len(graph.nodes) == 3  # 3, 5, 7: everything else is a shift or sign of them
    assert np.array_equal(realized_matrix(graph)[:, 0], column)


@given(
    consts=st.lists(st.integers(-(2**15), 2**15), min_size=1, max_size=25),
    slack=st.sampled_from([0, 1, 2, None]),
)
@settings(max_examples=60, deadline=None)
def test_random_constant_sets_are_exact_and_within_depth(consts, slack):
    column = np.array(consts, dtype=np.int64)
    need = least_depth(column[:, None])
    limit = None if slack is None else need + slack
    graph = solve_mcm(column, INT8, limit)
    assert np.array_equal(realized_matrix(graph).astype(object)[:, 0], column.astype(object))
    x = np.arange(-128, 128)[:, None]
    assert np.array_equal(evaluate(graph, x), x @ column[None, :])
    if limit is not None:
        assert stats(graph, [INT8])["depth"] <= limit


def test_solve_uses_the_search_for_a_column():
    # a FIR filter where the graph search beats digit CSE
    column = np.array([0, 6, 60, 343, 1374, 4124, 9624, 17873, 26810, 32768])[:, None]
    best = solve(column, [(1, 7, 0)], max_depth=4)
    assert len(best.nodes) <= len(solve_mcm(column[:, 0], INT8, 4).nodes)
    assert np.array_equal(realized_matrix(best), column)
