"""Iterated improvement of a finished CSE: dissolve some subexpressions, re-run CSE.

Greedy CSE commits to its most frequent pattern early; later patterns compete for the
terms it consumed.  ``refine`` revisits those choices as a large-neighbourhood search:
a random handful of the subexpression nodes the rows use -- drawn from the newer half,
the late greedy choices made on the fewest occurrences -- is *dissolved* (every use of such
a node in a row becomes the node's two operand terms again, recursively), CSE runs again
on the rows with a fresh tie-breaking salt, alternately with the "recent" and the "random"
priority of ``cse`` (together they find more than either alone).  CSE sees the kept nodes
as ordinary terms and may rebuild the dissolved nodes or pair their operands differently;
the result is kept when it needs no more adders than before.

Adders of a state: the nodes the rows' terms depend on (found by walking operands) plus
each row's summation, ``terms - 1``, one more for a row that adds its parent's output.
Dissolving never deepens a row (a node at depth d weighs ``2**d``, at least its two
operands together), and the CSE re-run honours the depth limit exactly, so every accepted
state stays within it.
"""

from __future__ import annotations

import random

from .builder import GraphBuilder, Term
from .cse import RowCSE
from .depth import RowDepths


def state_adders(builder: GraphBuilder, rows: list[list[Term]], parent: list[int | None]) -> int:
    n_in = builder.n_inputs
    live: set[int] = set()
    stack = [v for row in rows for v, _, _ in row if v >= n_in]
    while stack:
        v = stack.pop()
        if v in live:
            continue
        live.add(v)
        node = builder.nodes[v - n_in]
        stack.extend(u for u in (node.a, node.b) if u >= n_in and u not in live)
    sums = sum(max(len(row) + (parent[r] is not None) - 1, 0) for r, row in enumerate(rows))
    return len(live) + sums


def _expand(builder: GraphBuilder, row: list[Term], dissolve: set[int]) -> list[Term]:
    n_in = builder.n_inputs
    out: list[Term] = []
    stack = list(row)
    while stack:
        v, p, g = stack.pop()
        if v not in dissolve:
            out.append((v, p, g))
            continue
        node = builder.nodes[v - n_in]
        stack.append((node.a, p, g))
        stack.append((node.b, p + node.shift, -g if node.sub else g))
    return out


def refine(
    builder: GraphBuilder,
    rows: list[list[Term]],
    parent: list[int | None],
    order: list[int],
    limit: int | None,
    rounds: int,
    seed: int = 0,
    fraction: float = 0.08,
) -> list[list[Term]]:
    """Rows after ``rounds`` rip-up-and-redo rounds; never more adders than ``rows``."""
    rng = random.Random(seed)
    n_in = builder.n_inputs
    best = state_adders(builder, rows, parent)
    for k in range(rounds):
        used = sorted({v for row in rows for v, _, _ in row if v >= n_in})
        if not used:
            break
        # the newer half: late greedy choices had the fewest occurrences to go by
        newer = used[len(used) // 2 :]
        dissolve = set(rng.sample(newer, min(len(newer), max(1, int(len(used) * fraction)))))
        trial = [_expand(builder, row, dissolve) for row in rows]
        weights = [sum(1 << builder.depth[v] for v, _, _ in row) for row in trial]
        depths = RowDepths(weights, parent, order, limit)
        priority = f"recent{k + 1}" if k % 2 == 0 else f"random{k + 1}"  # alternate for diversity
        trial = RowCSE(builder, trial, depths, priority).run()
        cost = state_adders(builder, trial, parent)
        if cost <= best:
            best, rows = cost, trial
    return rows
