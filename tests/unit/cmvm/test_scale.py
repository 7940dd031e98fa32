"""Compiling big problems: pairwise digit counts without a cube of memory, the memory
estimate that refuses a too-large matrix with a CompileError, and parallel solves that
give the same bytes for any number of jobs."""

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from fpga_opt.cmvm import realized_matrix
from fpga_opt.cmvm.csd import csd_count
from fpga_opt.cmvm.decompose import pairwise_digits
from fpga_opt.cmvm.blocked import blocked_memory, plan_blocks
from fpga_opt.cmvm.memory import LIMIT_VARIABLE, memory_budget, pattern_slots, solve_memory
from fpga_opt.cmvm.parallel import solve_many
from fpga_opt.cmvm.solver import solve
from fpga_opt.errors import CompileError
from fpga_opt.numerics import Format
from fpga_opt.testing.networks import NetworkSpec, random_mlp

FPGA_OPT = Path(sys.executable).parent / "fpga-opt"


def cube_reference(w):
    """The n x n x m broadcast the kernel replaces."""
    minus = csd_count(w[:, None, :] - w[None, :, :]).sum(axis=-1)
    plus = csd_count(w[:, None, :] + w[None, :, :]).sum(axis=-1)
    return np.minimum(minus, plus), np.where(plus < minus, -1, 1)


@pytest.mark.parametrize("seed", range(4))
def test_pairwise_digits_equal_the_broadcast(seed):
    rng = np.random.default_rng(seed)
    w = rng.integers(-300, 300, (int(rng.integers(1, 30)), int(rng.integers(1, 12))))
    w[rng.random(w.shape) < 0.3] = 0
    w[-1] = -w[0]  # a negated row: zero digits, sign -1
    cost, sign = pairwise_digits(w)
    want_cost, want_sign = cube_reference(w)
    assert np.array_equal(cost, want_cost)
    assert np.array_equal(sign, want_sign)


def test_pairwise_digits_of_python_integers_equal_the_broadcast():
    rng = np.random.default_rng(7)
    w = np.array([[int(v) << 70 for v in row] for row in rng.integers(-50, 50, (6, 4))], dtype=object)
    cost, sign = pairwise_digits(w)
    want_cost, want_sign = cube_reference(w)
    assert np.array_equal(cost, want_cost)
    assert np.array_equal(sign, want_sign)


