"""Exact ranges of adder-graph values through their linear forms.

A value built by matrices, add, sub, neg and shift from some *leaves* (function arguments,
constants, nonlinear results) is ``sum_l c_l * 2**e * leaf_l``.  Its exact range with
independent leaves is the sum of the ranges of the terms, which can be much tighter than
interval arithmetic over the adders: ``x - (x << 2)`` is ``-3x``.
"""

from __future__ import annotations

from xdsl.ir import OpResult, SSAValue

from ...cmvm.graph import LinearForm, form_interval
from ...numerics import Interval
from . import ops
from .types import value_interval

Form = tuple[dict[SSAValue, int], int]  # leaf -> integer coefficient, common exponent


def _combine(a: Form, b: Form, shift: int, sign: int) -> Form:
    (ca, ea), (cb, eb) = a, b
    eb += shift
    e = min(ea, eb)
    out = {leaf: c << (ea - e) for leaf, c in ca.items()}
    for leaf, c in cb.items():
        out[leaf] = out.get(leaf, 0) + sign * (c << (eb - e))
    return {leaf: c for leaf, c in out.items() if c}, e


def _matrix_row(op: ops.MatrixLikeOp, j: int, memo: dict[SSAValue, Form]) -> Form:
    row_shifts, col_shifts = op.shifts()
    total: Form = ({}, 0)
    for i, w in enumerate(op.matrix[j]):
        if w:
            coeffs, e = memo[op.inputs[i]]
            total = _combine(total, ({leaf: w * c for leaf, c in coeffs.items()}, e), row_shifts[j] + col_shifts[i], 1)
    return total


def _operands(value: SSAValue) -> list[SSAValue]:
    if isinstance(value, OpResult) and isinstance(value.op, ops.LINEAR_OPS):
        return list(value.op.operands)
    return []


def linear_form(value: SSAValue, memo: dict[SSAValue, Form] | None = None) -> Form:
    """The linear form of ``value`` over the leaves its adder-graph cone starts from."""
    memo = {} if memo is None else memo
    stack = [value]
    while stack:
        v = stack[-1]
        if v in memo:
            stack.pop()
            continue
        pending = [u for u in _operands(v) if u not in memo]
        if pending:
            stack.extend(pending)
            continue
        stack.pop()
        op = v.op if isinstance(v, OpResult) else None
        if isinstance(op, ops.MatrixLikeOp):
            memo[v] = _matrix_row(op, v.index, memo)
        elif isinstance(op, ops.ShiftedBinaryOp):
            memo[v] = _combine(memo[op.lhs], memo[op.rhs], op.amount, op.SIGN)
        elif isinstance(op, ops.NegOp):
            coeffs, e = memo[op.input]
            memo[v] = {leaf: -c for leaf, c in coeffs.items()}, e
        elif isinstance(op, ops.ShiftOp):
            coeffs, e = memo[op.input]
            memo[v] = coeffs, e + op.amount.value.data
        else:
            memo[v] = {v: 1}, 0
    return memo[value]


def form_range(form: Form) -> Interval:
    coeffs, e = form
    leaves = list(coeffs)
    return form_interval(LinearForm(tuple(coeffs[l] for l in leaves), e),
                         [value_interval(l) for l in leaves])


def exact_range(value: SSAValue) -> Interval:
    """The exact range of an adder-graph value over its independent leaves."""
    return form_range(linear_form(value))
