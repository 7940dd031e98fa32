"""rtl-cse: one copy of identical rtl logic, and no logic that nothing reads.

The result is exactly that of xDSL's generic ``cse`` on rtl modules, at a fraction of its
cost: the generic pass hashes every attribute of every op (types and properties are trees
of attribute objects), while an rtl op is fully described by its kind, its operands, its
width and at most one property, which this pass reads as plain Python values.

Within each ``rtl.module``, in order: an op whose results nothing uses is erased; an op
equal to an earlier kept one (same kind, operands, result width and properties) is
replaced by it and erased; otherwise it is kept.  Registers (not pure: they hold state)
and the terminator are left alone.  As in the generic pass, an op is judged dead or
equal as it is reached, so an op that only becomes unused through an erasure stays.

Before:

    %a = rtl.sext %x : i4 to i6
    %b = rtl.sext %x : i4 to i6
    %d = rtl.extract %x from 1 : i4 to i2     (nothing reads it)
    %s = rtl.add %a, %b : i6

After:

    %a = rtl.sext %x : i4 to i6
    %s = rtl.add %a, %a : i6
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass

from xdsl.context import Context
from xdsl.dialects.builtin import ModuleOp
from xdsl.ir import Block, Operation
from xdsl.passes import ModulePass

from ..dialects import rtl
from ..dialects.rtl import width_of

_PROPERTY_KEYS: dict[type[Operation], Callable[[Operation], Hashable]] = {
    rtl.ConstantOp: lambda op: op.value.value.data,
    rtl.ExtractOp: lambda op: op.low,
    rtl.ICmpOp: lambda op: op.predicate.data,
    rtl.RomOp: lambda op: op.table.data.data,  # the packed entries: hashed at C speed
}
"""Each rtl op kind with properties: the plain value its one property holds."""


def _properties_key(op: Operation) -> Hashable:
    """What makes ``op``'s properties and attributes equal to another's of its kind."""
    read = _PROPERTY_KEYS.get(type(op))
    key = read(op) if read is not None else tuple(sorted(op.properties.items()))
    return (key, tuple(sorted(op.attributes.items()))) if op.attributes else key


def eliminate_common_subexpressions(block: Block) -> None:
    """Erase the dead and the repeated pure ops of one rtl module's body."""
    known: dict[Hashable, Operation] = {}
    erased: list[Operation] = []
    for op in block.ops:
        if isinstance(op, rtl.OutputOp | rtl.RegOp):
            continue
        if all(result.first_use is None for result in op.results):
            erased.append(op)
            continue
        key = (type(op), tuple(op.operands), tuple(width_of(r) for r in op.results),
               _properties_key(op))
        existing = known.get(key)
        if existing is None:
            known[key] = op
            continue
        for old, new in zip(op.results, existing.results, strict=True):
            old.replace_all_uses_with(new)
        erased.append(op)
    for op in erased:
        block.erase_op(op)


@dataclass(frozen=True)
class RtlCse(ModulePass):
    name = "rtl-cse"

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        for module in op.body.block.ops:
            if isinstance(module, rtl.ModuleOp):
                eliminate_common_subexpressions(module.block)
