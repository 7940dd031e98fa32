"""Exact ranges of adder-graph values through their linear forms.

A value built by matrices, add, sub, neg and shift from some *leaves* (function arguments,
constants, nonlinear results) is ``sum_l c_l * 2**e * leaf_l``.  Its exact range with
independent leaves is the sum of the ranges of the terms, which can be much tighter than
interval arithmetic over the adders: ``x - (x << 2)`` is ``-3x``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from xdsl.ir import OpResult, SSAValue

from ...cmvm.graph import LinearForm, form_interval
from ...numerics import Interval
from . import ops
from .types import value_interval

Form = tuple[dict[int, int], int]
"""``({id(leaf): integer coefficient}, common exponent)``; ids keep the hot loop off the
SSA values' Python-level hashing."""

_LINEAR = frozenset(ops.LINEAR_OPS)


def _combine(a: Form, b: Form, shift: int, sign: int) -> Form:
    (ca, ea), (cb, eb) = a, b
    eb += shift
    e = min(ea, eb)
    sa, sb = ea - e, eb - e
    out = {leaf: c << sa for leaf, c in ca.items()} if sa else dict(ca)
    for leaf, c in cb.items():
        out[leaf] = out.get(leaf, 0) + sign * (c << sb)
    return {leaf: c for leaf, c in out.items() if c}, e


def _matrix_row(op: ops.MatrixLikeOp, j: int, operands, memo: dict[int, Form]) -> Form:
    row_shifts, col_shifts = op.shifts()
    total: Form = ({}, 0)
    for i, w in enumerate(op.matrix[j]):
        if w:
            coeffs, e = memo[id(operands[i])]
            total = _combine(total, ({leaf: w * c for leaf, c in coeffs.items()}, e), row_shifts[j] + col_shifts[i], 1)
    return total


def _form_of(op, v: OpResult, operands, memo: dict[int, Form]) -> Form:
    """The form of v, a result of the linear op, from its operands' forms."""
    if isinstance(op, ops.ShiftedBinaryOp):
        return _combine(memo[id(operands[0])], memo[id(operands[1])], op.properties["shift"].value.data, op.SIGN)
    if isinstance(op, ops.TernaryAddOp):
        total: Form = ({}, 0)
        for operand, shift, sign in zip(operands, op.term_shifts, op.term_signs):
            total = _combine(total, memo[id(operand)], shift, sign)
        return total
    if isinstance(op, ops.NegOp):
        coeffs, e = memo[id(operands[0])]
        return {leaf: -c for leaf, c in coeffs.items()}, e
    if isinstance(op, ops.ShiftOp):
        coeffs, e = memo[id(operands[0])]
        return coeffs, e + op.properties["amount"].value.data
    return _matrix_row(op, v.index, operands, memo)


@dataclass
class Forms:
    """Linear forms found so far (by value id) and the leaves they are over (by id); one
    instance may be shared by several queries on IR that does not change in between."""

    forms: dict[int, Form] = field(default_factory=dict)
    leaves: dict[int, SSAValue] = field(default_factory=dict)


def linear_form(value: SSAValue, known: Forms) -> Form:
    """The linear form of ``value`` over the leaves its cone of linear ops starts from."""
    memo, leaves = known.forms, known.leaves
    stack = [value]
    while stack:
        v = stack.pop()
        key = id(v)
        if key in memo:
            continue
        op = v.op if isinstance(v, OpResult) else None
        if type(op) not in _LINEAR:
            memo[key] = {key: 1}, 0
            leaves[key] = v
            continue
        operands = op.operands
        pending = [u for u in operands if id(u) not in memo]
        if pending:
            stack.append(v)
            stack.extend(pending)
            continue
        memo[key] = _form_of(op, v, operands, memo)
    return memo[id(value)]


def exact_range(value: SSAValue, known: Forms | None = None) -> Interval:
    """The exact range of a value over its independent leaves."""
    known = Forms() if known is None else known
    leaves = known.leaves
    coeffs, e = linear_form(value, known)
    keys = list(coeffs)
    return form_interval(LinearForm(tuple(coeffs[k] for k in keys), e), [value_interval(leaves[k]) for k in keys])
