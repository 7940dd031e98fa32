"""Which operations and which bits of each value some output of a module depends on.

Synthesis removes logic no output reads, bit by bit, so resource estimates count live
bits only.  Bits flow backwards from the outputs: an extract needs its slice, a concat
hands each operand its part, an extension needs the input bits it copies (and the sign
bit for any extended bit), a register needs what its output gives, and an adder needs
every operand bit up to its highest live result bit (carries flow upwards).
"""

from __future__ import annotations

from xdsl.ir import Operation, SSAValue

from . import (
    AddOp,
    ConcatOp,
    ConstantOp,
    ExtractOp,
    ModuleOp,
    MuxOp,
    OutputOp,
    RegOp,
    SExtOp,
    SubOp,
    TernaryAddOp,
    ZExtOp,
    width_of,
)


def _full(value: SSAValue) -> int:
    return (1 << width_of(value)) - 1


def _operand_masks(op: Operation, live: int) -> list[int]:
    """The bits of each operand that ``live`` bits of the op's result need."""
    match op:
        case OutputOp():
            return [_full(v) for v in op.operands]
        case RegOp():
            return [live]
        case ExtractOp():
            return [live << op.low]
        case ConcatOp():
            masks, offset = [], width_of(op.result)
            for operand in op.inputs:
                offset -= width_of(operand)
                masks.append((live >> offset) & _full(operand))
            return masks
        case SExtOp() | ZExtOp():
            mask = live & _full(op.input)
            if isinstance(op, SExtOp) and live >> (width_of(op.input) - 1):
                mask |= 1 << (width_of(op.input) - 1)
            return [mask]
        case AddOp() | SubOp():
            below = (1 << live.bit_length()) - 1
            return [below, below]
        case TernaryAddOp():
            below = (1 << live.bit_length()) - 1
            return [below, below, below]
        case MuxOp():
            return [1 if live else 0, live, live]
    # Comparisons and ROMs need every bit of their operands to give any result bit.
    return [_full(v) if live else 0 for v in op.operands]


def live_bits(module: ModuleOp) -> dict[SSAValue, int]:
    """For every value, the mask of its bits some output depends on (0: dead)."""
    live: dict[SSAValue, int] = {}
    for op in reversed(list(module.block.ops)):
        result = live.get(op.results[0], 0) if op.results else 0
        for operand, mask in zip(op.operands, _operand_masks(op, result)):
            live[operand] = live.get(operand, 0) | mask
    return live


def live_operations(module: ModuleOp) -> set[Operation]:
    """The operations some output depends on (synthesis removes the others)."""
    masks = live_bits(module)
    return {
        op for op in module.block.ops if op.results and masks.get(op.results[0], 0)
    }


def distinct_register_bits(module: ModuleOp, masks: dict[SSAValue, int] | None = None) -> int:
    """Live register bits that hold distinct signals.  Two registers holding the same
    source bits (one of a value, one of a slice or extension of it) are one flip-flop
    after synthesis, which merges registers with the same input.  A bit's identity is
    traced through wiring to the adder, ROM, comparison, mux or input it comes from.
    ``masks``: the module's ``live_bits``, when the caller has them already."""
    masks = live_bits(module) if masks is None else masks
    registers = [op for op in module.block.ops if isinstance(op, RegOp)]
    identity = _bit_identities(module, _register_sources(registers))
    distinct: set[object] = set()
    for reg in registers:
        live = masks.get(reg.result, 0)
        distinct.update(
            ("reg", b) for k, b in enumerate(identity[reg.input]) if live >> k & 1 and b not in (0, 1)
        )
    return len(distinct)


_WIRING = (ExtractOp, ConcatOp, SExtOp, ZExtOp, ConstantOp, RegOp)
"""Operations whose result bits are copies of operand bits (or constants)."""


def _register_sources(registers: list[RegOp]) -> set[SSAValue]:
    """The register inputs and every value they copy bits from through wiring."""
    needed: set[SSAValue] = set()
    pending = [reg.input for reg in registers]
    while pending:
        value = pending.pop()
        if value in needed:
            continue
        needed.add(value)
        if isinstance(value.owner, _WIRING):
            pending.extend(value.owner.operands)
    return needed


def _bit_identities(module: ModuleOp, needed: set[SSAValue]) -> dict[SSAValue, list[object]]:
    """For each ``needed`` value, the identity of each of its bits: 0 or 1 for a constant
    bit, else the (input index or operation, bit) it is a copy of; a register's bit is
    ``("reg", identity of its input's bit)``."""
    identity: dict[SSAValue, list[object]] = {
        arg: [(index, bit) for bit in range(width_of(arg))]
        for index, arg in enumerate(module.block.args)
        if arg in needed
    }
    for op in module.block.ops:
        if not op.results or op.results[0] not in needed:
            continue
        result = op.results[0]
        match op:
            case ExtractOp():
                bits = identity[op.input][op.low : op.low + width_of(result)]
            case ConcatOp():
                bits = [b for operand in reversed(op.inputs) for b in identity[operand]]
            case SExtOp():
                source = identity[op.input]
                bits = source + source[-1:] * (width_of(result) - len(source))
            case ZExtOp():
                source = identity[op.input]
                bits = source + [0] * (width_of(result) - len(source))
            case ConstantOp():
                bits = [(op.bits_value >> k) & 1 for k in range(width_of(result))]
            case RegOp():
                bits = [("reg", b) for b in identity[op.input]]
            case _:
                bits = [(op, k) for k in range(width_of(result))]
        identity[result] = bits
    return identity
