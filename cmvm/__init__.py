"""Constant-matrix-vector multiplication: from an integer matrix to a multiplier-free adder graph.

    from fpga_opt.cmvm import solve, evaluate, stats
    graph = solve(W, [(1, 7, 0)] * W.shape[1], objective="adders", max_depth=None)
    y = evaluate(graph, x)            # == W @ x exactly

    solved = solve_graph(W, formats)  # solved.graph and its cost, solved.stats

The optimizer is pure algorithms on numpy arrays (numba kernels inside): it knows no IR.
The same result as a cmvm module is ``optimize`` in ``fpga_opt.lowering.optimizer_ir``,
the bridge between these graphs and the cmvm dialect.

The data structure (``AdderGraph``, ``AdderNode``, ``OutputTerm``) lives in ``graph``; the
optimizer stages in ``csd``, ``decompose``, ``cse``, ``builder``, ``mcm``, ``transpose``
and ``solver``; ``cse_only`` is the single-run strategy of the ``cmvm-cse`` pass,
``negations`` turns negated subtractions around.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from .graph import AdderGraph, AdderNode, OutputTerm, depths, evaluate, realized_matrix, stats, value_intervals
from .solver import input_intervals, solve


@dataclass
class SolvedGraph:
    """What ``solve_graph`` returns: the adder graph and its cost (``adders``,
    ``adder_bits``, ``depth``) under the input ranges."""

    graph: AdderGraph
    stats: dict[str, int]


def solve_graph(W, input_formats: Sequence, objective: str = "adders", max_depth: int | None = None,
                **opts) -> SolvedGraph:
    """``solve`` plus the graph's stats (adders, adder_bits, depth) under the input ranges;
    ``optimize`` (lowering/optimizer_ir.py) emits the graph as a cmvm module."""
    graph = solve(W, input_formats, objective=objective, max_depth=max_depth, **opts)
    return SolvedGraph(graph, stats(graph, input_intervals(input_formats, graph.n_inputs)))


__all__ = [
    "AdderGraph",
    "AdderNode",
    "OutputTerm",
    "SolvedGraph",
    "depths",
    "evaluate",
    "realized_matrix",
    "solve",
    "solve_graph",
    "stats",
    "value_intervals",
]
