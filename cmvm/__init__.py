"""Constant-matrix-vector multiplication: from an integer matrix to a multiplier-free adder graph.

    from fpga_opt.cmvm import solve, evaluate, stats
    graph = solve(W, [(1, 7, 0)] * W.shape[1], objective="adders", max_depth=None)
    y = evaluate(graph, x)            # == W @ x exactly

    result = optimize(W, formats)     # result.graph, result.stats, and result.module: the
                                      # cmvm IR, attached by the dialect layer (cmvm/api.py)

The data structure (``AdderGraph``, ``AdderNode``, ``OutputTerm``) lives in ``graph``; the
optimizer stages in ``csd``, ``decompose``, ``cse``, ``builder``, ``mcm``, ``transpose``
and ``solver``.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .graph import AdderGraph, AdderNode, OutputTerm, depths, evaluate, realized_matrix, stats, value_intervals
from .solver import input_intervals, solve


@dataclass
class CMVMResult:
    """What ``optimize`` returns: the graph, its cost, and (attached later by the cmvm
    dialect layer, which owns the IR) the module holding it."""

    graph: AdderGraph
    stats: dict[str, int]
    module: Any = None


def solve_graph(W, input_formats: Sequence, objective: str = "adders", max_depth: int | None = None,
                **opts) -> CMVMResult:
    """``solve`` plus the graph's stats (adders, adder_bits, depth) under the input ranges;
    ``optimize`` (cmvm/api.py) adds the cmvm module."""
    graph = solve(W, input_formats, objective=objective, max_depth=max_depth, **opts)
    return CMVMResult(graph, stats(graph, input_intervals(input_formats, graph.n_inputs)))


__all__ = [
    "AdderGraph",
    "AdderNode",
    "CMVMResult",
    "OutputTerm",
    "depths",
    "evaluate",
    "optimize",
    "realized_matrix",
    "solve",
    "solve_graph",
    "stats",
    "value_intervals",
]
from .api import optimize  # noqa: E402  (it builds on solve_graph above)
