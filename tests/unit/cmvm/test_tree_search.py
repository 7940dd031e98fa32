"""The spanning-tree search (cmvm/tree_search.py) and the small-matrix portfolio around it:
exact graphs on random and protocol matrices, depth limits honoured, deterministic."""

import numpy as np
import pytest

from fpga_opt.cmvm import evaluate, realized_matrix, solve
from fpga_opt.cmvm.decompose import spanning_tree
from fpga_opt.cmvm.graph import depth
from fpga_opt.cmvm.solver import least_depth
from fpga_opt.cmvm.tree_search import climb, neighbour_trees, tree_rows
from fpga_opt.numerics import Format

INPUT = Format(1, 7, 0)


def protocol_draw(seed, n):
    """A matrix of the literature's protocol (bench/cmvm_protocol.py): entries 129..255."""
    return np.random.default_rng([seed, n]).integers(129, 256, size=(n, n))


def check_exact(graph, w, rng):
    assert np.array_equal(realized_matrix(graph).astype(object), w.astype(object))
    x = rng.integers(-128, 128, size=(16, w.shape[1]))
    assert np.array_equal(np.array(evaluate(graph, x), dtype=object), x.astype(object) @ w.T.astype(object))


def parents_first(dec):
    seen = set()
    for k in dec.order:
        p = dec.parent[k]
        assert p is None or p in seen
        seen.add(k)
    assert sorted(dec.order) == list(range(len(dec.parent)))


@pytest.mark.parametrize("seed", range(6))
def test_neighbours_decompose_the_same_matrix(seed):
    rng = np.random.default_rng(seed)
    w = rng.integers(-40, 40, size=(int(rng.integers(2, 9)), int(rng.integers(1, 7))))
    w[rng.integers(0, w.shape[0])] = w[0] * -1  # a negated row: a zero-digit edge
    dec = spanning_tree(w, None)
    assert np.array_equal(tree_rows(dec), w)
    neighbours = neighbour_trees(dec, None, slack=2)
    for other in neighbours:
        parents_first(other)
        assert np.array_equal(tree_rows(other), w)
        assert sum(a != b for a, b in zip(other.parent, dec.parent)) == 1


def test_neighbours_respect_the_limit():
    w = protocol_draw(1, 6)
    limit = least_depth(w)
    for other in neighbour_trees(spanning_tree(w, limit), limit, slack=3):
        assert np.array_equal(tree_rows(other), w)


def test_climb_never_worsens_and_stops():
    w = protocol_draw(2, 5)
    dec = spanning_tree(w, None)
    calls = []

    def solve_tree(candidate):  # a cost that favours roots, so the climb has a way down
        calls.append(candidate)
        return (sum(p is not None for p in candidate.parent), candidate)

    start = (sum(p is not None for p in dec.parent), dec)
    final, (cost, _) = climb(dec, solve_tree, start, None, slack=100, moves=2)
    assert cost <= start[0] and cost >= start[0] - 2
    assert np.array_equal(tree_rows(final), w)


@pytest.mark.parametrize("n", [4, 8])
def test_protocol_matrices_exact_and_deterministic(n):
    rng = np.random.default_rng(n)
    for seed in range(3):
        w = protocol_draw(seed, n)
        graph = solve(w, [INPUT] * n)
        check_exact(graph, w, rng)
        again = solve(w, [INPUT] * n)
        assert again.nodes == graph.nodes and again.outputs == graph.outputs


@pytest.mark.parametrize("extra", [0, 1, 3])
def test_protocol_depth_limits_honoured(extra):
    rng = np.random.default_rng(extra)
    w = protocol_draw(extra, 8)
    limit = least_depth(w) + extra
    graph = solve(w, [INPUT] * 8, max_depth=limit)
    assert depth(graph) <= limit
    check_exact(graph, w, rng)


@pytest.mark.parametrize("seed", range(8))
def test_random_matrices_exact(seed):
    rng = np.random.default_rng(100 + seed)
    w = rng.integers(-100, 100, size=(int(rng.integers(1, 7)), int(rng.integers(1, 7))))
    w[rng.random(w.shape) < 0.2] = 0
    graph = solve(w, [INPUT] * w.shape[1], effort=("medium", "full")[seed % 2])
    check_exact(graph, w, rng)
