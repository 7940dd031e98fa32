"""The AdderGraph data structure: exact evaluation, exact ranges, cost and depth."""

import numpy as np
import pytest

from fpga_opt.cmvm.graph import (
    AdderGraph,
    AdderNode,
    OutputTerm,
    depths,
    evaluate,
    evaluate_dyadic,
    prune,
    realized_matrix,
    stats,
    value_intervals,
)
from fpga_opt.numerics import Format, Interval

INT8 = Format(1, 7, 0).interval()


def sample_graph() -> AdderGraph:
    # v2 = x0 + 2 x1 ; v3 = v2 - x0/2 ; y = [2 v3, 0, -v2, v3 * 8]
    nodes = [AdderNode(0, 1, 1, False), AdderNode(2, 0, -1, True)]
    outputs = [OutputTerm(3, 1, False), OutputTerm(None, 0, False), OutputTerm(2, 0, True), OutputTerm(3, 3, False)]
    return AdderGraph(2, nodes, outputs)


def test_evaluate_matches_matrix():
    g = sample_graph()
    M = np.array([[1, 4], [0, 0], [-1, -2], [4, 16]])
    assert np.array_equal(realized_matrix(g), M)
    x = np.random.default_rng(0).integers(-128, 128, (200, 2))
    assert np.array_equal(evaluate(g, x), x @ M.T)


def test_evaluate_fractional_output_is_reported():
    g = AdderGraph(1, [AdderNode(0, 0, -1, False)], [OutputTerm(1, 0, False)])  # 1.5 x
    m, e = evaluate_dyadic(g, np.array([[1], [2]]))
    assert e == [-1] and m[:, 0].tolist() == [3, 6]
    with pytest.raises(ValueError):
        evaluate(g, np.array([[1]]))
    assert evaluate(g, np.array([[2]])).tolist() == [[3]]


def test_evaluate_switches_to_python_integers():
    g = AdderGraph(1, [AdderNode(0, 0, 40, False)], [OutputTerm(1, 30, False)])
    x = np.array([[2**20], [-(2**20)]])
    y = evaluate(g, x)
    assert y.dtype == object
    assert y[:, 0].tolist() == [(2**20) * (2**40 + 1) * 2**30, -(2**20) * (2**40 + 1) * 2**30]


def test_ranges_are_exact_not_interval_arithmetic():
    # v2 = x0 + x1, v3 = v2 - x1 == x0: interval arithmetic would say [-383, 382]
    g = AdderGraph(2, [AdderNode(0, 1, 0, False), AdderNode(2, 1, 0, True)], [OutputTerm(3, 0, False)])
    ivs = value_intervals(g, [INT8, INT8])
    assert ivs[2] == Interval(-256, 254, 0)
    assert ivs[3] == Interval(-128, 127, 0)


def test_ranges_use_coarsest_resolution_and_fractions():
    g = sample_graph()
    ivs = value_intervals(g, [INT8, INT8])
    assert ivs[3] == Interval(-640, 635, 1)  # x0/2 + 2 x1
    # v = x0<<2 + x0<<4 = 20 x0 : multiples of 4
    g2 = AdderGraph(1, [AdderNode(0, 0, 2, False)], [OutputTerm(1, 2, False)])
    assert value_intervals(g2, [INT8])[1] == Interval(-640, 635, 0)
    unsigned = Format(0, 4, 2).interval()  # 0 .. 15.75
    g3 = AdderGraph(1, [AdderNode(0, 0, 1, True)], [OutputTerm(1, 0, False)])  # -x
    assert value_intervals(g3, [unsigned])[1] == Interval(-63, 0, 2)


def test_stats_and_depths():
    g = sample_graph()
    assert depths(g) == [0, 0, 1, 2]
    s = stats(g, [INT8, INT8])
    assert s == {"adders": 2, "adder_bits": Interval(-384, 381, 0).width + Interval(-640, 635, 1).width, "depth": 2}


def test_prune_drops_dead_nodes_only():
    g = AdderGraph(2, [AdderNode(0, 1, 0, False), AdderNode(0, 1, 0, True), AdderNode(3, 0, 2, False)], [OutputTerm(4, 0, False)])
    p = prune(g)
    assert len(p.nodes) == 2
    assert np.array_equal(realized_matrix(p), realized_matrix(g))


def test_check_rejects_forward_references():
    with pytest.raises(ValueError):
        AdderGraph(1, [AdderNode(0, 1, 0, False)], []).check()
    with pytest.raises(ValueError):
        AdderGraph(1, [], [OutputTerm(3, 0, False)]).check()
