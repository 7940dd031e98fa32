"""Blocked solves of big matrices: split the columns, solve the blocks, add the partial sums.

The CSE's work grows with the term pairs within rows (a row of n CSD digits has
n (n - 1) / 2): a 1000x1000 8-bit matrix has 4.5 x 10^9 of them, beyond what the greedy
CSE can count in minutes.  Above ``BLOCK_PAIRS`` pairs the columns are cut into
contiguous blocks of about equal digits, just enough of them that every block's rows have
at most ``BLOCK_PAIRS`` pairs (b blocks have about 1/b^2 of the pairs each); each block's
sub-matrix is an independent problem for the normal pipeline (``solver.solve``, in worker
processes by ``parallel.solve_many``), and every output adds its blocks' partial sums in a
least-depth tree (``builder.sum_terms``).  Patterns across blocks are not shared; within a
block of 100 columns and 1000 rows each pattern still occurs about a hundred times.

    blocks = plan_blocks(w, intervals, options)        # None: solve w as one problem
    graph = join_blocks(intervals, w.shape[0], [(b.columns, solve(b.w, b.intervals, **b.options)) for b in blocks])

Depth: with ``max_depth`` (or ``extra_depth``) each block gets the limit less
``ceil(log2(blocks))`` (the levels of the final sums), so the joined graph honours it;
when some block's widest row cannot be summed that shallowly the matrix is solved whole
(``plan_blocks`` gives None).  Without a limit each block is solved at its own least
depth + ``BLOCK_EXTRA_DEPTH``.

Memory: the largest block's ``memory.solve_memory`` plus the joined graph's nodes
(``JOIN_BYTES`` per CSD digit at most); ``plan_blocks`` refuses a matrix beyond
``memory.memory_budget`` before anything is solved.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..numerics import Interval
from .builder import GraphBuilder, ceil_log2
from .csd import csd_count
from .graph import AdderGraph, prune
from .memory import check_solve_memory, solve_memory

BLOCK_PAIRS = 12_000_000
"""Matrices whose rows have more term pairs than this are solved in column blocks with at
most this many each (bench/cmvm.py's instances and the benchmarked models have at most
2 x 10^6).  The CSE's pattern table of such a block stays at 2^24 slots (0.4 GiB, see
``memory``); the next size, 2^26, would take 1.7 GiB in every worker."""
BLOCK_EXTRA_DEPTH = 6
"""Without a depth limit each block is solved at its least depth + this: one CSE run (a
block's rows rarely build on each other), where ``solver`` would also try the least
depth + 1 and keep it only when within 0.5 % (on a 1000x50 8-bit block it was not)."""
JOIN_BYTES = 400
"""Memory per CSD digit of the joined graph (an adder node at most per digit, in the
builder's lists, its cache and the graph)."""


@dataclass(frozen=True)
class Block:
    """One block's problem: the columns of W it takes, its sub-matrix, their input
    intervals and the ``solve`` options for it."""

    columns: np.ndarray
    w: np.ndarray
    intervals: list[Interval]
    options: dict[str, Any]


def row_pairs(digits_per_row: np.ndarray) -> int:
    """Term pairs within rows of the given digit counts."""
    n = digits_per_row.astype(np.int64)
    return int((n * (n - 1) // 2).sum())


def column_blocks(counts: np.ndarray, max_pairs: int) -> list[np.ndarray]:
    """Contiguous column ranges of about equal digits, each with at most ``max_pairs``
    pairs within its rows (unless a single column has more); ``counts`` is the digits of
    every entry (rows x columns)."""
    n_cols = counts.shape[1]
    total = row_pairs(counts.sum(axis=1))
    if total <= max_pairs or n_cols <= 1:
        return [np.arange(n_cols)]
    per_column = np.cumsum(counts.sum(axis=0))
    n_blocks = max(2, math.ceil(math.sqrt(total / max_pairs)))
    while True:
        cuts = np.searchsorted(per_column, per_column[-1] * np.arange(1, n_blocks) / n_blocks, side="right")
        edges = np.unique(np.concatenate(([0], cuts, [n_cols])))
        blocks = [np.arange(a, b) for a, b in zip(edges[:-1], edges[1:]) if b > a]
        if n_blocks >= n_cols or all(row_pairs(counts[:, b].sum(axis=1)) <= max_pairs for b in blocks):
            return blocks
        n_blocks += 1


def plan_blocks(w: np.ndarray, intervals: list[Interval], options: dict[str, Any],
                max_pairs: int | None = BLOCK_PAIRS) -> list[Block] | None:
    """The blocks to solve w in (see the module docstring), None to solve it whole: small
    enough, ``max_pairs`` None, or a depth limit the blocks cannot meet.  A CompileError
    when the blocked solve needs more memory than the budget."""
    if max_pairs is None or w.ndim != 2 or w.size == 0:
        return None
    counts = csd_count(w)
    counts[:, [j for j, iv in enumerate(intervals) if iv.lo == iv.hi == 0]] = 0  # inputs always zero
    if row_pairs(counts.sum(axis=1)) <= max_pairs:
        return None
    blocks = column_blocks(counts, max_pairs)
    if len(blocks) <= 1:
        return None
    needs = [ceil_log2(int(counts[:, b].sum(axis=1).max())) for b in blocks]
    options = dict(options, block_pairs=max_pairs)
    levels = ceil_log2(len(blocks))  # of the sums of the blocks' partial sums
    if options.get("max_depth") is not None or options.get("extra_depth") is not None:
        limit = options.get("max_depth")
        if limit is None:
            limit = ceil_log2(int(counts.sum(axis=1).max())) + max(0, options["extra_depth"])
        if limit - levels < max(needs):
            return None
        options.update(max_depth=limit - levels, extra_depth=None)
    else:
        options.update(extra_depth=BLOCK_EXTRA_DEPTH)
    check_solve_memory(w, "cmvm", blocked_memory(w, blocks))
    return [Block(b, w[:, b], [intervals[j] for j in b], options) for b in blocks]


def blocked_memory(w: np.ndarray, columns: list[np.ndarray]) -> int:
    """Estimated peak bytes of the blocked solve of w in blocks of ``columns``: the
    largest block's solve (in one process) and the joined graph."""
    return max(solve_memory(w[:, c]) for c in columns) + JOIN_BYTES * int(csd_count(w).sum())


def join_blocks(intervals: list[Interval], n_rows: int, parts: list[tuple[np.ndarray, AdderGraph]]) -> AdderGraph:
    """One graph over all inputs from the blocks' graphs (each over its ``columns``):
    every output the least-depth sum of its blocks' outputs."""
    builder = GraphBuilder(intervals)
    terms: list[list[tuple[int, int, int]]] = [[] for _ in range(n_rows)]
    for columns, graph in parts:
        index = [int(c) for c in columns]
        for node in graph.nodes:
            index.append(builder.node(index[node.a], index[node.b], node.shift, node.sub))
        for r, out in enumerate(graph.outputs):
            if out.value is not None:
                terms[r].append((index[out.value], out.shift, -1 if out.negate else 1))
    return prune(builder.graph([builder.sum_terms(t) for t in terms]))
