"""cmvm-fold-negations: absorb ``cmvm.neg`` into the adders around it, by letting each
adder compute its value or its negative.

A ``cmvm.neg`` is a whole subtraction from zero.  The optimizer emits one where an output
is the negative of a shared subexpression, and shifts of negated values keep it.  Each
add/sub/neg/shift value may instead be computed negated (its sign) as long as every
consumer can take that: another adder absorbs a negated operand into its operation
(``a + b`` with b negated is ``a - b``; with both operands negated the adder itself flips),
a neg of a negated value is a wire, while nonlinear ops, calls and returns need the value
itself.  Constants take whichever sign is needed.

The signs are chosen by local search from all-positive (the input program), accepting a
flip only when it lowers the total width of the remaining negations, so the result never
has more; values and ranges are unchanged where the sign is positive and exactly negated
where it is not.  Where an adder can be written either way round (a constant operand), the
form whose low bits are wired (``b - a`` rather than ``a - b`` for b the finer) is chosen.
(Flipping adders only to wire more low bits through lowers our carry-bit count too, but
Yosys maps the result to more LUTs on the 0.771 jet tagger; it is left out.)

Before (T = !cmvm.fx<fixed<1,7,0>>):

    %d = cmvm.sub %a, %b : (T, T) -> !cmvm.fx<range<-255,255,0>>
    %n = cmvm.neg %d : ... -> !cmvm.fx<range<-255,255,0>>
    %y = cmvm.add %c, %n shl 1 : ...              (the only user of %n)

After (``%d`` computed as ``b - a``, the neg is a wire, ``%y`` unchanged):

    %d = cmvm.sub %b, %a : (T, T) -> !cmvm.fx<range<-255,255,0>>
    %y = cmvm.add %c, %d shl 1 : ...
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from xdsl.context import Context
from xdsl.dialects.builtin import ModuleOp
from xdsl.ir import Operation, SSAValue
from xdsl.passes import ModulePass

from ..dialects.cmvm import ops as cmvm
from ..dialects.cmvm.types import FxType, value_interval
from .function_bodies import function_bodies

INFEASIBLE = math.inf
ADDERS = (cmvm.AddOp, cmvm.SubOp)
SIGNED = (cmvm.AddOp, cmvm.SubOp, cmvm.NegOp, cmvm.ShiftOp)
MAX_ROUNDS = 8


def _resolution(value: SSAValue, shift: int = 0) -> int:
    """The value's lowest bit position as fraction bits, after ``<< shift``."""
    return value_interval(value).f - shift


def _width(value: SSAValue) -> int:
    return value_interval(value).width


class Signs:
    """The sign each value is computed with (+1: itself, -1: its negative)."""

    def __init__(self) -> None:
        self.sign: dict[SSAValue, int] = {}
        self._values: dict[Operation, tuple[SSAValue, ...]] = {}

    def _result_and_operands(self, op: Operation) -> tuple[SSAValue, ...]:
        """``(result, *operands)`` of a signed op, read once: the search asks for them
        tens of thousands of times, and the ops do not change while it runs."""
        values = self._values.get(op)
        if values is None:
            values = self._values[op] = (op.results[0], *op.operands)
        return values

    def __getitem__(self, value: SSAValue) -> int:
        return self.sign.get(value, 1)

    def flip(self, value: SSAValue) -> None:
        self.sign[value] = -self[value]

    def adder_terms(self, op: cmvm.ShiftedBinaryOp) -> list[tuple[int, int]]:
        """The feasible (lhs, rhs) coefficients of the computed operands in the computed
        result; a constant operand can take either sign."""
        result, lhs_value, rhs_value = self._result_and_operands(op)
        own = self[result]
        choices = []
        for lhs in _choices(lhs_value, own * self[lhs_value]):
            for rhs in _choices(rhs_value, own * op.SIGN * self[rhs_value]):
                if (lhs, rhs) != (-1, -1):
                    choices.append((lhs, rhs))
        return choices

    def adder_feasible(self, op: cmvm.ShiftedBinaryOp) -> bool:
        """Whether ``adder_terms`` offers any terms: one of them can be +1."""
        result, lhs_value, rhs_value = self._result_and_operands(op)
        own = self[result]
        return (own * self[lhs_value] > 0 or own * op.SIGN * self[rhs_value] > 0
                or isinstance(lhs_value.owner, cmvm.ConstantOp) or isinstance(rhs_value.owner, cmvm.ConstantOp))

    def cost(self, op: Operation) -> float:
        """The width the op spends on a negation with the current signs."""
        if isinstance(op, ADDERS):
            return 0 if self.adder_feasible(op) else INFEASIBLE
        if isinstance(op, cmvm.NegOp | cmvm.ShiftOp):
            result, x = self._result_and_operands(op)
            passes = self[result] * self[x] * (-1 if isinstance(op, cmvm.NegOp) else 1)
            return 0 if passes > 0 else _width(x)
        return 0

    def best_terms(self, op: cmvm.ShiftedBinaryOp) -> tuple[int, int]:
        """The feasible terms that negate the fewest low bits, an add if possible."""
        lhs_f, rhs_f = _resolution(op.lhs), _resolution(op.rhs, op.amount)

        def negated_low_bits(terms):
            lhs, rhs = terms
            return max(0, rhs_f - lhs_f) if rhs < 0 else max(0, lhs_f - rhs_f) if lhs < 0 else 0

        return min(self.adder_terms(op), key=lambda t: (negated_low_bits(t), t != (1, 1)))


