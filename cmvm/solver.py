"""The CMVM optimizer: integer matrix in, multiplier-free adder graph out.

Stages, each in its own module:

1. ``csd``: canonical signed digits; every row's common power of two is factored out (it
   becomes the output's shift, free wiring).
2. ``decompose``: a minimum spanning tree over the rows builds outputs from each other
   (``y_k = +-y_j + d_k . x``), so similar, identical or negated outputs are cheap.
3. ``cse``: greedy common-subexpression elimination over the digits of the difference rows.
4. ``builder``: what is left of each row (plus its parent's output) is summed in a
   least-depth tree.

``solve`` runs this pipeline as a portfolio for small matrices (CSE priorities, with and
without decomposition, and ``transpose`` of a graph solved for W^T) plus, for a single
column, the graph-based MCM search of ``mcm``; it keeps the best graph by the objective.

Every run honours its depth limit exactly (``depth.RowDepths``), so ``max_depth`` is hard:
a CompileError if the CSD digits of some row cannot be summed that shallowly.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..errors import CompileError
from ..numerics import Format, Interval
from .builder import GraphBuilder, Term, ceil_log2
from .csd import as_integer_matrix, csd_count, csd_digits, trailing_zeros
from .cse import RowCSE
from .decompose import Decomposition, spanning_tree
from .depth import RowDepths
from .graph import AdderGraph, prune, stats
from .mcm import solve_mcm
from .transpose import transpose

OBJECTIVES = ("adders", "adder_bits")


def input_intervals(input_formats: Sequence, n_in: int) -> list[Interval]:
    """Intervals of the inputs from (k, i, f) tuples, Formats or Intervals."""
    if len(input_formats) != n_in:
        raise CompileError("cmvm", f"{len(input_formats)} input formats for a matrix with {n_in} columns")
    out = []
    for j, fmt in enumerate(input_formats):
        if isinstance(fmt, Interval):
            out.append(fmt)
            continue
        if not isinstance(fmt, Format):
            try:
                k, i, f = (int(x) for x in fmt)
            except (TypeError, ValueError):
                raise CompileError("cmvm", f"input {j}: expected a (k, i, f) format, got {fmt!r}") from None
            fmt = Format(k, i, f)
        try:
            fmt.check()
        except ValueError as e:
            raise CompileError("cmvm", f"input {j}: {e}") from None
        out.append(fmt.interval())
    return out


def row_terms(w: np.ndarray) -> list[list[Term]]:
    """The CSD digits of every row as terms ``(input, position, sign)``."""
    if w.size == 0:
        return [[] for _ in range(w.shape[0])]
    d = csd_digits(w)
    rows: list[list[Term]] = [[] for _ in range(w.shape[0])]
    for r, i, p in zip(*np.nonzero(d)):
        rows[int(r)].append((int(i), int(p), int(d[r, i, p])))
    return rows


def least_depth(w: np.ndarray) -> int:
    """Depth needed to sum the CSD digits of the widest row."""
    if w.size == 0:
        return 0
    return max((ceil_log2(int(n)) for n in csd_count(w).sum(axis=1)), default=0)


def _prepare(W, input_formats: Sequence, objective: str) -> tuple[np.ndarray, list[Interval]]:
    if objective not in OBJECTIVES:
        raise CompileError("cmvm", f"unknown objective {objective!r}; expected one of {', '.join(OBJECTIVES)}")
    try:
        w = as_integer_matrix(W)
    except ValueError as e:
        raise CompileError("cmvm", str(e)) from None
    if w.ndim != 2:
        raise CompileError("cmvm", f"expected a matrix, got an array of shape {w.shape}")
    intervals = input_intervals(input_formats, w.shape[1])
    w = w.copy()
    for j, iv in enumerate(intervals):
        if iv.lo == iv.hi == 0:
            w[:, j] = 0  # an input that is always zero contributes nothing
    return w, intervals


def solve_once(w: np.ndarray, intervals: list[Interval], limit: int | None, decompose: str, priority: str) -> AdderGraph:
    """One run of the pipeline: row shifts out, spanning tree, CSE, least-depth sums.

    decompose: "none", or "chain": each row adds its parent's finished output to what is
    left of its difference row after CSE.
    """
    n_out = w.shape[0]
    nz = w != 0
    tz = trailing_zeros(w)
    shifts = np.where(nz.any(axis=1), np.where(nz, tz, 1 << 30).min(axis=1, initial=1 << 30), 0)
    wn = w >> shifts[:, None]

    if decompose != "none" and n_out > 1:
        dec = spanning_tree(wn, limit)
    else:
        dec = Decomposition([None] * n_out, [1] * n_out, wn, list(range(n_out)))

    builder = GraphBuilder(intervals)
    rows = row_terms(dec.diff)
    depths = RowDepths([len(r) for r in rows], dec.parent, dec.order, limit)
    rows = RowCSE(builder, rows, depths, priority).run()

    finished: list[Term | None] = [None] * n_out
    for r in dec.order:
        terms = list(rows[r])
        p = dec.parent[r]
        if p is not None and finished[p] is not None:
            v, q, g = finished[p]
            terms.append((v, q, g * dec.sign[r]))
        finished[r] = builder.sum_terms(terms)
    outputs = [None if t is None else (t[0], t[1] + int(shifts[r]), t[2]) for r, t in enumerate(finished)]
    return prune(builder.graph(outputs))


def solve_transposed(w: np.ndarray, intervals: list[Interval], limit: int | None, decompose: str, priority: str) -> AdderGraph:
    """Solve W^T (its inputs given W's widest input range) and transpose the graph."""
    widest = max(intervals, key=lambda iv: iv.width) if intervals else Interval(0, 0, 0)
    graph_t = solve_once(w.T.copy(), [widest] * w.shape[0], limit, decompose, priority)
    return transpose(graph_t, intervals)


EFFORTS = ("auto", "fast", "medium", "full")
PORTFOLIO_ENTRIES = 1024
"""Matrices with fewer entries (smaller than 32x32) get a portfolio of runs by default."""
FULL_PORTFOLIO_DIGITS = 300
"""... the whole portfolio when they have at most this many CSD digits."""
SINGLE_RUN_DIGITS = 6000
"""Above this many digits the automatic depth choice is one run at the least depth + 1."""
RESTARTS = {"fast": 0, "medium": 2, "full": 8}
"""CSE runs with pseudo-random tie-breaking tried at the chosen depth, per effort."""


def _variants(objective: str, effort: str) -> list[tuple[bool, str, str]]:
    """(transposed, decompose, priority) runs to try, the generally best first."""
    # "recent" also gives the fewest adder bits in practice (its sums stay shallow and
    # narrow); the width-weighted "bits" priority is only one more variant to compare
    first = "recent"
    second = "bits" if objective == "adder_bits" else "narrow"
    if effort == "fast":
        return [(False, "chain", first)]
    if effort == "medium":
        return [(False, "chain", first), (False, "none", "shallow"), (False, "chain", "shallow"), (True, "chain", first)]
    return [(t, d, p) for p in (first, second, "shallow") for d in ("chain", "none") for t in (False, True)]


def _cost(graph: AdderGraph, intervals: list[Interval], objective: str) -> tuple[int, int, int]:
    s = stats(graph, intervals)
    if objective == "adder_bits":
        return (s["adder_bits"], s["adders"], s["depth"])
    return (s["adders"], s["adder_bits"], s["depth"])


def solve(
    W,
    input_formats: Sequence,
    objective: str = "adders",
    max_depth: int | None = None,
    *,
    extra_depth: int | None = None,
    effort: str = "auto",
    depth_tolerance: float = 0.01,
) -> AdderGraph:
    """An adder graph computing ``y = W @ x`` exactly.

    W: integer matrix (n_out, n_in).  input_formats: one (k, i, f) tuple, numerics.Format
    or numerics.Interval per input (ranges decide adder widths).  objective: "adders" or
    "adder_bits" (sum of adder output widths).

    Depth: ``max_depth`` is a hard limit on adder levels (a CompileError if the CSD digits
    of some row cannot be summed that shallowly).  Otherwise ``extra_depth`` levels beyond
    that least depth are allowed.  By default (None) the limits least+0 .. least+4 are
    swept upwards until a deeper limit gains nothing (one variant: least+0 and least+1;
    just least+1 above SINGLE_RUN_DIGITS digits), and the shallowest result whose
    objective is within ``depth_tolerance`` (1%) of the best is kept.

    effort: "fast" is one variant; "full" a portfolio of 12 variants (CSE priorities, with
    and without the spanning-tree stage, W and the transpose of a graph for W^T) plus 16
    restarts with random tie-breaking at the chosen depth; "medium" 4 variants and 4
    restarts; "auto" is "full" below 32x32 entries and 300 digits, "medium" below 32x32
    entries, "fast" above.  A single column also gets the graph-based MCM search.
    """
    if effort not in EFFORTS:
        raise CompileError("cmvm", f"unknown effort {effort!r}; expected one of {', '.join(EFFORTS)}")
    w, intervals = _prepare(W, input_formats, objective)
    need = least_depth(w)
    digits = int(csd_count(w).sum()) if w.size else 0
    if effort == "auto":
        if w.size >= PORTFOLIO_ENTRIES:
            effort = "fast"
        else:
            effort = "full" if digits <= FULL_PORTFOLIO_DIGITS else "medium"
    if max_depth is not None:
        if max_depth < need:
            raise CompileError("cmvm", f"max_depth={max_depth} is below the {need} adder levels the widest row needs")
        limits = [max_depth]
    elif extra_depth is not None:
        limits = [need + max(0, extra_depth)]
    else:
        if effort != "fast":
            limits = [need + e for e in range(5)]
        else:
            limits = [need + 1] if digits > SINGLE_RUN_DIGITS else [need, need + 1]

    def best_at(limit: int, variants) -> tuple[tuple[int, int, int], AdderGraph]:
        best = None
        for transposed, decompose, priority in variants:
            run = solve_transposed if transposed else solve_once
            graph = run(w, intervals, limit, decompose, priority)
            cost = _cost(graph, intervals, objective)
            if cost[2] <= limit and (best is None or cost < best[0]):  # a transpose may be deeper
                best = (cost, graph)
        if w.shape[1] == 1 and w.size and variants:  # one input: also the graph-based MCM search
            graph = solve_mcm(w[:, 0], intervals[0], limit)
            cost = _cost(graph, intervals, objective)
            if best is None or cost < best[0]:
                best = (cost, graph)
        return best

    # sweep the limits from the least depth up; stop once a deeper limit gains nothing
    results: list[tuple[tuple[int, int, int], AdderGraph, int]] = []
    for limit in limits:
        cost, graph = best_at(limit, _variants(objective, effort))
        if results and cost[0] >= results[-1][0][0]:
            break
        results.append((cost, graph, limit))
    top = min(c[0] for c, _, _ in results)
    cost, graph, limit = next(r for r in results if r[0][0] <= top * (1 + depth_tolerance))
    restarts = [(False, d, f"random{i}") for i in range(1, RESTARTS[effort] + 1) for d in ("chain", "none")]
    if restarts:
        other = best_at(limit, restarts)
        if other[0] < cost:
            graph = other[1]
    return graph
