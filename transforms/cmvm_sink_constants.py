"""cmvm-sink-constants: add a constant (a bias) where the adder tree has slack, not on top.

A dense layer's bias is one adder after the matrix's adder graph: ``y = tree + c`` costs a
whole adder level on every output whose tree is as deep as the layer.  Additions commute,
so the constant can join any branch of the tree instead: with ``tree = a + (b << k)`` and
a shallower than b, ``y = (a + c) + (b << k)`` is one level shallower and has the same
adders.  The pass follows, from every adder with one constant operand, the shallowest
branches down through adders that have no other user (a shared node cannot change), as
long as that lowers the depth of the result, and rebuilds that path with the constant at
its bottom (into a shifted operand as ``c / 2**k``, exact for dyadic constants; into a
subtracted operand with its sign flipped).  Nothing changes where no branch has slack.
Values off the path and the result's range stay the same; the rebuilt nodes get their
exact ranges.

Before (depths: %a 1, %b 2, %t 3, %y 4):

    %t = cmvm.add %a, %b shl 1 : ...
    %c = cmvm.constant 5 : !cmvm.fx<range<5,5,0>>
    %y = cmvm.add %t, %c : ...

After (%y at depth 3):

    %c = cmvm.constant 5 : !cmvm.fx<range<5,5,0>>
    %a2 = cmvm.add %a, %c : ...
    %y = cmvm.add %a2, %b shl 1 : ...
"""

from __future__ import annotations

from dataclasses import dataclass

from xdsl.context import Context
from xdsl.dialects.builtin import ModuleOp
from xdsl.ir import Block, Operation, SSAValue
from xdsl.passes import ModulePass
from xdsl.rewriter import InsertPoint, Rewriter

from ..dialects.cmvm import ops as cmvm
from ..dialects.cmvm.linear import Forms, exact_range
from ..dialects.cmvm.types import FxType
from .function_bodies import function_bodies

ADDERS = (cmvm.AddOp, cmvm.SubOp)
LEVEL_OPS = (cmvm.AddOp, cmvm.SubOp, cmvm.NegOp)

Constant = tuple[int, int]  # (value, shift): value * 2**shift


def _constant_term(op: Operation) -> tuple[SSAValue, int, Constant] | None:
    """``op == sign * x + c`` for an adder with one constant operand (and no shift on x)."""
    if not isinstance(op, ADDERS):
        return None
    lhs_const = isinstance(op.lhs.owner, cmvm.ConstantOp)
    rhs_const = isinstance(op.rhs.owner, cmvm.ConstantOp)
    if lhs_const == rhs_const:
        return None
    if rhs_const:  # x +- c * 2**k
        c = op.rhs.owner
        value = c.value.data if op.SIGN > 0 else -c.value.data
        return op.lhs, 1, (value, c.shift.value.data + op.amount)
    if op.amount:  # c +- x * 2**k: x is shifted, left alone
        return None
    c = op.lhs.owner
    return op.rhs, op.SIGN, (c.value.data, c.shift.value.data)


class Sinker:
    """Depths of a block's values, and the rewriting of one constant addition."""

    def __init__(self, block: Block):
        self.depth: dict[SSAValue, int] = {arg: 0 for arg in block.args}
        self.forms = Forms()
        # Forms caches by object id: every value and op the pass drops is kept alive, so no
        # new value can take the id of one it has seen
        self.retained: list[object] = []

    def level(self, op: Operation) -> None:
        d = max((self.depth.get(v, 0) for v in op.operands), default=0)
        for r in op.results:
            self.depth[r] = d + isinstance(op, LEVEL_OPS)

    def _plan(self, x: SSAValue, memo: dict) -> tuple[int, str | None]:
        """The least depth of ``+-x + c`` with c added inside x's private subtree, and
        which operand of x's adder the constant goes into (None: added on top)."""
        if x in memo:
            return memo[x]
        plain = (self.depth[x] + 1, None)
        op = x.owner
        if not isinstance(op, ADDERS) or not x.has_one_use():
            memo[x] = plain
            return plain
        via_lhs = max(self._plan(op.lhs, memo)[0], self.depth[op.rhs]) + 1
        via_rhs = max(self.depth[op.lhs], self._plan(op.rhs, memo)[0]) + 1
        best = min((plain, (via_lhs, "lhs"), (via_rhs, "rhs")), key=lambda t: t[0])  # ties: plain
        memo[x] = best
        return best

    def _new(self, op: Operation, at: InsertPoint) -> SSAValue:
        Rewriter.insert_op(op, at)
        if isinstance(op, cmvm.LinearOp):
            self.retained.append(op.results[0])
            Rewriter.replace_value_with_new_type(op.results[0], FxType(exact_range(op.results[0], self.forms)))
        self.level(op)
        return op.results[0]

    def _build(self, x: SSAValue, sign: int, c: Constant, memo: dict, at: InsertPoint, old: list[Operation]) -> SSAValue:
        """A value equal to ``sign * x + c`` along the planned path."""
        choice = self._plan(x, memo)[1]
        if choice is None:
            const = self._new(cmvm.ConstantOp(*c), at)
            return self._new(cmvm.AddOp(x, const) if sign > 0 else cmvm.SubOp(const, x), at)
        op = x.owner
        old.append(op)
        k, s = op.amount, op.SIGN  # x = lhs + s * rhs * 2**k
        if choice == "lhs":  # sign*x + c = (sign*lhs + c) + sign*s * rhs * 2**k
            a = self._build(op.lhs, sign, c, memo, at, old)
            return self._new(cmvm.AddOp(a, op.rhs, k) if sign * s > 0 else cmvm.SubOp(a, op.rhs, k), at)
        # sign*x + c = sign*lhs + (sign*s * rhs + c / 2**k) * 2**k
        b = self._build(op.rhs, sign * s, (c[0], c[1] - k), memo, at, old)
        if sign > 0:
            return self._new(cmvm.AddOp(op.lhs, b, k), at)
        if k:
            b = self._new(cmvm.ShiftOp(b, k), at)
        return self._new(cmvm.SubOp(b, op.lhs), at)

    def sink(self, op: Operation) -> bool:
        """Rewrite ``op`` (an adder with a constant operand) if that makes it shallower."""
        term = _constant_term(op)
        if term is None or term[2][0] == 0:
            return False
        x, sign, c = term
        memo: dict[SSAValue, tuple[int, str | None]] = {}
        if self._plan(x, memo)[1] is None:
            return False
        old: list[Operation] = [op]
        new = self._build(x, sign, c, memo, InsertPoint.before(op), old)
        result = Rewriter.replace_value_with_new_type(new, op.results[0].type)  # the same range
        self.depth[result] = self.depth.pop(new)
        self.retained += [new, op]
        op.results[0].replace_all_uses_with(result)
        old += [v.owner for v in op.operands if isinstance(v.owner, cmvm.ConstantOp)]
        for dead in old:
            if dead.parent is not None and all(r.first_use is None for r in dead.results):
                self.retained.append(dead)
                Rewriter.erase_op(dead)
        return True


def sink_constants(block: Block) -> int:
    """Sink every constant addition of a block; returns how many were rewritten."""
    sinker = Sinker(block)
    count = 0
    for op in list(block.ops):
        if op.parent is None:  # erased with an earlier path
            continue
        if sinker.sink(op):
            count += 1
        else:
            sinker.level(op)
    return count


@dataclass(frozen=True)
class CmvmSinkConstants(ModulePass):
    name = "cmvm-sink-constants"

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        for body in function_bodies(op):
            sink_constants(body)
