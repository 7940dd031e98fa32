"""Solve many independent CMVM problems at once, in worker processes.

    graphs = solve_many([(W1, intervals1), (W2, intervals2), ...], jobs=2, objective="adders")

Every problem is solved by ``solver.solve`` exactly as it would be alone, so the graphs
(and everything printed from them) are the same whatever ``jobs`` is; identical problems
(the same matrix and input ranges, as the positions of a convolution that reach the same
inputs) are solved once.  A problem the solver refuses gives its ``CompileError`` in
its place (the caller knows where it came from).  ``jobs`` None means ``os.cpu_count()``; with one job, or one
distinct problem, nothing is started.

Workers are forked when this process runs a single thread (they inherit the compiled
numba kernels), else spawned (they load the kernels from numba's on-disk cache).  A
``CompileError`` in a worker is raised here with its message.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any

import numpy as np

from ..errors import CompileError
from ..numerics import Interval
from .blocked import BLOCK_PAIRS, Block, join_blocks, plan_blocks
from .graph import AdderGraph
from .solver import solve

Problem = tuple[np.ndarray, list[Interval]]


def problem_key(w: np.ndarray, intervals: Sequence[Interval]) -> tuple:
    """Equal for problems whose solutions are equal."""
    w = np.asarray(w)
    data = w.astype(np.int64).tobytes() if w.dtype != object else tuple(int(v) for v in w.flat)
    return (w.shape, data, tuple((iv.lo, iv.hi, iv.f) for iv in intervals))


def resolve_jobs(jobs: int | None) -> int:
    """The number of worker processes ``jobs`` asks for (None: the machine's cores)."""
    if jobs is None:
        return os.cpu_count() or 1
    if jobs < 1:
        raise CompileError("-j", f"the number of jobs must be at least 1, got {jobs}")
    return jobs


def solve_many(problems: Sequence[Problem], jobs: int | None = None, **options: Any) -> list[AdderGraph | CompileError]:
    """``solve(w, intervals, **options)`` for every problem, in order (see the module
    docstring); each graph is one of its own, free to be changed by the caller.  A problem
    big enough for a blocked solve (``blocked``) is split here, so that its blocks are
    shared out among the workers too, and joined when they are solved."""
    jobs = resolve_jobs(jobs)
    tasks: list[tuple[np.ndarray, list[Interval], dict]] = []
    plans: list[list[Block] | CompileError | None] = []
    for w, intervals in problems:
        try:
            plan = plan_blocks(np.asarray(w), intervals, options, options.get("block_pairs", BLOCK_PAIRS))
        except CompileError as err:
            plan = _PicklableCompileError(err.where, err.message)
        plans.append(plan)
        if plan is None:
            tasks.append((w, intervals, options))
        elif not isinstance(plan, CompileError):
            tasks.extend((b.w, b.intervals, b.options) for b in plan)
    solved = iter(_solve_tasks(tasks, jobs))
    outcomes: list[AdderGraph | CompileError] = []
    for (w, intervals), plan in zip(problems, plans):
        if plan is None or isinstance(plan, CompileError):
            outcomes.append(next(solved) if plan is None else plan)
            continue
        parts = [(b.columns, next(solved)) for b in plan]
        failed = [graph for _, graph in parts if isinstance(graph, CompileError)]
        outcomes.append(failed[0] if failed else join_blocks(intervals, np.asarray(w).shape[0], parts))
    return outcomes


def _solve_tasks(tasks: list[tuple[np.ndarray, list[Interval], dict]], jobs: int) -> list[AdderGraph | CompileError]:
    """``solve_or_error`` of every task, identical tasks once, each graph a copy of its own."""
    keys = [problem_key(w, iv) + (repr(sorted(opts.items())),) for w, iv, opts in tasks]
    first: dict[tuple, int] = {}
    for index, key in enumerate(keys):
        first.setdefault(key, index)
    distinct = list(first.values())
    if jobs == 1 or len(distinct) <= 1:  # nothing to share out (no matrix at all, or one)
        outcomes = [solve_or_error(*tasks[i]) for i in distinct]
    else:
        with ProcessPoolExecutor(max_workers=min(jobs, len(distinct)), mp_context=_context()) as pool:
            outcomes = list(pool.map(solve_or_error, *zip(*(tasks[i] for i in distinct))))
    solved = {keys[i]: outcome for i, outcome in zip(distinct, outcomes)}
    return [_copy(solved[key]) for key in keys]


def solve_or_error(w: np.ndarray, intervals: list[Interval], options: dict) -> AdderGraph | CompileError:
    """``solve``, with a CompileError returned as one that pickles (its message kept)."""
    try:
        return solve(w, intervals, **options)
    except CompileError as err:
        return _PicklableCompileError(err.where, err.message)


class _PicklableCompileError(CompileError):
    def __reduce__(self):
        return (CompileError, (self.where, self.message))


def _copy(graph: AdderGraph | CompileError) -> AdderGraph | CompileError:
    if isinstance(graph, CompileError):
        return graph
    return AdderGraph(graph.n_inputs, list(graph.nodes), list(graph.outputs))


def _context():
    if "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")
