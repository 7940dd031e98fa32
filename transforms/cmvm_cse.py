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

from ..cmvm.graph import AdderGraph, OutputTerm
from ..cmvm.memory import check_solve_memory
from ..cmvm.parallel import problem_key, resolve_jobs, solve_many
from ..cmvm.solver import OBJECTIVES, least_depth, solve_once
from ..dialects.cmvm.adder_graph import graph_to_ops
from ..dialects.cmvm.build import effective_matrix
from ..dialects.cmvm.ops import MatrixLikeOp, matrix_ops
from ..dialects.cmvm.types import value_interval
from ..errors import CompileError
from ..numerics import Interval
from ..progress import is_listened, report_step


def cse_only(w, intervals: list[Interval], objective: str, max_depth: int | None) -> AdderGraph:
    """Greedy CSE over the CSD digits and least-depth sums, without the spanning-tree
    stage; the depth limit is ``max_depth``, else the least the widest row needs."""
    check_solve_memory(w, "cmvm")
    need = least_depth(w)
    if max_depth is not None and max_depth < need:
        raise CompileError("cmvm", f"max_depth={max_depth} is below the {need} adder levels the widest row needs")
    priority = "bits" if objective == "adder_bits" else "recent"
    return solve_once(w, intervals, need if max_depth is None else max_depth, "none", priority)


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


def matrix_label(op: MatrixLikeOp, w: np.ndarray) -> str:
    """Where a matrix is, for progress: its function and its outputs x inputs."""
    function = op.parent_op()
    name = getattr(getattr(function, "sym_name", None), "data", "?")
    return f"@{name}, {w.shape[0]}x{w.shape[1]}"


def solve_in_steps(ops: list[MatrixLikeOp], problems: list, jobs: int | None, **options) -> list:
    """``solve_many`` of the problems; while someone watches progress (``fpga_opt.progress``)
    in steps of ``jobs`` distinct matrices, each reported as it starts.  The graphs are the
    same either way: each problem is solved alone, identical ones once per step."""
    pairs = [(w, intervals) for w, intervals, _ in problems]
    if not is_listened():
        return solve_many(pairs, jobs, **options)
    groups: dict[tuple, list[int]] = {}
    for index, (w, intervals) in enumerate(pairs):
        groups.setdefault(problem_key(w, intervals), []).append(index)
    distinct, step = list(groups.values()), resolve_jobs(jobs)
    graphs: list = [None] * len(pairs)
    for start in range(0, len(distinct), step):
        members = [i for group in distinct[start:start + step] for i in group]
        first = members[0]
        span = f"{start + 1}" if step == 1 else f"{start + 1}-{min(start + step, len(distinct))}"
        report_step(f"matrix {span}/{len(distinct)} of {matrix_label(ops[first], pairs[first][0])}")
        for index, graph in zip(members, solve_many([pairs[i] for i in members], jobs, **options)):
            graphs[index] = graph
    return graphs


def replace_with_adders(module: ModuleOp, objective: str, max_depth: int | None, decompose: bool,
                        extra_depth: int | None = None, effort: str = "auto", jobs: int | None = 1) -> None:
    """Replace every matrix op of the module by the optimizer's adder graph for it; with
    ``decompose`` the problems are solved by ``solve`` in ``jobs`` processes
    (``cmvm.parallel``: the same graphs for any number), else by ``cse_only`` here."""
    if objective not in OBJECTIVES:
        raise CompileError("cmvm", f"unknown objective '{objective}'; expected one of {', '.join(OBJECTIVES)}")
    ops = list(matrix_ops(module))
    problems = [matrix_problem(op) for op in ops]
    if decompose:
        graphs = solve_in_steps(ops, problems, jobs, objective=objective, max_depth=max_depth,
                                extra_depth=extra_depth, effort=effort)
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
