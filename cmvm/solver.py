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
column, the graph-based MCM search of ``mcm``; it keeps the best graph by the objective,
after moving its spanning tree downhill (``tree_search``) and ``refine``.

Every run honours its depth limit exactly (see ``cse``), so ``max_depth`` is hard:
a CompileError if the CSD digits of some row cannot be summed that shallowly.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..errors import CompileError
from ..numerics import Format, Interval
from .blocked import BLOCK_PAIRS, join_blocks, plan_blocks, row_pairs
from .builder import GraphBuilder, Term, ceil_log2
from .csd import as_integer_matrix, csd_count, csd_digits, trailing_zeros
from .cse import RowCSE
from .decompose import Decomposition, spanning_tree
from .effort import scaled_rounds
from .graph import AdderGraph, prune, stats
from .graph import depth as graph_depth
from .mcm import solve_mcm
from .memory import check_solve_memory
from .refine import refine
from .transpose import transpose
from .tree_search import climb

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


def decomposition(w: np.ndarray, limit: int | None, decompose: str) -> tuple[np.ndarray, Decomposition]:
    """``(row_shifts, tree)``: each row's power of two out, then the spanning tree over the
    rows ("chain") or none ("none")."""
    n_out = w.shape[0]
    nz = w != 0
    tz = trailing_zeros(w)
    shifts = np.where(nz.any(axis=1), np.where(nz, tz, 1 << 30).min(axis=1, initial=1 << 30), 0)
    wn = w >> shifts[:, None]
    if decompose != "none" and n_out > 1:
        return shifts, spanning_tree(wn, limit)
    return shifts, Decomposition((None,) * n_out, (1,) * n_out, wn, tuple(range(n_out)))


class CseRun:
    """One run of the pipeline, kept so that ``refine`` can continue from its CSE state:
    row shifts out, spanning tree, CSE, then least-depth sums (``graph``).

    decompose: "none", or "chain": each row adds its parent's finished output to what is
    left of its difference row after CSE.  ``transposed_for``: the input intervals of W
    when this run solved W^T (its graph is then transposed back).  ``tree``: ``(row_shifts,
    decomposition)`` to use instead of ``decomposition``'s (see ``tree_search``).
    """

    def __init__(self, w, intervals, limit, decompose: str, priority: str, transposed_for: list[Interval] | None = None,
                 tree: tuple[np.ndarray, Decomposition] | None = None):
        self.shifts, self.dec = decomposition(w, limit, decompose) if tree is None else tree
        self.w, self.intervals, self.limit, self.priority = w, intervals, limit, priority
        self.transposed_for = transposed_for
        self.builder = GraphBuilder(intervals)
        rows = row_terms(self.dec.diff)
        weights = [len(r) for r in rows]  # every term is an input, at depth 0
        self.rows = RowCSE(self.builder, rows, weights, self.dec.parent, self.dec.order, limit, priority).run()
        self.graph = self._finish()

    def _finish(self) -> AdderGraph:
        dec, builder = self.dec, self.builder
        finished: list[Term | None] = [None] * len(self.rows)
        for r in dec.order:
            terms = list(self.rows[r])
            p = dec.parent[r]
            if p is not None and finished[p] is not None:
                v, q, g = finished[p]
                terms.append((v, q, g * dec.sign[r]))
            finished[r] = builder.sum_terms(terms)
        outputs = [None if t is None else (t[0], t[1] + int(self.shifts[r]), t[2]) for r, t in enumerate(finished)]
        graph = prune(builder.graph(outputs))
        return graph if self.transposed_for is None else transpose(graph, self.transposed_for)

    def refine(self, rounds: int) -> AdderGraph:
        """The graph after ``rounds`` rounds of ``refine.refine`` on this run's CSE state."""
        if rounds > 0:
            self.rows = refine(self.builder, self.rows, self.dec.parent, self.dec.order, self.limit, rounds)
            self.graph = self._finish()
        return self.graph


