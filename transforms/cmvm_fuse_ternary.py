"""cmvm-fuse-ternary: fuse an adder into its only user, making one three-operand adder.

``x = a ± (b << s)`` followed by ``y = x ± (c << t)`` (or ``y = d ± (x << t)``), where
nothing else reads x, becomes ``y = a ± (b << s) ± (c << t)``: one ``cmvm.add3``.  On
Xilinx 7-series and UltraScale a three-input adder costs one LUT6_2 per bit on the carry
chain, the same as a two-input adder (see backends/xilinx_primitives.py), so each fusion
saves the LUTs of x.  Ranges are unchanged: y keeps its type, x disappears.

The single-use adders form a forest (each points to its one user); pairs are chosen
leaf-first in program order, which is a maximum matching of a forest, so the number of
adders removed is the most that pairwise fusion can remove.

Before (T = !cmvm.fx<fixed<1,7,0>>):

    %x = cmvm.sub %a, %b shl 1 : (T, T) -> !cmvm.fx<range<-382,383,0>>
    %y = cmvm.add %c, %x shl 2 : (T, !cmvm.fx<range<-382,383,0>>) -> !cmvm.fx<range<-1656,1659,0>>

After:

    %y = cmvm.add3 %c, %a, %b shl [0, 2, 3] signs [1, 1, -1] : (T, T, T) -> !cmvm.fx<range<-1656,1659,0>>
"""

from __future__ import annotations

from dataclasses import dataclass

from xdsl.context import Context
from xdsl.dialects import func
from xdsl.dialects.builtin import ModuleOp
from xdsl.ir import Block
from xdsl.passes import ModulePass
from xdsl.rewriter import Rewriter

from ..dialects.cmvm import ops as cmvm

Term = tuple  # (value, shift, sign)


def adder_terms(op: cmvm.ShiftedBinaryOp) -> list[Term]:
    """``a ± (b << s)`` as its signed, shifted terms."""
    return [(op.lhs, 0, 1), (op.rhs, op.amount, op.SIGN)]


def fused_terms(inner: cmvm.ShiftedBinaryOp, outer: cmvm.ShiftedBinaryOp) -> list[Term]:
    """The terms of ``outer`` with ``inner``'s result replaced by ``inner``'s terms."""
    out: list[Term] = []
    for value, shift, sign in adder_terms(outer):
        if value is inner.result:
            out += [(v, s + shift, g * sign) for v, s, g in adder_terms(inner)]
        else:
            out.append((value, shift, sign))
    return out


def fusable_pairs(block: Block) -> list[tuple[cmvm.ShiftedBinaryOp, cmvm.ShiftedBinaryOp]]:
    """(inner, outer) pairs: inner's only user is outer, each adder in at most one pair."""
    taken: set[cmvm.ShiftedBinaryOp] = set()
    pairs = []
    for op in block.ops:
        if not isinstance(op, cmvm.ShiftedBinaryOp) or op in taken:
            continue
        uses = list(op.result.uses)
        if len(uses) != 1:
            continue
        user = uses[0].operation
        if not isinstance(user, cmvm.ShiftedBinaryOp) or user in taken or user.parent is not block:
            continue
        if user.lhs is user.rhs:  # x + (x << t): x has two uses
            continue
        taken.update((op, user))
        pairs.append((op, user))
    return pairs


def fuse_block(block: Block) -> int:
    """Fuse every chosen pair in ``block``; returns how many adders were removed."""
    pairs = fusable_pairs(block)
    for inner, outer in pairs:
        terms = fused_terms(inner, outer)
        fused = cmvm.TernaryAddOp([t[0] for t in terms], [t[1] for t in terms], [t[2] for t in terms],
                                  outer.result.type)
        fused.result.name_hint = outer.result.name_hint
        Rewriter.replace_op(outer, fused)
        Rewriter.erase_op(inner)
    return len(pairs)


@dataclass(frozen=True)
class CmvmFuseTernary(ModulePass):
    name = "cmvm-fuse-ternary"

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        for function in op.walk():
            if isinstance(function, func.FuncOp) and function.body.blocks:
                fuse_block(function.body.block)
