"""The bridge between the constant-matrix optimizer (``fpga_opt.cmvm``: integer matrices and
``AdderGraph``s, numpy only) and the cmvm IR; the one place that converts between them.

- matrices: ``matrix_op`` builds a ``cmvm.matrix`` / ``cmvm.csd`` from an integer matrix,
  ``effective_matrix`` and ``matrix_problem`` read one back as the optimizer's problem;
- graphs: ``graph_to_ops`` emits one ``cmvm.add``/``cmvm.sub`` per graph node, typed with
  the node's exact range over the given inputs, and the wiring each output needs
  (``cmvm.shift``, ``cmvm.neg``, ``cmvm.constant 0``); ``ops_to_graph`` reads the adder
  graph of a function back (for statistics, and to check that the two agree);
- ``replace_with_adders``: every matrix op of a module solved and replaced by its adder
  graph (the body of the ``cmvm-cse`` and ``cmvm-optimize`` passes);
- ``optimize``: an integer matrix in, the optimized adder graph out as a cmvm module.

    from fpga_opt.lowering.optimizer_ir import optimize
    result = optimize([[1, 1, 1, 1], [2, 1, -1, 1], [1, -1, -1, 1], [1, -2, 2, 1]],
                      [(1, 7, 0)] * 4)
    print(result.module)      # builtin.module { func.func @cmvm(%x0: ..., ...) -> (...) }
    result.stats              # {"adders": 8, "adder_bits": 79, "depth": 2}
    result.graph              # the AdderGraph the module was emitted from (negated
                              # subtractions already turned around)

The module ``optimize`` returns holds one function of scalar ``!cmvm.fx`` inputs (one per
column of W, in the given formats) returning ``y = W x`` through ``cmvm.add`` /
``cmvm.sub`` ops, each value typed with its exact range.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from xdsl.dialects import func
from xdsl.dialects.builtin import ModuleOp
from xdsl.ir import Attribute, Block, OpResult, Operation, Region, SSAValue
from xdsl.rewriter import InsertPoint, Rewriter

from ..cmvm import solve_graph
from ..cmvm.csd import as_integer_matrix, csd_digits, factor_shifts
from ..cmvm.cse_only import cse_only
from ..cmvm.graph import AdderGraph, AdderNode, OutputTerm, value_intervals
from ..cmvm.negations import absorb_negations
from ..cmvm.parallel import problem_key, resolve_jobs, solve_many
from ..cmvm.solver import OBJECTIVES, input_intervals
from ..dialects.cmvm import ops
from ..dialects.cmvm.attributes import digits_string
from ..dialects.cmvm.ops import CsdOp, MatrixLikeOp, MatrixOp, matrix_ops
from ..dialects.cmvm.types import FxType, value_interval
from ..errors import CompileError
from ..numerics import Format, Interval
from ..progress import is_listened, report_step

# ------------------------------------------------------------------------- matrices


def csd_strings(w: np.ndarray) -> list[list[str]]:
    """Every entry of an integer matrix as a canonical signed-digit string."""
    digits = csd_digits(w)
    return [[digits_string(digits[j, i].tolist()) for i in range(w.shape[1])] for j in range(w.shape[0])]


def matrix_op(w, inputs: Sequence[SSAValue], row_shifts: Sequence[int], col_shifts: Sequence[int],
              result_types: Sequence[Attribute] | None = None, csd: bool = False) -> MatrixLikeOp:
    """``y_j = sum_i w[j][i] * 2**(row_shifts[j] + col_shifts[i]) * x_i`` as a ``cmvm.matrix``,
    or as a ``cmvm.csd`` with every common power of two moved into the shifts."""
    n_out, n_in = len(row_shifts), len(col_shifts)
    w = as_integer_matrix(np.asarray(w, dtype=object).reshape(n_out, n_in))
    if not csd:
        return MatrixOp(list(inputs), w.tolist(), list(row_shifts), list(col_shifts), result_types)
    w, row, col = factor_shifts(w)
    return CsdOp(list(inputs), csd_strings(w),
                 [int(a) + int(b) for a, b in zip(row_shifts, row)],
                 [int(a) + int(b) for a, b in zip(col_shifts, col)], result_types)


def effective_matrix(op: MatrixLikeOp) -> tuple[np.ndarray, int]:
    """``(M, e)`` with the op computing ``y = 2**e * M x`` for an integer matrix M (the row
    and column shifts folded into the entries, their least value e kept apart)."""
    w = op.integer_array()
    rows, cols = op.shifts()
    exps = [rows[j] + cols[i] for j in range(w.shape[0]) for i in range(w.shape[1]) if w[j, i]]
    e = min(exps, default=0)
    out = np.empty(w.shape, dtype=object)
    for j in range(w.shape[0]):
        for i in range(w.shape[1]):
            out[j, i] = int(w[j, i]) << (rows[j] + cols[i] - e) if w[j, i] else 0
    return as_integer_matrix(out), e


def matrix_problem(op: MatrixLikeOp) -> tuple[np.ndarray, list[Interval], int]:
    """``(w, intervals, e)``: the op's integer matrix, its inputs' ranges and the power of
    two factored out of the matrix (the outputs' shift)."""
    w, e = effective_matrix(op)
    return w, [value_interval(v) for v in op.inputs], e


# ------------------------------------------------------------------------- graphs to ops


@dataclass
class EmittedGraph:
    ops: list[Operation]  # in order, ready to insert
    outputs: list[SSAValue]  # one per graph output


def _use_counts(graph: AdderGraph) -> list[int]:
    uses = [0] * graph.n_values
    for node in graph.nodes:
        uses[node.a] += 1
        uses[node.b] += 1
    for out in graph.outputs:
        if out.value is not None:
            uses[out.value] += 1
    return uses


def graph_to_ops(graph: AdderGraph, inputs: Sequence[SSAValue],
                 output_types: Sequence[Attribute] | None = None,
                 input_intervals: Sequence[Interval] | None = None) -> EmittedGraph:
    """Ops computing ``graph`` on ``inputs`` (negated subtractions turned around first).

    Node types are the exact ranges over the inputs (their types' intervals unless
    ``input_intervals`` is given).  Output j gets ``output_types[j]`` when given (it must
    hold the output's exact range: a replaced op's result types do), else its exact type.
    """
    if len(inputs) != graph.n_inputs:
        raise ValueError(f"graph has {graph.n_inputs} inputs, {len(inputs)} values given")
    ivs = list(input_intervals) if input_intervals is not None else [value_interval(v) for v in inputs]
    graph = absorb_negations(graph)
    exact = value_intervals(graph, ivs)
    uses = _use_counts(graph)
    # an output that is a node of its own (no wiring, no other use) takes its type directly
    own_type: dict[int, Attribute] = {}
    if output_types is not None:
        for out, t in zip(graph.outputs, output_types):
            if out.value is not None and out.value >= graph.n_inputs and out.shift == 0 \
                    and not out.negate and uses[out.value] == 1:
                own_type[out.value] = t

    emitted: list[Operation] = []
    values: list[SSAValue] = list(inputs)
    for k, node in enumerate(graph.nodes):
        v = graph.n_inputs + k
        cls = ops.SubOp if node.sub else ops.AddOp
        op = cls(values[node.a], values[node.b], node.shift, own_type.get(v, FxType(exact[v])))
        emitted.append(op)
        values.append(op.result)

    outputs: list[SSAValue] = []
    for j, out in enumerate(graph.outputs):
        wanted = output_types[j] if output_types is not None else None
        outputs.append(_wire_output(out, values, exact, wanted, emitted))
    return EmittedGraph(emitted, outputs)


def _wire_output(out: OutputTerm, values: list[SSAValue], exact: list[Interval],
                 wanted: Attribute | None, emitted: list[Operation]) -> SSAValue:
    if out.value is None:
        op = ops.ConstantOp(0, 0, wanted)
        emitted.append(op)
        return op.result
    value = values[out.value]
    steps: list[tuple[type, int]] = []
    if out.shift:
        steps.append((ops.ShiftOp, out.shift))
    if out.negate:
        steps.append((ops.NegOp, 0))
    if not steps:
        if wanted is None or value.type == wanted:
            return value
        steps.append((ops.ShiftOp, 0))  # a free re-typing wire
    for n, (cls, amount) in enumerate(steps):
        last = n == len(steps) - 1
        result_type = wanted if last and wanted is not None else None
        op = cls(value, amount, result_type) if cls is ops.ShiftOp else cls(value, result_type)
        emitted.append(op)
        value = op.result
    return value


# ------------------------------------------------------------------------- reading


@dataclass
class ReadGraph:
    graph: AdderGraph
    input_intervals: list[Interval]


def ops_to_graph(function: func.FuncOp) -> ReadGraph:
    """The adder graph of a function made of add, sub, neg, shift and zero constants.

    Inputs are the function's arguments; outputs are its returned values.  ValueError for
    any other op (a matrix not yet lowered, a nonlinear op).
    """
    block = function.body.blocks.first
    assert block is not None
    n = len(block.args)
    nodes: list[AdderNode] = []
    cache: dict[tuple[int, int, int, bool], int] = {}
    # every SSA value as a term: (graph value or None for zero, shift, negated)
    terms: dict[SSAValue, tuple[int | None, int, bool]] = {arg: (i, 0, False) for i, arg in enumerate(block.args)}

    def node(a: int, b: int, shift: int, sub: bool) -> int:
        key = (a, b, shift, sub)
        if key not in cache:
            cache[key] = n + len(nodes)
            nodes.append(AdderNode(a, b, shift, sub))
        return cache[key]

    outputs: list[OutputTerm] = []
    for op in block.ops:
        if isinstance(op, func.ReturnOp):
            outputs = [OutputTerm(*terms[v]) if terms[v][0] is not None else OutputTerm(None, 0, False)
                       for v in op.arguments]
            continue
        terms[op.results[0]] = _read_op(op, terms, node)
    return ReadGraph(AdderGraph(n, nodes, outputs), [value_interval(a) for a in block.args])


def _read_op(op: Operation, terms, node) -> tuple[int | None, int, bool]:
    if isinstance(op, ops.ConstantOp) and op.value.data == 0:
        return None, 0, False
    if isinstance(op, ops.ShiftOp):
        v, p, g = terms[op.input]
        return v, p + op.amount.value.data, g
    if isinstance(op, ops.NegOp):
        v, p, g = terms[op.input]
        return v, p, not g
    if isinstance(op, ops.ShiftedBinaryOp):
        (va, pa, ga), (vb, pb, gb) = terms[op.lhs], terms[op.rhs]
        gb = gb != (op.SIGN < 0)
        pb += op.amount
        if va is None:
            return vb, pb, gb
        if vb is None:
            return va, pa, ga
        # a + b = (-1)^ga 2^pa (v_a ± v_b 2^(pb - pa))
        return node(va, vb, pb - pa, ga != gb), pa, ga
    raise ValueError(f"'{op.name}' is not part of an adder graph")


# ------------------------------------------------------------------------- replacing matrix ops


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
    (``cmvm.parallel``: the same graphs for any number), else by ``cse_only``."""
    if objective not in OBJECTIVES:
        raise CompileError("cmvm", f"unknown objective '{objective}'; expected one of {', '.join(OBJECTIVES)}")
    matrices = list(matrix_ops(module))
    problems = [matrix_problem(op) for op in matrices]
    if decompose:
        graphs = solve_in_steps(matrices, problems, jobs, objective=objective, max_depth=max_depth,
                                extra_depth=extra_depth, effort=effort)
    else:
        graphs = []
        for w, intervals, _ in problems:
            try:
                graphs.append(cse_only(w, intervals, objective, max_depth))
            except CompileError as err:
                graphs.append(err)
    for op, graph, (_, _, e) in zip(matrices, graphs, problems):
        if isinstance(graph, CompileError):
            raise located(op, graph)
        emitted = graph_to_ops(shifted(graph, e), list(op.inputs), list(op.outputs.types))
        Rewriter.insert_op(emitted.ops, InsertPoint.before(op))
        Rewriter.replace_op(op, [], emitted.outputs)


# ------------------------------------------------------------------------- optimize


@dataclass
class CMVMResult:
    """What ``optimize`` returns: the module computing ``y = W x``, the adder graph it was
    emitted from, and its cost (``adders``, ``adder_bits``, ``depth``)."""

    graph: AdderGraph
    stats: dict[str, int]
    module: ModuleOp


def optimize(W, input_formats: Sequence, objective: str = "adders", max_depth: int | None = None,
             *, name: str = "cmvm", **solver_options) -> CMVMResult:
    """Optimize ``y = W @ x`` (W: n_out x n_in integers, any size) for inputs in
    ``input_formats`` ((k, i, f) tuples, numerics.Format or numerics.Interval, one per
    column) into a multiplier-free module; ``solver_options`` go to ``solve``
    (``extra_depth``, ``effort``).

    The result's ``graph`` is the solver's graph with negated subtractions turned around,
    exactly what ``module`` computes; ``stats``: ``adders`` (add/sub ops), ``adder_bits``
    (sum of their exact output widths), ``depth`` (adder levels on the longest path), the
    graph's figures (``ir_stats`` of the function also counts the negations left).
    """
    solved = solve_graph(W, input_formats, objective=objective, max_depth=max_depth, **solver_options)
    graph = absorb_negations(solved.graph)
    intervals = input_intervals(input_formats, graph.n_inputs)
    block = Block(arg_types=[FxType(iv) if _is_exact(fmt) else FxType(_format(fmt))
                             for fmt, iv in zip(input_formats, intervals)])
    for k, arg in enumerate(block.args):
        arg.name_hint = f"x{k}"
    emitted = graph_to_ops(graph, list(block.args), input_intervals=intervals)
    for j, value in enumerate(emitted.outputs):
        if isinstance(value, OpResult) and value.name_hint is None:
            value.name_hint = f"y{j}"
    block.add_ops(emitted.ops)
    block.add_op(func.ReturnOp(*emitted.outputs))
    function = func.FuncOp(name, (block.arg_types, [v.type for v in emitted.outputs]), Region(block))
    figures = ir_stats(function)
    return CMVMResult(graph, {key: figures[key] for key in ("adders", "adder_bits", "depth")}, ModuleOp([function]))


def _is_exact(fmt) -> bool:
    return isinstance(fmt, Interval)


def _format(fmt) -> Format:
    return fmt if isinstance(fmt, Format) else Format(*(int(v) for v in fmt))


def ir_stats(function: func.FuncOp) -> dict[str, int]:
    """Adder count, adder output bits, adder depth and negations of a cmvm function."""
    depth: dict = {}
    adders = bits = negations = longest = 0
    for op in function.walk():
        if not isinstance(op, ops.CmvmOp):
            continue
        level = max((depth.get(v, 0) for v in op.operands), default=0)
        if isinstance(op, ops.ADDER_OPS):
            level += 1
            adders += 1
            bits += op.result.type.width
        elif isinstance(op, ops.NegOp):
            negations += 1
        for r in op.results:
            depth[r] = level
        longest = max(longest, level)
    return {"adders": adders, "adder_bits": bits, "depth": longest, "negations": negations}
