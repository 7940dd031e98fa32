"""The optimizer: bit-exact on random inputs, depth limits exact, known optima reached."""

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fpga_opt.cmvm import SolvedGraph, evaluate, realized_matrix, solve, solve_graph, stats
from fpga_opt.cmvm.solver import least_depth
from fpga_opt.cmvm.transpose import transpose
from fpga_opt.errors import CompileError
from fpga_opt.numerics import Format

H264 = np.array([[1, 1, 1, 1], [2, 1, -1, 1], [1, -1, -1, 1], [1, -2, 2, 1]])


def random_matrix(rng, n_out, n_in, bits):
    w = rng.integers(-(2 ** (bits - 1)), 2 ** (bits - 1), (n_out, n_in))
    kind = rng.integers(0, 6)
    if kind == 1:  # zero rows and columns
        w[rng.random(n_out) < 0.3] = 0
        w[:, rng.random(n_in) < 0.3] = 0
    elif kind == 2 and n_in > 1:  # repeated, negated and shifted columns
        j = rng.integers(0, n_in, n_in // 2 + 1)
        w[:, : len(j)] = w[:, j] * rng.choice([-2, -1, 1, 4], len(j))
    elif kind == 3 and n_out > 1:  # repeated, negated and shifted rows
        i = rng.integers(0, n_out, n_out // 2 + 1)
        w[: len(i)] = w[i] * rng.choice([-1, 1, 2, -8], len(i))[:, None]
    elif kind == 4:  # powers of two
        w = rng.choice([-1, 1], w.shape) << rng.integers(0, bits, w.shape)
    elif kind == 5:  # sparse
        w[rng.random(w.shape) < 0.7] = 0
    return w


def random_formats(rng, n_in):
    fmts = []
    for _ in range(n_in):
        k = int(rng.integers(0, 2))
        i = int(rng.integers(-2, 9))
        f = int(rng.integers(-2, 5))
        if k + i + f < 0:
            f = -k - i
        fmts.append(Format(k, i, f))
    return fmts


def random_inputs(rng, fmts, batch=64):
    cols = []
    for fmt in fmts:
        iv = fmt.interval()
        cols.append(rng.integers(iv.lo, iv.hi + 1, batch))
    return np.stack(cols, axis=1)


def check_exact(w, fmts, graph, rng):
    """Same matrix (up to columns of inputs that can only be zero) and same outputs."""
    effective = np.asarray(w).astype(object).copy()
    effective[:, [fmt.width == 0 for fmt in fmts]] = 0
    assert np.array_equal(realized_matrix(graph).astype(object), effective)
    x = random_inputs(rng, fmts)
    assert np.array_equal(evaluate(graph, x).astype(object), (x.astype(object) @ np.asarray(w).T.astype(object)))


@given(
    seed=st.integers(0, 2**32 - 1),
    n_out=st.integers(1, 12),
    n_in=st.integers(1, 12),
    bits=st.integers(1, 12),
    objective=st.sampled_from(["adders", "adder_bits"]),
    effort=st.sampled_from(["fast", "fast", "auto"]),
)
@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_random_matrices_are_exact(seed, n_out, n_in, bits, objective, effort):
    rng = np.random.default_rng(seed)
    w = random_matrix(rng, n_out, n_in, bits)
    fmts = random_formats(rng, n_in)
    graph = solve(w, fmts, objective=objective, effort=effort)
    graph.check()
    check_exact(w, fmts, graph, rng)


@pytest.mark.parametrize("shape,bits", [((64, 64), 8), ((32, 48), 4), ((40, 1), 16), ((1, 64), 12)])
def test_large_matrices_are_exact(shape, bits):
    rng = np.random.default_rng(sum(shape) + bits)
    w = rng.integers(-(2 ** (bits - 1)), 2 ** (bits - 1), shape)
    fmts = [Format(1, 7, 0)] * shape[1]
    check_exact(w, fmts, solve(w, fmts, effort="fast"), rng)


@given(
    seed=st.integers(0, 2**32 - 1),
    n=st.integers(1, 16),
    bits=st.integers(2, 10),
    slack=st.integers(0, 3),
    effort=st.sampled_from(["fast", "full"]),
)
@settings(max_examples=40, deadline=None)
def test_max_depth_is_honoured_exactly(seed, n, bits, slack, effort):
    rng = np.random.default_rng(seed)
    w = random_matrix(rng, n, int(rng.integers(1, 16)), bits)
    fmts = [Format(1, 7, 0)] * w.shape[1]
    limit = least_depth(w) + slack
    for objective in ("adders", "adder_bits"):
        graph = solve(w, fmts, objective=objective, max_depth=limit, effort=effort)
        assert stats(graph, [f.interval() for f in fmts])["depth"] <= limit
        check_exact(w, fmts, graph, rng)


def test_a_limit_past_the_kernels_shift_range_acts_as_no_limit():
    # the compiled CSE keeps S_r = sum 2**depth in int64: a limit of 62 levels or more
    # must not wrap around, it can only be as loose as a limit no graph reaches
    w = np.random.default_rng(1).integers(-2000, 2000, (8, 48))  # rows of ~200 digits
    fmts = [Format(1, 7, 0)] * 48
    loose = solve(w, fmts, max_depth=40)
    for limit in (62, 64, 70, 200):
        graph = solve(w, fmts, max_depth=limit)
        assert graph.nodes == loose.nodes and graph.outputs == loose.outputs
        check_exact(w, fmts, graph, np.random.default_rng(limit))


def test_max_depth_below_what_the_digits_need_is_an_error():
    w = np.array([[0b1010101, 1, 1]])  # 4 + 1 + 1 digits need 3 levels
    assert least_depth(w) == 3
    with pytest.raises(CompileError, match="max_depth=2"):
        solve(w, [(1, 7, 0)] * 3, max_depth=2)
    assert stats(solve(w, [(1, 7, 0)] * 3, max_depth=3), [Format(1, 7, 0).interval()] * 3)["depth"] == 3


def test_h264_takes_eight_adders():
    graph = solve(H264, [(1, 7, 0)] * 4)
    assert len(graph.nodes) == 8
    check_exact(H264, [Format(1, 7, 0)] * 4, graph, np.random.default_rng(0))


def test_identical_negated_and_shifted_outputs_are_free():
    row = np.array([[3, -5, 7, 11, 0, 13]])
    single = len(solve(row, [(1, 7, 0)] * 6).nodes)
    w = np.concatenate([row, -row, row * 4, -row * 16, row, 0 * row])
    graph = solve(w, [(1, 7, 0)] * 6)
    assert len(graph.nodes) == single
    check_exact(w, [Format(1, 7, 0)] * 6, graph, np.random.default_rng(1))


def test_single_powers_of_two_need_no_adders():
    w = np.array([[4, 0], [0, -1], [0, 0], [-32, 0]])
    assert solve(w, [(1, 7, 0)] * 2).nodes == []


def test_inputs_that_are_always_zero_cost_nothing():
    w = np.array([[3, 5, 7]])
    graph = solve(w, [(1, 7, 0), (0, 0, 0), (1, 7, 0)])
    x = np.array([[5, 0, -3]])
    assert evaluate(graph, x).tolist() == [[15 - 21]]


@pytest.mark.parametrize("extra", [0, 1, 2])
def test_extra_depth_and_default_depth(extra):
    w = np.random.default_rng(5).integers(-128, 128, (12, 12))
    fmts = [Format(1, 7, 0)] * 12
    need = least_depth(w)
    assert stats(solve(w, fmts, extra_depth=extra), [f.interval() for f in fmts])["depth"] <= need + extra
    assert stats(solve(w, fmts), [f.interval() for f in fmts])["depth"] <= need + 2


def test_transposed_graph_computes_the_matrix():
    rng = np.random.default_rng(7)
    w = rng.integers(-100, 100, (6, 9))
    fmts = [Format(1, 5, 2)] * 9
    intervals = [f.interval() for f in fmts]
    graph_t = solve(w.T, [Format(1, 7, 0)] * 6, effort="fast")
    graph = transpose(graph_t, intervals)
    check_exact(w, fmts, graph, rng)


def test_bad_input_is_a_compile_error():
    with pytest.raises(CompileError):
        solve(np.array([[0.5]]), [(1, 7, 0)])
    with pytest.raises(CompileError):
        solve(np.array([[1, 2]]), [(1, 7, 0)])
    with pytest.raises(CompileError):
        solve(np.array([[1]]), [(3, 7, 0)])
    with pytest.raises(CompileError):
        solve(np.array([[1]]), [(1, 7, 0)], objective="luts")
    with pytest.raises(CompileError):
        solve(np.array([[1]]), [(1, 7, 0)], effort="max")


def test_solve_graph_gives_the_graph_and_its_stats():
    """The optimizer's own entry point: no IR, the graph and its cost under the inputs."""
    solved = solve_graph(H264, [(1, 7, 0), (0, 4, 0), (1, 3, -1), (1, 7, 0)], max_depth=3)
    assert isinstance(solved, SolvedGraph)
    assert np.array_equal(realized_matrix(solved.graph).astype(object), H264.astype(object))
    intervals = [Format(1, 7, 0).interval(), Format(0, 4, 0).interval(), Format(1, 3, -1).interval(),
                 Format(1, 7, 0).interval()]
    assert solved.stats == stats(solved.graph, intervals)
    assert solved.stats["depth"] <= 3


def test_optimize_reports_the_stats_of_its_graph():
    from fpga_opt.lowering.optimizer_ir import optimize

    result = optimize(H264, [(1, 7, 0)] * 4, max_depth=3)
    assert result.stats == stats(result.graph, [Format(1, 7, 0).interval()] * 4)
    assert result.stats["adders"] == 8 and result.stats["depth"] <= 3
