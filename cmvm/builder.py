"""Incremental construction of an adder graph from signed, shifted terms.

A *term* ``(v, p, g)`` stands for ``g * value[v] * 2**p`` with ``g`` in {-1, +1}.  The
builder turns the sum of two terms into one adder node (shared: asking twice for the same
node returns the same value) and sums a whole list of terms in a tree whose depth is the
least the operands' depths allow (always combining the two earliest-available terms, the
Huffman rule for ``max(d1, d2) + 1``).

All nodes it creates have non-negative shifts, so integer inputs give integer values.
"""

from __future__ import annotations

import heapq

from ..numerics import Interval
from .graph import ZERO_OUTPUT, AdderGraph, AdderNode, OutputTerm

Term = tuple[int, int, int]


def node_key(t1: Term, t2: Term) -> tuple[tuple[int, int, int, bool], Term | None]:
    """Canonical node for ``t1 + t2`` and how the sum is that node, shifted and signed.

    Returns ``((a, b, shift, sub), (p, g))`` meaning ``t1 + t2 == g * node * 2**p`` with
    ``node = v[a] +- v[b] << shift``, shift >= 0 and a <= b when shift == 0.
    """
    (v1, p1, g1), (v2, p2, g2) = t1, t2
    if p2 < p1 or (p2 == p1 and v2 < v1):
        (v1, p1, g1), (v2, p2, g2) = (v2, p2, g2), (v1, p1, g1)
    return (v1, v2, p2 - p1, g1 != g2), (p1, g1)


def ceil_log2(n: int) -> int:
    return (n - 1).bit_length() if n > 1 else 0


class GraphBuilder:
    """Values, their depths and estimated widths, with shared adder nodes.

    Widths only rank choices (which pattern, which terms to add first), so a node's width
    is the upper estimate ``estimate_width`` from its operands' (an input's is exact); the
    exact ranges of a finished graph are ``graph.value_intervals``."""

    def __init__(self, input_intervals: list[Interval]):
        self.input_intervals = input_intervals
        self.n_inputs = len(input_intervals)
        self.nodes: list[AdderNode] = []
        self.depth: list[int] = [0] * self.n_inputs
        self.width: list[int] = [iv.width for iv in input_intervals]
        self.lsb: list[int] = [-iv.f for iv in input_intervals]  # weight of the lowest bit
        self._cache: dict[tuple[int, int, int, bool], int] = {}

    def node(self, a: int, b: int, shift: int, sub: bool) -> int:
        key = (a, b, shift, sub)
        hit = self._cache.get(key)
        if hit is not None:
            return hit
        v = self.n_inputs + len(self.nodes)
        self.nodes.append(AdderNode(a, b, shift, sub))
        self.depth.append(1 + max(self.depth[a], self.depth[b]))
        self.width.append(self.estimate_width(a, b, shift))
        self.lsb.append(min(self.lsb[a], self.lsb[b] + shift))
        self._cache[key] = v
        return v

    def estimate_width(self, a: int, b: int, shift: int) -> int:
        """Upper estimate of the width of ``a +- b << shift`` (one bit above the wider
        operand's top, down to the lower operand's lsb)."""
        top = max(self.lsb[a] + self.width[a], self.lsb[b] + shift + self.width[b]) + 1
        return top - min(self.lsb[a], self.lsb[b] + shift)

    def add_terms(self, t1: Term, t2: Term) -> Term:
        (a, b, s, sub), (p, g) = node_key(t1, t2)
        return (self.node(a, b, s, sub), p, g)

    def sum_terms(self, terms: list[Term]) -> Term | None:
        """One term equal to the sum of ``terms`` (None for an empty sum), built as a tree of
        least depth; among equally early operands the narrower ones are added first."""
        if not terms:
            return None
        heap = [(self.depth[v], self.lsb[v] + p + self.width[v], i, (v, p, g)) for i, (v, p, g) in enumerate(terms)]
        heapq.heapify(heap)
        tie = len(heap)
        while len(heap) > 1:
            _, _, _, t1 = heapq.heappop(heap)
            _, _, _, t2 = heapq.heappop(heap)
            v, p, g = self.add_terms(t1, t2)
            heapq.heappush(heap, (self.depth[v], self.lsb[v] + p + self.width[v], tie, (v, p, g)))
            tie += 1
        return heap[0][3]

    def graph(self, outputs: list[Term | None]) -> AdderGraph:
        outs = [ZERO_OUTPUT if t is None else OutputTerm(t[0], t[1], t[2] < 0) for t in outputs]
        return AdderGraph(self.n_inputs, list(self.nodes), outs)
