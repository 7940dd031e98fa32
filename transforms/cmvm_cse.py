"""cmvm-cse: turn every constant matrix into an adder graph by greedy common-subexpression
elimination.

Each ``cmvm.matrix`` / ``cmvm.csd`` is replaced by ``cmvm.add`` / ``cmvm.sub`` ops (plus
the free wiring its outputs need: ``cmvm.shift``, ``cmvm.neg``, ``cmvm.constant 0``).  The
CSD digits of the matrix are the terms; the most valuable two-term pattern that occurs
at least twice becomes one adder, repeatedly (``fpga_opt.cmvm.cse``); what remains of each
output is summed in a least-depth tree.  Every new value gets its exact range; the
outputs keep the result types of the replaced op.

Options: ``objective`` = ``adders`` (fewest adders) or ``adder_bits`` (fewest adder output
bits); ``max_depth`` = the most adder levels from the matrix's inputs to any output,
honoured exactly (an error if the CSD digits of some row cannot be summed that shallowly).

Before (T = !cmvm.fx<fixed<1,7,0>>):

    %y:2 = cmvm.matrix [[3, 5], [7, 5]] (%a, %b) : (T, T) -> (!cmvm.fx<range<-1024,1016,0>>, ...)

After (``a - b`` is shared; ``3a + 5b == ((a + b) - (a - b) / 4) * 4``):

    %0 = cmvm.sub %a, %b : (T, T) -> !cmvm.fx<range<-255,255,0>>
    %1 = cmvm.add %a, %b : (T, T) -> !cmvm.fx<range<-256,254,0>>
    %2 = cmvm.sub %1, %0 shl -2 : (...) -> !cmvm.fx<range<-1024,1016,2>>
    %3 = cmvm.add %b, %a shl 1 : (T, T) -> !cmvm.fx<range<-384,381,0>>
    %4 = cmvm.sub %3, %0 shl -2 : (...) -> !cmvm.fx<range<-1536,1524,2>>
    %y = cmvm.shift %2 by 2 : !cmvm.fx<range<-1024,1016,2>> -> !cmvm.fx<range<-1024,1016,0>>
    %y_1 = cmvm.shift %4 by 2 : !cmvm.fx<range<-1536,1524,2>> -> !cmvm.fx<range<-1536,1524,0>>
"""

from dataclasses import dataclass

import numpy as np
from xdsl.context import Context
from xdsl.dialects.builtin import ModuleOp
from xdsl.passes import ModulePass
from xdsl.rewriter import InsertPoint, Rewriter

from ..cmvm.cse_only import cse_only
from ..cmvm.graph import AdderGraph, OutputTerm
from ..cmvm.parallel import solve_many
from ..cmvm.solver import OBJECTIVES
from ..dialects.cmvm.adder_graph import graph_to_ops
from ..dialects.cmvm.build import effective_matrix
from ..dialects.cmvm.ops import MatrixLikeOp, matrix_ops
from ..dialects.cmvm.types import value_interval
from ..errors import CompileError
from ..numerics import Interval


def matrix_problem(op: MatrixLikeOp) -> tuple[np.ndarray, list[Interval], int]:
    """``(w, intervals, e)``: the op's integer matrix, its inputs' ranges and the power of
    two factored out of the matrix (the outputs' shift)."""
    w, e = effective_matrix(op)
    return w, [value_interval(v) for v in op.inputs], e


def located(op: MatrixLikeOp, err: CompileError) -> CompileError:
    return CompileError(f"'{op.name}' with {len(op.outputs)} outputs", err.message)


def shifted(graph: AdderGraph, e: int) -> AdderGraph:
    """The graph with every output shifted left by ``e`` more."""
    if e:
        graph.outputs = [o if o.value is None else OutputTerm(o.value, o.shift + e, o.negate) for o in graph.outputs]
    return graph


def replace_with_adders(module: ModuleOp, objective: str, max_depth: int | None, decompose: bool,
                        extra_depth: int | None = None, effort: str = "auto", jobs: int | None = 1) -> None:
    """Replace every matrix op of the module by the optimizer's adder graph for it; with
    ``decompose`` the problems are solved by ``solve`` in ``jobs`` processes
    (``cmvm.parallel``: the same graphs for any number), else by ``cse_only``."""
    if objective not in OBJECTIVES:
        raise CompileError("cmvm", f"unknown objective '{objective}'; expected one of {', '.join(OBJECTIVES)}")
    ops = list(matrix_ops(module))
    problems = [matrix_problem(op) for op in ops]
    if decompose:
        graphs = solve_many([(w, intervals) for w, intervals, _ in problems], jobs, objective=objective,
                            max_depth=max_depth, extra_depth=extra_depth, effort=effort)
    else:
        graphs = []
        for w, intervals, _ in problems:
            try:
                graphs.append(cse_only(w, intervals, objective, max_depth))
            except CompileError as err:
                graphs.append(err)
    for op, graph, (_, _, e) in zip(ops, graphs, problems):
        if isinstance(graph, CompileError):
            raise located(op, graph)
        emitted = graph_to_ops(shifted(graph, e), list(op.inputs), list(op.outputs.types))
        Rewriter.insert_op(emitted.ops, InsertPoint.before(op))
        Rewriter.replace_op(op, [], emitted.outputs)


@dataclass(frozen=True)
class CmvmCse(ModulePass):
    name = "cmvm-cse"

    objective: str = "adders"
    max_depth: int | None = None

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        replace_with_adders(op, self.objective, self.max_depth, decompose=False)
