"""The blocked solve of big matrices (cmvm/blocked.py), made to happen on small matrices by
a small ``block_pairs``: exact, within max_depth, deterministic, the same through the
worker pool for any number of jobs, and refused early when it needs too much memory."""

import numpy as np
import pytest

from fpga_opt.cmvm.blocked import BLOCK_PAIRS, column_blocks, plan_blocks, row_pairs
from fpga_opt.cmvm.csd import csd_count
from fpga_opt.cmvm.graph import depth, evaluate
from fpga_opt.cmvm.memory import LIMIT_VARIABLE
from fpga_opt.cmvm.parallel import solve_many
from fpga_opt.cmvm.solver import least_depth, solve
from fpga_opt.errors import CompileError
from fpga_opt.numerics import Format


def random_matrix(seed: int, shape=(12, 40), bits: int = 6, zeros: float = 0.2) -> np.ndarray:
    rng = np.random.default_rng(seed)
    w = rng.integers(-(1 << (bits - 1)), 1 << (bits - 1), shape)
    w[rng.random(shape) < zeros] = 0
    return w


def intervals(n: int, fmt=(1, 5, 0)):
    return [Format(*fmt).interval()] * n


def assert_exact(graph, w, fmt=(1, 5, 0), seed=0):
    rng = np.random.default_rng(seed)
    lo, hi = -(1 << fmt[1]), 1 << fmt[1]
    x = rng.integers(lo, hi, (50, w.shape[1]))
    x[0], x[1] = lo, hi - 1
    assert np.array_equal(evaluate(graph, x), x @ w.T)


def test_columns_are_cut_into_blocks_of_bounded_pairs():
    w = random_matrix(0, (20, 90))
    counts = csd_count(w)
    blocks = column_blocks(counts, 2000)
    assert len(blocks) > 1
    assert np.array_equal(np.concatenate(blocks), np.arange(90))  # contiguous, all columns once
    assert all(row_pairs(counts[:, b].sum(axis=1)) <= 2000 for b in blocks)
    assert len(column_blocks(counts, row_pairs(counts.sum(axis=1)))) == 1


@pytest.mark.parametrize("seed", range(5))
def test_the_blocked_solve_is_exact(seed):
    w = random_matrix(seed)
    pairs = row_pairs(csd_count(w).sum(axis=1))
    assert plan_blocks(w, intervals(40), {}, pairs // 6) is not None  # it does block
    graph = solve(w, [(1, 5, 0)] * 40, block_pairs=pairs // 6)
    assert_exact(graph, w, seed=seed)
    assert graph == solve(w, [(1, 5, 0)] * 40, block_pairs=pairs // 6)  # deterministic


def test_the_blocked_solve_is_exact_with_zero_rows_and_always_zero_inputs():
    w = random_matrix(7)
    w[3] = 0
    w[:, :10] = 0  # a whole block without digits
    ivs = intervals(40)
    ivs[20] = Format(0, 0, 0).interval()  # always zero: its column drops out
    graph = solve(w, ivs, block_pairs=200)
    x = np.random.default_rng(1).integers(-32, 32, (30, 40))
    x[:, 20] = 0
    assert np.array_equal(evaluate(graph, x), x @ w.T)


@pytest.mark.parametrize("extra", [0, 2])
def test_the_blocked_solve_honours_the_depth_limit(extra):
    w = random_matrix(3, (10, 60), bits=5, zeros=0.0)
    limit = least_depth(w) + 2 + extra
    plan = plan_blocks(w, intervals(60), {"max_depth": limit}, 300)
    assert plan is not None and all(b.options["max_depth"] < limit for b in plan)
    graph = solve(w, [(1, 5, 0)] * 60, max_depth=limit, block_pairs=300)
    assert depth(graph) <= limit
    assert_exact(graph, w)
    shallow = solve(w, [(1, 5, 0)] * 60, extra_depth=extra, block_pairs=300)
    assert depth(shallow) <= least_depth(w) + extra
    assert_exact(shallow, w)


def test_a_limit_too_tight_for_blocks_solves_the_matrix_whole():
    w = random_matrix(4, (8, 60), bits=5, zeros=0.0)
    assert plan_blocks(w, intervals(60), {"max_depth": least_depth(w)}, 300) is None
    graph = solve(w, [(1, 5, 0)] * 60, max_depth=least_depth(w), block_pairs=300)
    assert depth(graph) <= least_depth(w)
    assert_exact(graph, w)


def test_blocks_go_through_the_workers_with_the_same_graphs_for_any_jobs():
    problems = [(random_matrix(s), intervals(40)) for s in (10, 11)]
    problems.append((random_matrix(12, (3, 4)), intervals(4)))  # small: solved whole
    serial = solve_many(problems, jobs=1, block_pairs=300)
    parallel = solve_many(problems, jobs=2, block_pairs=300)
    assert serial == parallel
    for (w, _), graph in zip(problems, serial):
        assert graph == solve(w, intervals(w.shape[1]), block_pairs=300)
        assert_exact(graph, w)


def test_the_suite_sizes_are_not_blocked():
    w = np.random.default_rng(0).integers(-128, 128, (64, 64))  # bench/cmvm.py's largest dense
    assert plan_blocks(w, intervals(64), {}, BLOCK_PAIRS) is None


def test_a_blocked_matrix_beyond_the_memory_budget_is_refused_early(monkeypatch):
    monkeypatch.setenv(LIMIT_VARIABLE, "64K")
    w = random_matrix(5, (30, 200))
    with pytest.raises(CompileError) as err:
        solve(w, [(1, 5, 0)] * 200, block_pairs=1000)
    assert "30x200 constant matrix" in str(err.value) and LIMIT_VARIABLE in str(err.value)
    outcome = solve_many([(w, intervals(200))], jobs=2, block_pairs=1000)[0]
    assert isinstance(outcome, CompileError) and "30x200 constant matrix" in outcome.message


def test_a_compile_with_blocked_layers_is_the_same_for_any_jobs(monkeypatch):
    from xdsl.context import Context

    from fpga_opt.cmvm import parallel
    from fpga_opt.testing.networks import NetworkSpec, random_mlp
    from fpga_opt.transforms.compile import Compile

    monkeypatch.setattr(parallel, "BLOCK_PAIRS", 150)  # the layers below have more pairs
    joined = []
    join = parallel.join_blocks
    monkeypatch.setattr(parallel, "join_blocks", lambda *args: joined.append(1) or join(*args))
    spec = NetworkSpec(positions=1, widths=(24, 10, 6), weight_bits=5, weight_f=0, sparsity=0.1, heterogeneous=False)
    texts = []
    for jobs in (1, 2):
        module = random_mlp(np.random.default_rng(5), spec)
        Compile(jobs=jobs).apply(Context(), module)
        texts.append(str(module))
    assert texts[0] == texts[1]
    assert len(joined) == 4  # both layers blocked, in both compiles
