"""Conversion between the optimizer's ``AdderGraph`` and cmvm adder-graph ops.

``graph_to_ops`` emits one ``cmvm.add``/``cmvm.sub`` per graph node, typed with the node's
exact range over the given inputs, and the wiring each output needs (``cmvm.shift``,
``cmvm.neg``, ``cmvm.constant 0``).  ``ops_to_graph`` reads the adder graph of a function
back (for statistics, and to check that the two agree).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from xdsl.dialects import func
from xdsl.ir import Attribute, Operation, SSAValue

from ...cmvm.graph import AdderGraph, AdderNode, OutputTerm, value_intervals
from ...cmvm.negations import absorb_negations
from ...numerics import Interval
from . import ops
from .types import FxType, value_interval


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

