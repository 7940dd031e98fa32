"""rtl-pack-luts: a small adder cone over at most six input bits becomes one ROM (LUTs).

Distributed arithmetic proper: where an adder (``add``, ``sub``, ``add3``) together with
the adders and wiring feeding only it depends on at most six bits in all (six 1-bit
activations, three 2-bit ones), its value is a function of those bits, one 6-input LUT per
output bit (two per LUT6_2 with five inputs or fewer), with no carry chain.  The cone
grows from each adder, last first, through producers whose every use is inside it (see
``grow_cone``); when its leaves total at most six bits it is replaced if the LUT estimate of the ROM
(dialects/rtl/area.py) is below that of its adders.  The table is the cone's own output
for every input pattern, computed by the rtl interpreter, so the result is exact.

Before (a, b, c: 2-bit activations):

    %0 = rtl.zext %a : i2 to i4
    %1 = rtl.zext %b : i2 to i4
    %2 = rtl.zext %c : i2 to i4
    %s = rtl.add %0, %1 : i4
    %t = rtl.sub %s, %2 : i4

After (the table at index c a b holds a + b - c modulo 16):

    %0 = rtl.concat %c, %a, %b : i2, i2, i2
    %t = rtl.rom %0 [0, 1, 2, 3, 1, 2, 3, 4, 2, ..., 15, 0, 1, 2, 3] : i6 -> i4
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from xdsl.context import Context
from xdsl.dialects import builtin
from xdsl.ir import Operation, OpResult, SSAValue
from xdsl.passes import ModulePass
from xdsl.rewriter import InsertPoint, Rewriter

from ..dialects import rtl
from ..dialects.rtl import width_of
from ..dialects.rtl.area import estimated_luts
from ..interpreters.rtl import simulate
from ..numerics import Format

MAX_BITS = 6
GROWTH_BITS = 48
"""Most leaf bits while a cone grows: its adders may first widen it, their wiring then
narrows it to the activations."""
ADDERS = (rtl.AddOp, rtl.SubOp, rtl.TernaryAddOp)
WIRING = (rtl.ExtractOp, rtl.ConcatOp, rtl.SExtOp, rtl.ZExtOp, rtl.ConstantOp)


@dataclass
class Cone:
    ops: list[Operation]  # each after the ops it reads
    leaves: list[SSAValue]  # outside values it reads, in first-use order

    @property
    def bits(self) -> int:
        return sum(width_of(v) for v in self.leaves)


def grow_cone(root: Operation) -> Cone:
    """The cone of ``root``: every adder whose every use is inside it, and the wiring that
    does not widen its leaves (an extension or a concatenation does not; a slice of a
    wider value does), grown until nothing more joins.  Its leaves may total more than
    MAX_BITS (then it is not packed; smaller cones inside it are tried on their own)."""
    inside: set[Operation] = {root}
    leaves: list[SSAValue] = list(dict.fromkeys(root.operands))
    changed = True
    while changed:
        changed = False
        for value in list(leaves):
            producer = value.op if isinstance(value, OpResult) else None
            if not isinstance(producer, ADDERS + WIRING) or producer.parent is not root.parent:
                continue
            if any(use.operation not in inside for use in value.uses):
                continue
            new_leaves = [v for v in leaves if v is not value]
            new_leaves += [v for v in dict.fromkeys(producer.operands) if v not in new_leaves]
            total, before = sum(width_of(v) for v in new_leaves), sum(width_of(v) for v in leaves)
            if total > GROWTH_BITS or (isinstance(producer, WIRING) and total > before):
                continue
            inside.add(producer)
            leaves = new_leaves
            changed = True
    return Cone(operands_first(root, inside), leaves)


def operands_first(root: Operation, inside: set[Operation]) -> list[Operation]:
    """The ops of ``inside`` in an order where each comes after those it reads."""
    order: list[Operation] = []
    seen: set[Operation] = set()
    stack: list[tuple[Operation, bool]] = [(root, False)]
    while stack:
        op, expanded = stack.pop()
        if expanded:
            order.append(op)
            continue
        if op in seen:
            continue
        seen.add(op)
        stack.append((op, True))
        for value in op.operands:
            producer = value.op if isinstance(value, OpResult) else None
            if producer in inside and producer not in seen:
                stack.append((producer, False))
    return order


def rom_luts(index_bits: int, width: int) -> int:
    """The estimate of a ROM (dialects/rtl/area.py's model), without building one."""
    return math.ceil(width / 2) if index_bits <= 5 else width


def truth_table(cone: Cone, root: Operation) -> list[int]:
    """The root's bit pattern for every value of the concatenated leaves (first leaf most
    significant), by running a copy of the cone in the rtl interpreter."""
    widths = [width_of(v) for v in cone.leaves]
    module = rtl.ModuleOp("cone", [(f"l{i}", w, Format(0, w, 0)) for i, w in enumerate(widths)],
                          [("y", width_of(root.results[0]), Format(0, width_of(root.results[0]), 0))])
    mapping = dict(zip(cone.leaves, module.block.args))
    for op in cone.ops:
        copy = op.clone(value_mapper=mapping)
        module.block.add_op(copy)
        mapping.update(zip(op.results, copy.results))
    module.block.add_op(rtl.OutputOp([mapping[root.results[0]]]))
    n = sum(widths)
    patterns = np.arange(1 << n, dtype=np.int64)
    columns, shift = [], n
    for w in widths:
        shift -= w
        columns.append((patterns >> shift) & ((1 << w) - 1))
    return [int(v) for v in simulate(module, np.stack(columns, axis=1))[:, 0]]


def pack_module(module: rtl.ModuleOp) -> int:
    """Replace every profitable cone in ``module`` by a ROM; returns how many."""
    packed = 0
    for root in reversed(list(module.block.ops)):
        if not isinstance(root, ADDERS) or root.parent is None:
            continue
        cone = grow_cone(root)
        if not cone.leaves or cone.bits > MAX_BITS:
            continue
        width = width_of(root.results[0])
        adders = sum(estimated_luts(op) for op in cone.ops if isinstance(op, ADDERS))
        if rom_luts(cone.bits, width) >= adders:
            continue
        table = truth_table(cone, root)
        index = cone.leaves[0]
        new_ops: list[Operation] = []
        if len(cone.leaves) > 1:
            new_ops.append(rtl.ConcatOp(cone.leaves))
            index = new_ops[-1].results[0]
        new_ops.append(rtl.RomOp(index, table, width))
        Rewriter.insert_op(new_ops, InsertPoint.before(root))
        root.results[0].replace_all_uses_with(new_ops[-1].results[0])
        for op in reversed(cone.ops):
            module.block.erase_op(op)
        packed += 1
    return packed


@dataclass(frozen=True)
class RtlPackLuts(ModulePass):
    name = "rtl-pack-luts"

    def apply(self, ctx: Context, op: builtin.ModuleOp) -> None:
        for module in [m for m in op.walk() if isinstance(m, rtl.ModuleOp)]:
            pack_module(module)