def solve_once(w: np.ndarray, intervals: list[Interval], limit: int | None, decompose: str, priority: str) -> AdderGraph:
    """The graph of one ``CseRun`` (see there)."""
    return CseRun(w, intervals, limit, decompose, priority).graph


def solve_transposed(w: np.ndarray, intervals: list[Interval], limit: int | None, decompose: str, priority: str) -> CseRun:
    """Solve W^T (its inputs given W's widest input range); the run's graph is for W."""
    widest = max(intervals, key=lambda iv: iv.width) if intervals else Interval(0, 0, 0)
    return CseRun(w.T.copy(), [widest] * w.shape[0], limit, decompose, priority, transposed_for=intervals)


EFFORTS = ("auto", "fast", "medium", "full")
PORTFOLIO_ENTRIES = 1024
"""Matrices with fewer entries (smaller than 32x32) get a portfolio of runs by default."""
FULL_PORTFOLIO_DIGITS = 300
"""... the whole portfolio when they have at most this many CSD digits."""
SINGLE_RUN_DIGITS = 1500
MID_EXTRA_DEPTHS = (1, 3, 6)
"""Above SINGLE_RUN_DIGITS digits (and up to DEEP_RUN_DIGITS) effort "fast" sweeps the
limits least + MID_EXTRA_DEPTHS, stopping at the first that gains nothing: on the random
32x32 matrices of bench/cmvm_protocol.py, 1303 / 1260 / 1296 adders at least+1 but
1214 / 1199 / 1222 at least+3 (draws 0-2), below da4ml's 1215.8 mean."""
DEEP_RUN_DIGITS = 8000
DEEP_EXTRA_DEPTH = 6
DEEP_DEPTH_TOLERANCE = 0.005
"""Above DEEP_RUN_DIGITS digits effort "fast" runs plain CSE at the least depth + 1 and the
spanning tree at the least depth + DEEP_EXTRA_DEPTH, the deeper kept when it saves more
than DEEP_DEPTH_TOLERANCE: on large dense matrices long parent chains pay (64x64 8-bit:
-1 % adders for 5 more levels), at the least depth + 1 the tree gains nothing there."""
SWEEP_EXTRA_DEPTH = 8
"""Effort "medium" and "full" sweep the depth limits least+0 .. least+SWEEP_EXTRA_DEPTH ..."""
SWEEP_PATIENCE = 2
"""... and stop after this many limits in a row that gain nothing."""
POLISH_LIMITS = {"fast": 1, "medium": 2, "full": 3}
"""Per effort, the chosen limit's best run and those of the POLISH_LIMITS - 1 cheapest
other limits are polished (restarts, tree search, refine), then the choice is made again."""
TREE_MOVES = 4
TREE_SLACK = {"medium": 1, "full": 2}
TREE_NEIGHBOURS = 24
"""Effort "medium" and "full" then move the polished run's spanning tree downhill
(``tree_search.climb``): at most TREE_MOVES re-parentings, each the best of the
TREE_NEIGHBOURS cheapest moves onto edges at most TREE_SLACK[effort] digits dearer than
the present ones, every neighbour judged by its whole CSE."""
RESTARTS = {"fast": 0, "medium": 2, "full": 8}
"""CSE runs with salted tie-breaking tried at the chosen depth, per effort ..."""
ONE_LIMIT_RESTARTS = 16
"""... and with effort "full" when ``max_depth`` or ``extra_depth`` leaves one limit to try
(16x16 protocol matrices at depth 6: 0.8 adders fewer than 8 for 0.06 s more)."""
REFINE_ROUNDS = {"fast": 300, "medium": 450, "full": 900}
"""Most rounds of ``refine`` (dissolve a few subexpressions, redo CSE) on the best run."""
DEEP_REFINE_ROUNDS = 100
"""... above DEEP_RUN_DIGITS digits, where a round costs 20-40 ms (64x64 8-bit: 300 rounds
save 10 adders of 4800 for 4.5 s more)."""


