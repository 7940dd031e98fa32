"""Constant-matrix-vector multiplication: from an integer matrix to a multiplier-free adder graph.

    from fpga_opt.cmvm import solve, evaluate, stats
    graph = solve(W, [(1, 7, 0)] * W.shape[1], objective="adders", max_depth=None)
    y = evaluate(graph, x)            # == W @ x exactly

The data structure (``AdderGraph``, ``AdderNode``, ``OutputTerm``) lives in ``graph``;
the optimizer stages in ``csd``, ``decompose``, ``cse``, ``builder`` and ``solver``.
"""

from .graph import AdderGraph, AdderNode, OutputTerm, depths, evaluate, realized_matrix, stats, value_intervals
from .solver import solve

__all__ = [
    "AdderGraph",
    "AdderNode",
    "OutputTerm",
    "depths",
    "evaluate",
    "realized_matrix",
    "solve",
    "stats",
    "value_intervals",
]
from .api import optimize  # noqa: E402  (builds xDSL IR; imported last, after the solver)
