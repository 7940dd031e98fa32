"""The strategy of the ``cmvm-cse`` pass: one greedy CSE run, without the spanning-tree
stage or the portfolio of ``solver.solve``.

    graph = cse_only(w, intervals, objective="adders", max_depth=None)
"""

from __future__ import annotations

from ..errors import CompileError
from ..numerics import Interval
from .graph import AdderGraph
from .memory import check_solve_memory
from .solver import least_depth, solve_once


def cse_only(w, intervals: list[Interval], objective: str, max_depth: int | None) -> AdderGraph:
    """Greedy CSE over the CSD digits and least-depth sums, without the spanning-tree
    stage; the depth limit is ``max_depth``, else the least the widest row needs."""
    check_solve_memory(w, "cmvm")
    need = least_depth(w)
    if max_depth is not None and max_depth < need:
        raise CompileError("cmvm", f"max_depth={max_depth} is below the {need} adder levels the widest row needs")
    priority = "bits" if objective == "adder_bits" else "recent"
    return solve_once(w, intervals, need if max_depth is None else max_depth, "none", priority)
