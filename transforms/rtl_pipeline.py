"""rtl-pipeline{cutoff=N carry_cutoff=M clock_period=T}: registers so that no path
between registers exceeds a delay budget, balanced so that every output has the same
latency.

``cutoff`` bounds a stage's adder levels, ``carry_cutoff`` its carry-chain bits,
``clock_period`` its estimated delay in ns from both (see dialects/rtl/delay.py for the
model and its constants); 0 (the default) leaves that bound out, and with all three 0
the pass changes nothing (the design stays combinational).

No retiming: operations are placed greedily, as soon as possible, in program order.  An
operation goes in the latest stage of its operands; if that would push the stage past the
budget it starts the next stage instead (an operation bigger than the whole budget gets a
stage of its own).  Wiring that widens a value (extensions, concatenations) then moves
down to the stage of its first user, so registers hold the narrow value (on random adder
trees this saves about a third of the flip-flops).  Every operand produced in an earlier
stage reaches its user through a chain of registers, shared by all users of the value;
every output is delayed to the latest output's stage.  The module gets a clock (``clk``
unless taken) and its latency in cycles.  Last, a register that would copy bits of a
value whose own registers hold them already (a slice, an extension or a concatenation of
registered values) is replaced by the same wiring on those registers.

Before (cutoff=1):

    rtl.module @m(%a: i8 fixed<0,8,0>, %b: i8 fixed<0,8,0>, %c: i8 fixed<0,8,0>)
        -> (y: i8 fixed<0,8,0>) {
      %s = rtl.add %a, %b : i8
      %t = rtl.add %s, %c : i8
      rtl.output %t : i8
    }

After:

    rtl.module @m(%a: i8 fixed<0,8,0>, %b: i8 fixed<0,8,0>, %c: i8 fixed<0,8,0>)
        -> (y: i8 fixed<0,8,0>) clock "clk" latency 1 {
      %c_r1 = rtl.reg %c : i8
      %s = rtl.add %a, %b : i8
      %s_r1 = rtl.reg %s : i8
      %t = rtl.add %s_r1, %c_r1 : i8
      rtl.output %t : i8
    }
"""

from __future__ import annotations

from dataclasses import dataclass

from xdsl.context import Context
from xdsl.dialects import builtin
from xdsl.dialects.builtin import IntegerAttr, StringAttr, i64
from xdsl.ir import Operation, SSAValue
from xdsl.passes import ModulePass
from xdsl.rewriter import InsertPoint, Rewriter

from ..dialects import rtl
from ..dialects.rtl import width_of
from ..dialects.rtl.delay import START, Arrival, stage_delay_ns
from ..errors import CompileError


@dataclass(frozen=True)
class _Timing:
    """Where a value becomes available: its stage and its delay within that stage."""

    stage: int
    arrival: Arrival


@dataclass(frozen=True)
class RtlPipeline(ModulePass):
    name = "rtl-pipeline"

    cutoff: int = 0
    """Most adder levels between two registers; 0 = unbounded."""

    carry_cutoff: int = 0
    """Most carry-chain bits between two registers; 0 = unbounded."""

    clock_period: float = 0
    """Most estimated delay between two registers, in ns; 0 = unbounded."""

    def apply(self, ctx: Context, op: builtin.ModuleOp) -> None:
        if self.cutoff < 0 or self.carry_cutoff < 0 or self.clock_period < 0:
            raise CompileError("rtl-pipeline", "cutoff, carry_cutoff and clock_period must be >= 0")
        if self.cutoff == 0 and self.carry_cutoff == 0 and self.clock_period == 0:
            return
        for module in [m for m in op.walk() if isinstance(m, rtl.ModuleOp)]:
            self._pipeline(module)

    # -- scheduling ----------------------------------------------------------------------

    def _over_budget(self, arrival: Arrival) -> bool:
        return (self.cutoff > 0 and arrival.levels > self.cutoff) or (
            self.carry_cutoff > 0 and arrival.carry > self.carry_cutoff
        ) or (
            self.clock_period > 0 and stage_delay_ns(arrival.levels, arrival.carry) > self.clock_period
        )

    def _schedule(self, module: rtl.ModuleOp) -> dict[SSAValue, _Timing | None]:
        """Stage and arrival of every value; None for static (constant-only) values."""
        timing: dict[SSAValue, _Timing | None] = {
            arg: _Timing(0, START) for arg in module.block.args
        }
        for op in module.block.ops:
            if isinstance(op, rtl.OutputOp):
                continue
            timed = [t for t in (timing[v] for v in op.operands) if t is not None]
            placed = self._place(op, timed) if timed else None
            for result in op.results:
                timing[result] = placed
        _sink_widening_wiring(module, timing)
        return timing

    def _place(self, op: Operation, operands: list[_Timing]) -> _Timing:
        stage = max(t.stage for t in operands)
        start = Arrival.latest([t.arrival for t in operands if t.stage == stage])
        arrival = start.after(op)
        if self._over_budget(arrival) and start != START:
            stage, arrival = stage + 1, START.after(op)
        return _Timing(stage, arrival)

    # -- rewriting -----------------------------------------------------------------------

    def _pipeline(self, module: rtl.ModuleOp) -> None:
        where = f"rtl.module @{module.sym_name.data}"
        if any(isinstance(o, rtl.RegOp) for o in module.block.ops):
            raise CompileError(where, "rtl-pipeline expects a combinational module, this one has registers")
        timing = self._schedule(module)
        delays = _DelayChains(module, timing)
        for op in list(module.block.ops):
            if isinstance(op, rtl.OutputOp):
                continue
            placed = timing[op.results[0]] if op.results else None
            if placed is not None:
                delays.retime_operands(op, placed.stage)
        output = module.output_op
        stages = [t.stage for t in (timing[v] for v in output.outputs) if t is not None]
        latency = max(stages, default=0)
        delays.retime_operands(output, latency)
        delays.reuse_source_registers()
        if delays.created:
            module.clock = StringAttr(_free_clock_name(module))
        module.latency = IntegerAttr(latency, i64)


