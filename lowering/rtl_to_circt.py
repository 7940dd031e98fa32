"""rtl-to-circt: ``rtl`` modules as CIRCT's ``hw`` / ``comb`` / ``seq`` operations.

Each ``rtl.module`` becomes an ``hw.module`` with the same ports (the clock first, as an
input of type ``!seq.clock``); each operation becomes its CIRCT counterpart:

    rtl.constant       hw.constant (the value written two's complement)
    rtl.add / sub      comb.add / comb.sub
    rtl.add3           one variadic comb.add of the added operands, less each subtracted
                       one by comb.sub (a - b - c: comb.sub twice)
    rtl.extract        comb.extract
    rtl.concat         comb.concat
    rtl.sext           comb.concat of comb.replicate of the sign bit (comb.extract) and x
    rtl.zext           comb.concat of a zero hw.constant and x
    rtl.icmp           comb.icmp (same predicates)
    rtl.mux            comb.mux
    rtl.rom            hw.array_create of the entries (last entry first, as CIRCT orders
                       arrays) and hw.array_get at the index
    rtl.reg            seq.compreg on the clock
    rtl.output         hw.output

Before:

    rtl.module @f(%x: i4 fixed<1,3,0>) -> (y: i5 fixed<1,4,0>) clock "clk" latency 1 {
      %a = rtl.sext %x : i4 to i5
      %r = rtl.reg %a : i5
      rtl.output %r : i5
    }

After:

    hw.module @f(in %clk: !seq.clock, in %x: i4, out y: i5) {
      %0 = comb.extract %x from 3 : (i4) -> i1
      %1 = comb.replicate %0 : (i1) -> i1
      %a = comb.concat %1, %x {sv.namehint = "a"} : i1, i4
      %r = seq.compreg %a, %clk {sv.namehint = "r"} : i5
      hw.output %r : i5
    }

Named values keep their names as ``sv.namehint`` (so CIRCT's Verilog has our wire
names).  The ports' fixed-point formats and the module's latency have no place in
``hw.module``; they stay in the rtl IR (and in the Verilog and VHDL targets' comments).

Each rtl operation has one handler in ``HANDLERS`` (operation class -> function returning
the CIRCT value of its result), so a new rtl operation is one function and one entry.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from xdsl.context import Context
from xdsl.dialects import builtin, comb, hw, seq
from xdsl.dialects.builtin import ArrayAttr, IntegerAttr, StringAttr, i32
from xdsl.ir import Block, Operation, Region, SSAValue
from xdsl.passes import ModulePass

from ..dialects import rtl
from ..dialects.rtl import bits, width_of
from ..errors import CompileError


@dataclass(frozen=True)
class RtlToCirct(ModulePass):
    """Replace every ``rtl.module`` by the equivalent ``hw.module``."""

    name = "rtl-to-circt"

    def apply(self, ctx: Context, op: builtin.ModuleOp) -> None:
        for module in list(op.ops):
            if isinstance(module, rtl.ModuleOp):
                op.body.block.insert_op_before(ModuleLowering(module).lower(), module)
                module.detach()
                module.erase()


def _port(name: str, typ, direction: hw.Direction) -> hw.ModulePort:
    return hw.ModulePort(StringAttr(name), typ, hw.DirectionAttr(direction))


class ModuleLowering:
    """The ``hw.module`` of one ``rtl.module``, built operation by operation."""

    def __init__(self, module: rtl.ModuleOp):
        self.module = module
        self.values: dict[SSAValue, SSAValue] = {}
        self.constants: dict[tuple[int, int], SSAValue] = {}
        self.clock: SSAValue | None = None
        types = [arg.type for arg in module.block.args]
        if module.clock is not None:
            types.insert(0, seq.ClockType())
        self.block = Block(arg_types=types)

    def emit(self, op: Operation, hint: str | None = None) -> SSAValue:
        """Append ``op``; a value with a name keeps it in the IR and, as CIRCT's
        ``sv.namehint``, in the Verilog CIRCT exports."""
        self.block.add_op(op)
        result = op.results[0]
        result.name_hint = hint
        if hint:
            op.attributes["sv.namehint"] = StringAttr(hint)
        return result

    def constant(self, value: int, width: int) -> SSAValue:
        """``value``'s low ``width`` bits, one hw.constant per value and width."""
        pattern = value % (1 << width)
        key = (pattern, width)
        if key not in self.constants:
            signed = pattern - (1 << width) if pattern >> (width - 1) else pattern
            self.constants[key] = self.emit(hw.ConstantOp(signed, bits(width)))
        return self.constants[key]

    def __getitem__(self, value: SSAValue) -> SSAValue:
        return self.values[value]

    def lower(self) -> hw.HWModuleOp:
        module = self.module
        ports: list[hw.ModulePort] = []
        args = list(self.block.args)
        if module.clock is not None:
            self.clock = args.pop(0)
            self.clock.name_hint = module.clock.data
            ports.append(_port(module.clock.data, seq.ClockType(), hw.Direction.INPUT))
        for (name, value, _), arg in zip(module.inputs, args):
            arg.name_hint = name
            self.values[value] = arg
            ports.append(_port(name, value.type, hw.Direction.INPUT))
        for name, value, _ in module.outputs:
            ports.append(_port(name, value.type, hw.Direction.OUTPUT))
        for op in module.block.ops:
            if isinstance(op, rtl.OutputOp):
                continue
            handler = HANDLERS.get(type(op))
            if handler is None:
                raise CompileError(op.name, "rtl-to-circt does not know this operation")
            self.values[op.results[0]] = handler(self, op)
        self.block.add_op(hw.OutputOp([self[v] for _, v, _ in module.outputs]))
        return hw.HWModuleOp(
            StringAttr(module.sym_name.data), hw.ModuleType(ArrayAttr(ports)), Region(self.block)
        )


