"""Exact ranges of adder-graph values through their linear forms.

A value built by matrices, add, sub, neg and shift from some *leaves* (function arguments,
constants, nonlinear results) is ``sum_l c_l * 2**e * leaf_l``.  Its exact range with
independent leaves is the sum of the ranges of the terms, which can be much tighter than
interval arithmetic over the adders: ``x - (x << 2)`` is ``-3x``.
"""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass, field

from xdsl.ir import OpResult, SSAValue

from ...cmvm.graph import LinearForm, form_interval
from ...numerics import Interval
from .types import value_interval

Form = tuple[dict[int, int], int]
"""``({id(leaf): integer coefficient}, common exponent)``; ids keep the hot loop off the
SSA values' Python-level hashing."""


class HasLinearForm:
    """An op whose results are linear in its operands: it says how the form of each result
    follows from the forms of its operands (values of other ops are leaves)."""

    @abstractmethod
    def result_form(self, index: int, operand_forms: Sequence[Form]) -> Form:
        """The form of result ``index`` given the forms of the op's operands."""


def combine_forms(a: Form, b: Form, shift: int, sign: int) -> Form:
    """The form of ``a + sign * b * 2**shift``."""
    (ca, ea), (cb, eb) = a, b
    eb += shift
    e = min(ea, eb)
    sa, sb = ea - e, eb - e
    out = {leaf: c << sa for leaf, c in ca.items()} if sa else dict(ca)
    for leaf, c in cb.items():
        out[leaf] = out.get(leaf, 0) + sign * (c << sb)
    return {leaf: c for leaf, c in out.items() if c}, e


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
        if not isinstance(op, HasLinearForm):
            memo[key] = {key: 1}, 0
            leaves[key] = v
            continue
        operands = op.operands
        pending = [u for u in operands if id(u) not in memo]
        if pending:
            stack.append(v)
            stack.extend(pending)
            continue
        memo[key] = op.result_form(v.index, [memo[id(u)] for u in operands])
    return memo[id(value)]


def exact_range(value: SSAValue, known: Forms | None = None) -> Interval:
    """The exact range of a value over its independent leaves."""
    known = Forms() if known is None else known
    leaves = known.leaves
    coeffs, e = linear_form(value, known)
    keys = list(coeffs)
    return form_interval(LinearForm(tuple(coeffs[k] for k in keys), e), [value_interval(leaves[k]) for k in keys])