_WIRING = (rtl.ExtractOp, rtl.ConcatOp, rtl.SExtOp, rtl.ZExtOp)


def _sink_widening_wiring(module: rtl.ModuleOp, timing: dict[SSAValue, _Timing | None]) -> None:
    """Move wiring that widens (extensions, concatenations with constants) to the stage
    of its first user, so registers hold the narrower operands instead of the wider
    result.  Wiring adds no delay, so no stage's budget changes."""
    ops = list(module.block.ops)
    output_stages = [t.stage for t in (timing[v] for v in module.output_op.outputs) if t]
    latency = max(output_stages, default=0)

    def consumed_at(user: Operation) -> int:
        if isinstance(user, rtl.OutputOp):
            return latency
        placed = timing[user.results[0]]
        assert placed is not None  # it reads a timed value
        return placed.stage

    for op in reversed(ops):
        if not isinstance(op, _WIRING) or timing[op.results[0]] is None:
            continue
        result = op.results[0]
        first_use = min((consumed_at(use.operation) for use in result.uses), default=None)
        placed = timing[result]
        if first_use is None or first_use <= placed.stage:
            continue
        operand_bits = sum(width_of(v) for v in set(op.operands) if timing[v] is not None)
        if operand_bits <= width_of(result):
            timing[result] = _Timing(first_use, START)


class _DelayChains:
    """One chain of registers per value, shared by all users that need it delayed."""

    def __init__(self, module: rtl.ModuleOp, timing: dict[SSAValue, _Timing | None]):
        self.block = module.block
        self.port_names = {arg: name for name, arg, _ in module.inputs}
        self.timing = timing
        self.chains: dict[SSAValue, list[SSAValue]] = {}
        self.origin: dict[SSAValue, tuple[SSAValue, int]] = {}  # chain entry -> (value, delay)
        self.created = 0
        self.last_port_register: rtl.RegOp | None = None

    def retime_operands(self, op: Operation, stage: int) -> None:
        for index, operand in enumerate(op.operands):
            t = self.timing[operand]
            if t is not None and t.stage < stage:
                op.operands[index] = self.delayed(operand, stage - t.stage)

    def delayed(self, value: SSAValue, cycles: int) -> SSAValue:
        chain = self.chains.setdefault(value, [value])
        while len(chain) <= cycles:
            last = chain[-1]
            register = rtl.RegOp(last)
            hint = self.port_names.get(value, value.name_hint)
            if hint:
                register.result.name_hint = f"{hint}_r{len(chain)}"
            if last.owner is self.block:
                # Registers of input ports go first, in the order they are needed.
                after = self.last_port_register
                Rewriter.insert_op(
                    register,
                    InsertPoint.at_start(self.block) if after is None else InsertPoint.after(after),
                )
                self.last_port_register = register
            else:
                assert isinstance(last.owner, Operation)
                Rewriter.insert_op(register, InsertPoint.after(last.owner))
                if last.owner is self.last_port_register:
                    self.last_port_register = register
            chain.append(register.result)
            self.origin[register.result] = (value, len(chain) - 1)
            self.created += 1
        return chain[cycles]


    def reuse_source_registers(self) -> None:
        """Registering wiring equals wiring the registered sources: where every source
        of a registered wiring value is delayed as much anyway, rebuild the wiring on
        those registers and drop the now redundant register."""
        position = {v: i for i, v in enumerate(self.block.args)}
        for i, op in enumerate(self.block.ops):
            position.update((r, len(self.block.args) + i) for r in op.results)
        for value in sorted(self.chains, key=position.__getitem__):
            wiring, chain = value.owner, self.chains[value]
            if not isinstance(wiring, _WIRING):
                continue
            for k in range(1, len(chain)):
                sources = [self._delayed_if_registered(o, k) for o in wiring.operands]
                if any(source is None for source in sources):
                    break
                register = chain[k].owner
                assert isinstance(register, rtl.RegOp)
                rebuilt = wiring.clone()
                for index, source in enumerate(sources):
                    rebuilt.operands[index] = source
                rebuilt.results[0].name_hint = chain[k].name_hint
                Rewriter.insert_op(rebuilt, InsertPoint.before(register))
                chain[k].replace_all_uses_with(rebuilt.results[0])
                Rewriter.erase_op(register)
                chain[k] = rebuilt.results[0]
                self.origin[chain[k]] = (value, k)
                self.created -= 1
        # wiring left without readers goes only now: a later value's rebuilt wiring may
        # still read any chain entry; users are erased before the values they read
        entries = {entry for chain in self.chains.values() for entry in chain}
        for op in reversed(list(self.block.ops)):
            if isinstance(op, _WIRING) and op.results[0] in entries and not op.results[0].uses:
                Rewriter.erase_op(op)

    def _delayed_if_registered(self, value: SSAValue, cycles: int) -> SSAValue | None:
        """``value`` delayed ``cycles`` more, if registers for that exist already."""
        base, delay = self.origin.get(value, (value, 0))
        if self.timing[base] is None:
            return value  # static: the same in every cycle
        chain = self.chains.get(base, [])
        return chain[delay + cycles] if len(chain) > delay + cycles else None


def _free_clock_name(module: rtl.ModuleOp) -> str:
    taken = {n.data for n in (*module.input_names, *module.output_names)}
    name, n = "clk", 0
    while name in taken:
        n += 1
        name = f"clk_{n}"
    return name