# ---------------------------------------------------------------------------------------
# One handler per rtl operation


def _constant(m: ModuleLowering, op: rtl.ConstantOp) -> SSAValue:
    return m.constant(op.bits_value, width_of(op.result))


def _add(m: ModuleLowering, op: rtl.AddOp) -> SSAValue:
    return m.emit(comb.AddOp([m[op.lhs], m[op.rhs]]), op.result.name_hint)


def _sub(m: ModuleLowering, op: rtl.SubOp) -> SSAValue:
    return m.emit(comb.SubOp(m[op.lhs], m[op.rhs]), op.result.name_hint)


def _add3(m: ModuleLowering, op: rtl.TernaryAddOp) -> SSAValue:
    operands = [m[op.a], m[op.b], m[op.c]]
    added = [v for v, negated in zip(operands, op.negated) if not negated]
    subtracted = [v for v, negated in zip(operands, op.negated) if negated]
    hint = op.result.name_hint
    total = added[0] if len(added) == 1 else m.emit(comb.AddOp(added), None if subtracted else hint)
    for k, value in enumerate(subtracted):
        total = m.emit(comb.SubOp(total, value), hint if k + 1 == len(subtracted) else None)
    return total


def _extract(m: ModuleLowering, op: rtl.ExtractOp) -> SSAValue:
    return m.emit(
        comb.ExtractOp(m[op.input], IntegerAttr(op.low, i32), op.result.type),
        op.result.name_hint,
    )


def _concat(m: ModuleLowering, op: rtl.ConcatOp) -> SSAValue:
    return m.emit(comb.ConcatOp([m[v] for v in op.inputs], op.result.type), op.result.name_hint)


def _sext(m: ModuleLowering, op: rtl.SExtOp) -> SSAValue:
    width, extra = width_of(op.input), width_of(op.result) - width_of(op.input)
    if extra == 0:
        return m[op.input]
    sign = m.emit(comb.ExtractOp(m[op.input], IntegerAttr(width - 1, i32), bits(1)))
    copies = m.emit(comb.ReplicateOp(sign, bits(extra)))
    return m.emit(comb.ConcatOp([copies, m[op.input]], op.result.type), op.result.name_hint)


def _zext(m: ModuleLowering, op: rtl.ZExtOp) -> SSAValue:
    extra = width_of(op.result) - width_of(op.input)
    if extra == 0:
        return m[op.input]
    zeros = m.constant(0, extra)
    return m.emit(comb.ConcatOp([zeros, m[op.input]], op.result.type), op.result.name_hint)


def _icmp(m: ModuleLowering, op: rtl.ICmpOp) -> SSAValue:
    return m.emit(comb.ICmpOp(m[op.lhs], m[op.rhs], op.predicate.data), op.result.name_hint)


def _mux(m: ModuleLowering, op: rtl.MuxOp) -> SSAValue:
    return m.emit(
        comb.MuxOp(m[op.cond], m[op.true_value], m[op.false_value]), op.result.name_hint
    )


def _rom(m: ModuleLowering, op: rtl.RomOp) -> SSAValue:
    width = width_of(op.result)
    entries = [m.constant(e, width) for e in op.entries]
    table = m.emit(hw.ArrayCreateOp(*reversed(entries)))
    return m.emit(hw.ArrayGetOp(table, m[op.index]), op.result.name_hint)


def _reg(m: ModuleLowering, op: rtl.RegOp) -> SSAValue:
    assert m.clock is not None  # the rtl verifier: registers need a clock
    return m.emit(seq.CompRegOp(m[op.input], m.clock), op.result.name_hint)


HANDLERS: dict[type[Operation], Callable[[ModuleLowering, Operation], SSAValue]] = {
    rtl.ConstantOp: _constant,
    rtl.AddOp: _add,
    rtl.SubOp: _sub,
    rtl.TernaryAddOp: _add3,
    rtl.ExtractOp: _extract,
    rtl.ConcatOp: _concat,
    rtl.SExtOp: _sext,
    rtl.ZExtOp: _zext,
    rtl.ICmpOp: _icmp,
    rtl.MuxOp: _mux,
    rtl.RomOp: _rom,
    rtl.RegOp: _reg,
}
"""How each rtl operation is lowered: a new operation adds one function here."""
