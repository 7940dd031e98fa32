"""``optimize``: an integer matrix in, the optimized adder graph out as cmvm IR.

    from fpga_opt.cmvm import optimize
    result = optimize([[1, 1, 1, 1], [2, 1, -1, 1], [1, -1, -1, 1], [1, -2, 2, 1]],
                      [(1, 7, 0)] * 4)
    print(result.module)      # builtin.module { func.func @cmvm(%x0: ..., ...) -> (...) }
    result.stats              # {"adders": 8, "adder_bits": 79, "depth": 2}
    result.graph              # the AdderGraph the module was emitted from (negated
                              # subtractions already turned around)

The module holds one function of scalar ``!cmvm.fx`` inputs (one per column of W, in the
given formats) returning ``y = W x`` through ``cmvm.add`` / ``cmvm.sub`` ops, each value
typed with its exact range.
"""

from __future__ import annotations

from collections.abc import Sequence

from xdsl.dialects import func
from xdsl.dialects.builtin import ModuleOp
from xdsl.ir import Block, OpResult, Region

from ..dialects.cmvm import ops
from ..dialects.cmvm.adder_graph import graph_to_ops
from ..dialects.cmvm.types import FxType
from ..numerics import Format, Interval
from . import CMVMResult
from . import solve_graph
from .negations import absorb_negations
from .solver import input_intervals


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
