"""Graph transposition: an adder graph for W^T from one for W.

Read as a signal-flow graph (edges from operands to sums, weighted ``+-2**s``), an adder
graph for W turned around computes W^T: every value of the original becomes the sum of its
fan-out edges in the transposed graph (Tellegen's principle).  A value used k times costs
k - 1 adders there, so for a square matrix the adder count stays the same while the
structure -- which outputs share which partial sums -- is entirely different.  Solving W^T
and transposing is therefore a second, independent way to solve W.
"""

from __future__ import annotations

from ..numerics import Interval
from .builder import GraphBuilder, Term
from .graph import AdderGraph


def transpose(graph: AdderGraph, input_intervals: list[Interval]) -> AdderGraph:
    """The transposed graph; ``input_intervals`` (one per output of ``graph``) are the
    ranges of the transposed graph's inputs, used for widths."""
    n_new_in = len(graph.outputs)
    if len(input_intervals) != n_new_in:
        raise ValueError(f"{len(input_intervals)} intervals for {n_new_in} inputs")
    builder = GraphBuilder(input_intervals)
    fanout: list[list[Term]] = [[] for _ in range(graph.n_values)]  # (consumer term) per value
    for j, out in enumerate(graph.outputs):
        if out.value is not None:
            fanout[out.value].append((j, out.shift, -1 if out.negate else 1))
    value_t: list[Term | None] = [None] * graph.n_values
    for idx in range(graph.n_values - 1, -1, -1):
        terms = fanout[idx]
        t = builder.sum_terms(terms) if terms else None
        value_t[idx] = t
        if idx < graph.n_inputs or t is None:
            continue
        node = graph.nodes[idx - graph.n_inputs]
        v, p, g = t
        fanout[node.a].append((v, p, g))
        fanout[node.b].append((v, p + node.shift, -g if node.sub else g))
    return builder.graph(value_t[: graph.n_inputs])