def test_a_matrix_beyond_the_memory_budget_is_refused_before_solving(monkeypatch):
    w = np.random.default_rng(0).integers(-128, 128, (60, 80))
    need = solve_memory(w)
    monkeypatch.setenv(LIMIT_VARIABLE, str(need // 2))
    with pytest.raises(CompileError) as err:
        solve(w, [(1, 7, 0)] * 80)
    assert "60x80 constant matrix" in str(err.value)
    assert "MiB" in str(err.value) and LIMIT_VARIABLE in str(err.value)


def test_the_memory_budget_reads_suffixes(monkeypatch):
    monkeypatch.setenv(LIMIT_VARIABLE, "1.5G")
    assert memory_budget() == 3 << 29
    monkeypatch.setenv(LIMIT_VARIABLE, "lots")
    with pytest.raises(CompileError, match=LIMIT_VARIABLE):
        memory_budget()


def test_the_estimate_grows_like_the_matrix():
    rng = np.random.default_rng(1)
    small = solve_memory(rng.integers(-128, 128, (100, 100)))
    big = rng.integers(-128, 128, (1000, 1000))
    assert solve_memory(big) > 100 << 30  # whole: 4.5e9 pairs, their keys in one table
    blocks = plan_blocks(big, [Format(1, 7, 0).interval()] * 1000, {})
    assert blocks is not None  # so it is solved in blocks
    need = blocked_memory(big, [b.columns for b in blocks])
    assert need < 4 << 30  # the 1000x1000 8-bit layer fits the 4 GiB target
    assert need < 200 * small  # 100 times the entries, not 1000 times


def test_the_estimate_bounds_the_pattern_table_growth():
    # the kwsmlp-like first layer: 37 million pairs; its pattern table grows to 2^26 slots
    w = np.random.default_rng(0).integers(-4, 4, (256, 490))
    assert 1.5 * (1 << 30) < solve_memory(w) < 3 * (1 << 30)
    assert pattern_slots(256, 600, 3.7e7, 1.4e6) == 1 << 26


def test_solve_many_gives_the_same_graphs_for_any_jobs():
    rng = np.random.default_rng(3)
    problems = [(rng.integers(-20, 20, (5, 4)), [Format(1, 3, 0).interval()] * 4) for _ in range(3)]
    problems.append(problems[0])  # solved once, still a graph of its own
    problems.append((np.ones((2, 2), np.int64), [Format(1, 3, 0).interval()] * 2))
    serial = solve_many(problems, jobs=1, extra_depth=1)
    parallel = solve_many(problems, jobs=2, extra_depth=1)
    assert serial == parallel
    assert serial[0] is not serial[3] and serial[0] == serial[3]
    for (w, _), graph in zip(problems[:-1], serial):
        assert np.array_equal(realized_matrix(graph), w)


def test_a_refused_problem_comes_back_as_its_error():
    problems = [(np.array([[7, 7, 7, 7]]), [Format(1, 3, 0).interval()] * 4)] * 2
    outcomes = solve_many(problems, jobs=2, max_depth=1)
    assert all(isinstance(o, CompileError) and "max_depth=1" in o.message for o in outcomes)


def test_cli_jobs_give_identical_verilog(tmp_path):
    spec = NetworkSpec(positions=1, widths=(12, 10, 8, 6), weight_bits=4, weight_f=0, sparsity=0.2, heterogeneous=False)
    source = tmp_path / "mlp.mlir"
    source.write_text(str(random_mlp(np.random.default_rng(5), spec)))
    texts = []
    for jobs in (1, 2):
        done = subprocess.run([str(FPGA_OPT), str(source), "-p", f"compile{{jobs={jobs}}}", "-t", "verilog"],
                              capture_output=True, text=True, timeout=600)
        assert done.returncode == 0, done.stderr
        texts.append(done.stdout)
    assert texts[0] == texts[1]
    assert texts[0].count("module") >= 1 and "+" in texts[0]


def test_cli_refuses_a_too_large_layer_without_a_traceback(tmp_path):
    spec = NetworkSpec(positions=1, widths=(40, 30), weight_bits=8, weight_f=0, sparsity=0.0, heterogeneous=False)
    source = tmp_path / "dense.mlir"
    source.write_text(str(random_mlp(np.random.default_rng(2), spec)))
    done = subprocess.run([str(FPGA_OPT), str(source), "-p", "compile{jobs=2}", "-t", "verilog"],
                          capture_output=True, text=True, timeout=600, env={**os.environ, LIMIT_VARIABLE: "1K"})
    assert done.returncode == 1
    assert "Traceback" not in done.stderr and "internal error" not in done.stderr
    assert "30x40 constant matrix" in done.stderr and "'cmvm.matrix' with 30 outputs" in done.stderr


def test_sparse_value_intervals_equal_the_dense_forms():
    from fpga_opt.cmvm.graph import form_interval, linear_forms, value_intervals
    from fpga_opt.numerics import Interval

    rng = np.random.default_rng(0)
    for t in range(12):
        n, m = rng.integers(1, 10, 2)
        w = rng.integers(-60, 60, (n, m))
        w[rng.random(w.shape) < 0.3] = 0
        ivs = [Format(int(rng.integers(0, 2)), int(rng.integers(0, 5)), int(rng.integers(-2, 4))).interval()
               for _ in range(m)]
        ivs[0] = Interval(0, 0, 0) if t % 3 == 0 else ivs[0]
        ivs[-1] = Interval(3, 3, 1) if t % 4 == 0 else ivs[-1]
        graph = solve(w, ivs, effort="fast")
        assert value_intervals(graph, ivs) == [form_interval(f, ivs) for f in linear_forms(graph)]


def test_refine_rounds_shrink_only_above_the_models_sizes():
    from fpga_opt.cmvm.effort import MIN_ROUNDS, REFINE_PAIRS, scaled_rounds

    assert scaled_rounds(900, REFINE_PAIRS) == 900  # the suite and the models: untouched
    assert scaled_rounds(100, 4 * REFINE_PAIRS) == 25
    assert scaled_rounds(100, 10**12) == MIN_ROUNDS
    assert scaled_rounds(2, 10**12) == 2