def _variants(objective: str, effort: str) -> list[tuple[bool, str, str]]:
    """(transposed, decompose, priority) runs to try, the generally best first."""
    # "recent" also gives the fewest adder bits in practice (its sums stay shallow and
    # narrow); the width-weighted "bits" priority is only one more variant to compare
    first = "recent"
    second = "bits" if objective == "adder_bits" else "narrow"
    if effort == "fast":  # the spanning tree helps or hurts by a percent either way
        return [(False, "chain", first), (False, "none", first)]
    if effort == "medium":
        return [(False, "chain", first), (False, "none", first), (False, "none", "shallow"), (False, "chain", "shallow"), (True, "chain", first)]
    return [(t, d, p) for p in (first, second, "shallow") for d in ("chain", "none") for t in (False, True)]


class Cost:
    """A graph's cost under the objective, ordered by (adders, adder bits, depth) or (adder
    bits, adders, depth).  Adder bits need the exact range of every value, the expensive
    part, so they are computed only when a comparison gets to them."""

    def __init__(self, graph: AdderGraph, intervals: list[Interval], objective: str):
        self.graph, self.intervals, self.objective = graph, intervals, objective
        self.adders = len(graph.nodes)
        self.depth = graph_depth(graph)
        self._bits: int | None = None

    @property
    def bits(self) -> int:
        if self._bits is None:
            self._bits = stats(self.graph, self.intervals)["adder_bits"]
        return self._bits

    @property
    def primary(self) -> int:
        """The objective itself."""
        return self.bits if self.objective == "adder_bits" else self.adders

    def __lt__(self, other: Cost) -> bool:
        if self.objective == "adders" and self.adders != other.adders:
            return self.adders < other.adders
        if self.objective == "adders":
            return (self.bits, self.depth) < (other.bits, other.depth)
        return (self.bits, self.adders, self.depth) < (other.bits, other.adders, other.depth)


