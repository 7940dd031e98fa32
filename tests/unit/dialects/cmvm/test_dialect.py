"""Builders infer exact types; the verifier's linear-form fallback; AdderGraph <-> ops."""

import numpy as np

from fpga_opt.cmvm.graph import AdderGraph, AdderNode, OutputTerm, evaluate, realized_matrix
from fpga_opt.cmvm.negations import absorb_negations
from fpga_opt.dialects.cmvm import ops
from fpga_opt.dialects.cmvm.attributes import csd_problem, digits_value
from fpga_opt.dialects.cmvm.linear import exact_range
from fpga_opt.dialects.cmvm.types import FxType, holds
from fpga_opt.lowering.optimizer_ir import csd_strings, graph_to_ops, ops_to_graph
from fpga_opt.numerics import Format, Interval
from xdsl.ir import Block

INT8 = FxType(Format(1, 7, 0))


def test_builders_infer_exact_types():
    block = Block(arg_types=[INT8, INT8])
    a, b = block.args
    add = ops.AddOp(a, b, 2)
    assert add.result.type.data == Interval(-640, 635, 0)
    sub = ops.SubOp(a, add.result, 0)  # a - (a + 4b) = -4b: exact only through the form
    assert sub.result.type.data == Interval(-128 - 635, 127 + 640, 0)
    assert exact_range(sub.result) == Interval(-127, 128, -2)
    m = ops.MatrixOp([a, b], [[0, 6], [1, -1]])
    assert [r.type.data for r in m.outputs] == [Interval(-384, 381, -1), Interval(-255, 255, 0)]
    assert ops.ReluOp(a).result.type.data == Interval(0, 127, 0)
    assert ops.ConstantOp(12, -1).result.type.data == Interval(3, 3, -1)


def test_holds_checks_range_and_resolution():
    assert holds(Format(1, 7, 0), Interval(-128, 127, 0))
    assert not holds(Format(1, 7, 0), Interval(-128, 128, 0))
    assert not holds(Format(1, 7, 0), Interval(-1, 1, 1))  # half-integers
    assert holds(Format(1, 7, 0), Interval(-4, 4, -2))  # multiples of 4 are integers
    assert holds(Interval(0, 0, -5), Interval(0, 0, 3))  # zero fits any resolution


def test_csd_strings_are_canonical_and_exact():
    rng = np.random.default_rng(2)
    w = rng.integers(-5000, 5000, size=(20, 20))
    strings = csd_strings(w)
    for j in range(20):
        for i in range(20):
            assert csd_problem(strings[j][i]) is None
            assert digits_value(strings[j][i]) == w[j, i]


def test_graph_to_ops_and_back():
    # v2 = x0 + 2 x1 ; v3 = v2 - x0/2 ; outputs 2 v3, 0, -v2, 8 v3, x1
    graph = AdderGraph(2, [AdderNode(0, 1, 1, False), AdderNode(2, 0, -1, True)],
                       [OutputTerm(3, 1, False), OutputTerm(None, 0, False), OutputTerm(2, 0, True),
                        OutputTerm(3, 3, False), OutputTerm(1, 0, False)])
    block = Block(arg_types=[INT8, INT8])
    emitted = graph_to_ops(graph, list(block.args))
    block.add_ops(emitted.ops)
    from xdsl.dialects import func
    from xdsl.dialects.builtin import ModuleOp
    from xdsl.ir import Region

    block.add_op(func.ReturnOp(*emitted.outputs))
    function = func.FuncOp("g", (block.arg_types, [v.type for v in emitted.outputs]), Region(block))
    ModuleOp([function]).verify()
    read = ops_to_graph(function)
    assert realized_matrix(read.graph).tolist() == realized_matrix(graph).tolist()


def test_absorb_negations_keeps_the_matrix_and_removes_negations():
    rng = np.random.default_rng(4)
    for _ in range(50):
        n_in, nodes = 3, []
        for k in range(6):
            a, b = (int(v) for v in rng.integers(0, n_in + k, size=2))
            nodes.append(AdderNode(a, b, int(rng.integers(-2, 3)), bool(rng.random() < 0.7)))
        outputs = [OutputTerm(int(v), int(rng.integers(-1, 2)), bool(rng.random() < 0.6))
                   for v in rng.integers(n_in, n_in + 6, size=4)]
        graph = AdderGraph(n_in, nodes, outputs)
        fixed = absorb_negations(graph)
        x = rng.integers(-100, 100, size=(20, n_in))
        assert np.array_equal(evaluate(graph, x << 24), evaluate(fixed, x << 24))
        assert sum(o.negate for o in fixed.outputs) <= sum(o.negate for o in graph.outputs)