def _choices(value: SSAValue, coefficient: int) -> tuple[int, ...]:
    return (1, -1) if isinstance(value.owner, cmvm.ConstantOp) else (coefficient,)


def _users(value: SSAValue) -> Iterable[Operation]:
    return (use.operation for use in value.uses)


def _flippable(op: Operation) -> bool:
    """A signed op whose every user absorbs a sign (another signed op)."""
    return isinstance(op, SIGNED) and all(isinstance(u, SIGNED) for u in _users(op.results[0]))


def choose_signs(ops: list[Operation]) -> Signs:
    signs = Signs()
    candidates = [op for op in ops if _flippable(op)]
    # the ops whose cost a flip changes: the op and its users (read once, the IR is fixed)
    affected_by = {op: tuple({op, *_users(op.results[0])}) for op in candidates}
    for _ in range(MAX_ROUNDS):
        improved = False
        for op in candidates:
            affected = affected_by[op]
            before = sum(signs.cost(a) for a in affected)
            signs.flip(op.results[0])
            if sum(signs.cost(a) for a in affected) < before:
                improved = True
            else:
                signs.flip(op.results[0])
        if not improved:
            break
    return signs


class _Rebuilder:
    """Re-emits the signed ops of one block with the chosen signs, in place."""

    def __init__(self, signs: Signs):
        self.signs = signs
        self.computed: dict[SSAValue, SSAValue] = {}

    def operand(self, value: SSAValue, sign: int, before: Operation) -> SSAValue:
        """``sign * value``: a constant is negated as needed, any other value already has
        its chosen sign (adder_terms only offers those)."""
        if isinstance(value.owner, cmvm.ConstantOp):
            if sign > 0:
                return value
            m, f = value.owner.mantissa_and_f()
            return self.insert(cmvm.ConstantOp(-m, -f), before)
        assert sign == self.signs[value], "a term's sign must be its operand's chosen sign"
        return self.computed.get(value, value)

    def insert(self, op: Operation, before: Operation) -> SSAValue:
        before.parent_block().insert_op_before(op, before)
        return op.results[0]

    def rebuild(self, op: Operation) -> None:
        own = self.signs[op.results[0]]
        result_type = FxType(value_interval(op.results[0]) if own > 0 else -value_interval(op.results[0]))
        if isinstance(op, ADDERS):
            lhs_c, rhs_c = self.signs.best_terms(op)
            lhs = self.operand(op.lhs, lhs_c * own, op)
            rhs = self.operand(op.rhs, rhs_c * own * op.SIGN, op)
            if lhs_c > 0:
                new = (cmvm.AddOp if rhs_c > 0 else cmvm.SubOp)(lhs, rhs, op.amount, result_type)
            else:  # (rhs << s) - lhs
                shifted = self.insert(cmvm.ShiftOp(rhs, op.amount), op) if op.amount else rhs
                new = cmvm.SubOp(shifted, lhs, 0, result_type)
            self.computed[op.result] = self.insert(new, op)
            return
        x = self.computed.get(op.input, op.input)
        passes = own * self.signs[op.input] * (-1 if isinstance(op, cmvm.NegOp) else 1)
        if isinstance(op, cmvm.ShiftOp):
            negated = FxType(-value_interval(op.results[0]) if own > 0 else value_interval(op.results[0]))
            x = self.insert(cmvm.ShiftOp(x, op.amount.value.data, result_type if passes > 0 else negated), op)
        if passes < 0:
            x = self.insert(cmvm.NegOp(x, result_type), op)
        self.computed[op.results[0]] = x


def fold_negations(block_ops: list[Operation]) -> None:
    signs = choose_signs(block_ops)
    rebuilder = _Rebuilder(signs)
    # only ops whose result or an operand changes sign are rebuilt; the others stay
    changed = [op for op in block_ops if isinstance(op, SIGNED)
               and any(signs[v] < 0 for v in (*op.results, *op.operands))]
    for op in changed:
        rebuilder.rebuild(op)
    kept = set(block_ops) - set(changed)
    for op in block_ops:
        if op in kept:
            for i, operand in enumerate(op.operands):
                if operand in rebuilder.computed:
                    op.operands[i] = rebuilder.computed[operand]
    for op in reversed(changed):
        op.detach()
        op.erase()


@dataclass(frozen=True)
class CmvmFoldNegations(ModulePass):
    name = "cmvm-fold-negations"

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        for body in function_bodies(op):
            fold_negations(list(body.ops))
