"""Fewer negated outputs in an adder graph, for free: each node may compute its value or
its negative (and a power-of-two multiple), as its outputs prefer.

    graph = absorb_negations(solve(W, formats))   # same realized matrix, fewer negations
"""

from __future__ import annotations

from .graph import AdderGraph, AdderNode, OutputTerm


def absorb_negations(graph: AdderGraph) -> AdderGraph:
    """The same computation with fewer negated outputs.

    Each node may store its value negated and scaled by a power of two: with
    ``u = a ± b * 2**s`` it can compute ``a' ± b' * 2**t`` (keeping the sign of its first
    operand's stored value) or, operands swapped, ``b' ± a' * 2**t`` (taking the sign of
    ``±b``); users absorb any sign and scale for free (shift amounts, add/sub, an output's
    negation flag).  Going through the nodes in order, a node takes the orientation whose
    sign its outputs and (through their own operands) later nodes' outputs prefer, keeping
    its own when they do not care.  The result is used only if it has fewer negations.
    """
    n = graph.n_inputs
    want = [0] * graph.n_values  # +1 per output that wants the value as is, -1 per negated
    for out in graph.outputs:
        if out.value is not None:
            want[out.value] += -1 if out.negate else 1
    for k in range(len(graph.nodes) - 1, -1, -1):  # a node's wish passes to its operands
        node = graph.nodes[k]
        want[node.a] += want[n + k]
        want[node.b] += -want[n + k] if node.sub else want[n + k]
    sign = [1] * graph.n_values  # stored value = sign * 2**exp * value
    exp = [0] * graph.n_values
    nodes: list[AdderNode] = []
    for k, node in enumerate(graph.nodes):
        v = n + k
        g = -1 if node.sub else 1
        sub = g * sign[node.a] * sign[node.b] < 0
        keep_sign, swap_sign = sign[node.a], g * sign[node.b]
        if swap_sign != keep_sign and want[v] * swap_sign > 0:
            sign[v], exp[v] = swap_sign, exp[node.b] - node.shift
            nodes.append(AdderNode(node.b, node.a, exp[node.b] - node.shift - exp[node.a], sub))
        else:
            sign[v], exp[v] = keep_sign, exp[node.a]
            nodes.append(AdderNode(node.a, node.b, node.shift + exp[node.a] - exp[node.b], sub))
    outputs = [out if out.value is None else
               OutputTerm(out.value, out.shift - exp[out.value], out.negate != (sign[out.value] < 0))
               for out in graph.outputs]
    if sum(o.negate for o in outputs) < sum(o.negate for o in graph.outputs):
        return AdderGraph(n, nodes, outputs)
    return graph