def solve(
    W,
    input_formats: Sequence,
    objective: str = "adders",
    max_depth: int | None = None,
    *,
    extra_depth: int | None = None,
    effort: str = "auto",
    depth_tolerance: float = 0.01,
    block_pairs: int | None = BLOCK_PAIRS,
) -> AdderGraph:
    """An adder graph computing ``y = W @ x`` exactly.

    W: integer matrix (n_out, n_in).  input_formats: one (k, i, f) tuple, numerics.Format
    or numerics.Interval per input (ranges decide adder widths).  objective: "adders" or
    "adder_bits" (sum of adder output widths).

    Depth: ``max_depth`` is a hard limit on adder levels (a CompileError if the CSD digits
    of some row cannot be summed that shallowly).  Otherwise ``extra_depth`` levels beyond
    that least depth are allowed.  By default (None) the limits least+0 ..
    least+SWEEP_EXTRA_DEPTH are swept upwards until SWEEP_PATIENCE deeper limits in a row
    gain nothing (effort "fast": least+0 and least+1, stopping after one; least +
    MID_EXTRA_DEPTHS above SINGLE_RUN_DIGITS digits; least+1 and least+DEEP_EXTRA_DEPTH above
    DEEP_RUN_DIGITS, with a tolerance of at most DEEP_DEPTH_TOLERANCE), and the shallowest
    result whose objective is within ``depth_tolerance`` (1%) of the best is kept (efforts
    "medium" and "full": within it of the fewest adders and of the fewest adder bits too,
    so depth is not bought with wider sums).  A single column (multiple constant
    multiplication) is solved at the least depth: there
    the depth-bounded MCM search (``mcm``) costs few adders over deeper graphs (13, 24, 24
    adders at depth 3 on the suite's FIR filters, against 11, 22, 22 at depth 4-5), while
    one adder level is a quarter to a third of the latency.

    effort: "fast" is two variants (with and without the spanning-tree stage); "full" a
    portfolio of 12 variants (CSE priorities, with and without the spanning-tree stage, W
    and the transpose of a graph for W^T) plus 16 restarts with salted tie-breaking at the
    chosen depth; "medium" 4 variants and 4 restarts; "auto" is "full" below 32x32 entries
    and 300 digits (or any digits when ``max_depth`` or ``extra_depth`` leaves one limit
    to try: 16x16 protocol matrices at depth 6, 1.4 adders fewer for 0.16 s more),
    "medium" below 32x32 entries, "fast" above.  The best run is then
    improved by up to REFINE_ROUNDS rounds of ``refine`` (dissolve and redo a few
    subexpressions; DEEP_REFINE_ROUNDS above DEEP_RUN_DIGITS digits; it stops earlier once
    100 rounds in a row gain nothing).  Efforts "medium" and "full" polish so (restarts,
    the spanning-tree search of ``tree_search``, refine) the chosen limit and the
    POLISH_LIMITS[effort] - 1 cheapest others, and the limits between when a deeper one
    wins, then choose again: with the longer sweep, 2 % fewer adders on
    bench/cmvm_protocol.py's random 16x16 matrices (337.4 -> 330.1 mean) than the chosen
    limit polished alone.  A single column also gets the graph-based MCM search.

    block_pairs: a matrix whose rows have more term pairs is solved in column blocks
    (``blocked``; None: never).
    """
    if effort not in EFFORTS:
        raise CompileError("cmvm", f"unknown effort {effort!r}; expected one of {', '.join(EFFORTS)}")
    w, intervals = _prepare(W, input_formats, objective)
    options = {"objective": objective, "max_depth": max_depth, "extra_depth": extra_depth, "effort": effort,
               "depth_tolerance": depth_tolerance}
    blocks = plan_blocks(w, intervals, options, block_pairs)
    if blocks is not None:
        return join_blocks(intervals, w.shape[0], [(b.columns, solve(b.w, b.intervals, **b.options)) for b in blocks])
    check_solve_memory(w, "cmvm")
    need = least_depth(w)
    digits = int(csd_count(w).sum()) if w.size else 0
    one_limit = max_depth is not None or extra_depth is not None
    if effort == "auto":
        if w.size >= PORTFOLIO_ENTRIES:
            effort = "fast"
        else:  # one depth limit given: the time of the sweep goes to the whole portfolio
            effort = "full" if digits <= FULL_PORTFOLIO_DIGITS or one_limit else "medium"
    deep = effort == "fast" and max_depth is None and extra_depth is None and digits > DEEP_RUN_DIGITS
    if max_depth is not None:
        if max_depth < need:
            raise CompileError("cmvm", f"max_depth={max_depth} is below the {need} adder levels the widest row needs")
        limits = [max_depth]
    elif extra_depth is not None:
        limits = [need + max(0, extra_depth)]
    elif w.shape[1] == 1:
        limits = [need]  # one input (MCM): the least depth, see the docstring
    elif effort != "fast":
        limits = [need + e for e in range(SWEEP_EXTRA_DEPTH + 1)]
    elif deep:
        limits = [need + 1, need + DEEP_EXTRA_DEPTH]
        depth_tolerance = min(depth_tolerance, DEEP_DEPTH_TOLERANCE)
    else:
        limits = [need + e for e in MID_EXTRA_DEPTHS] if digits > SINGLE_RUN_DIGITS else [need, need + 1]

    def best_at(limit: int, variants) -> tuple[Cost, AdderGraph, CseRun | None]:
        best = None
        tree = decomposition(w, limit, "chain")[1] if any(v[1] == "none" for v in variants) else None
        if tree is not None and all(p is None for p in tree.parent):
            # the spanning tree has no edge within this limit: "chain" would repeat "none"
            variants = [v for v in variants if v[0] or v[1] == "none" or (False, "none", v[2]) not in variants]
        for transposed, decompose, priority in variants:
            if transposed:
                run = solve_transposed(w, intervals, limit, decompose, priority)
            else:
                run = CseRun(w, intervals, limit, decompose, priority)
            cost = Cost(run.graph, intervals, objective)
            if cost.depth <= limit and (best is None or cost < best[0]):  # a transpose may be deeper
                best = (cost, run.graph, run)
        if w.shape[1] == 1 and w.size and variants:  # one input: also the graph-based MCM search
            graph = solve_mcm(w[:, 0], intervals[0], limit, objective)
            cost = Cost(graph, intervals, objective)
            if best is None or cost < best[0]:
                best = (cost, graph, None)
        return best

    # sweep the limits from the least depth up; stop once SWEEP_PATIENCE deeper limits in a
    # row gain nothing over the best so far
    results: list[tuple[Cost, AdderGraph, CseRun | None, int]] = []
    stale = 0
    for k, limit in enumerate(limits):
        variants = _variants(objective, effort)
        if deep:  # plain CSE at the shallow limit, the spanning tree at the deep one
            variants = [v for v in variants if (v[1] == "none") == (k == 0)]
        cost, graph, run = best_at(limit, variants)
        stale = stale + 1 if results and cost.primary >= min(r[0].primary for r in results) else 0
        results.append((cost, graph, run, limit))
        if stale >= (1 if effort == "fast" else SWEEP_PATIENCE):
            break
    def polish(cost: Cost, graph: AdderGraph, run: CseRun | None, limit: int) -> tuple[Cost, AdderGraph, int]:
        """Restarts with salted tie-breaking at ``limit``, then ``refine`` of the best run."""
        count = ONE_LIMIT_RESTARTS if one_limit and effort == "full" else RESTARTS[effort]
        restarts = [(False, d, f"recent{i}") for i in range(1, count + 1) for d in ("chain", "none")]
        if restarts:
            other = best_at(limit, restarts)
            if other[0] < cost:
                cost, graph, run = other
        if run is not None and effort != "fast" and TREE_MOVES:
            def solve_tree(dec: Decomposition) -> tuple[Cost, CseRun] | None:
                tried = CseRun(run.w, run.intervals, limit, "chain", run.priority, run.transposed_for, tree=(run.shifts, dec))
                c = Cost(tried.graph, intervals, objective)
                return None if c.depth > limit else (c, tried)

            _, (cost, run) = climb(run.dec, solve_tree, (cost, run), limit, TREE_SLACK[effort], TREE_MOVES, TREE_NEIGHBOURS)
            graph = run.graph
        if run is not None:
            rounds = DEEP_REFINE_ROUNDS if digits > DEEP_RUN_DIGITS else REFINE_ROUNDS[effort]
            refined = run.refine(scaled_rounds(rounds, row_pairs(csd_count(w).sum(axis=1)) if w.size else 0))
            new = Cost(refined, intervals, objective)
            if new < cost and new.depth <= limit:
                cost, graph = new, refined
        return cost, graph, limit

    def shallowest(candidates, both: bool = False):
        """The shallowest candidate within ``depth_tolerance`` of the best objective; with
        ``both``, also within it of the fewest adders and adder bits of those candidates
        (the best candidate when none is)."""
        top = min(c[0].primary for c in candidates)
        near = sorted((c for c in candidates if c[0].primary <= top * (1 + depth_tolerance)), key=lambda c: c[-1])
        if not both:
            return near[0]
        adders, bits = min(c[0].adders for c in near), min(c[0].bits for c in near)
        fits = [c for c in near if c[0].adders <= adders * (1 + depth_tolerance) and c[0].bits <= bits * (1 + depth_tolerance)]
        return fits[0] if fits else min(candidates, key=lambda c: c[0])

    chosen = shallowest(results)
    # effort "medium" and "full" also polish the POLISH_LIMITS - 1 cheapest other limits:
    # restarts and refine often reorder limits whose portfolios came out close
    others = [] if effort == "fast" else sorted((r for r in results if r is not chosen), key=lambda r: r[0])[: POLISH_LIMITS[effort] - 1]
    polished = [polish(*r) for r in [chosen, *others]]
    best = shallowest(polished, both=effort != "fast")
    if effort != "fast" and best[2] > chosen[3]:
        # a deeper limit won: the limits between often gain as much with fewer levels
        polished += [polish(*r) for r in results if chosen[3] < r[3] < best[2]]
        best = shallowest(polished, both=True)
    return best[1]
