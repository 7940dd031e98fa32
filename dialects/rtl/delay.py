"""The delay model of rtl logic, shared by rtl-pipeline and the stats report.

Delay is counted in two units along register-to-register paths:

- *adder levels*: each add, sub, icmp (a subtraction), mux and rom is one level of logic
  (one LUT followed, for the arithmetic ones, by a carry chain); wiring (constant,
  extract, concat, sext, zext) costs nothing;
- *carry bits*: each add, sub and ordering icmp adds its width, the length of its carry
  chain (eq and ne are LUT trees: no carry).
  Chained adders are summed, which over-estimates (a ripple adder's low bits are ready
  early) but never under-estimates.

Values computed from constants alone are *static*: they never change, so no path
starts or ends at them.

In nanoseconds (``stage_delay_ns``, used by ``rtl-pipeline{clock_period=...}`` and the
report's Fmax), a stage of L levels and C carry bits takes

    REGISTER_OVERHEAD_NS + L * LEVEL_NS + C * CARRY_BIT_NS

The constants are rough figures for an UltraScale+ -2 device (clock-to-out plus setup
plus routing into the first LUT; a LUT and the net to the next one; one bit of a
CARRY8 chain), chosen to be on the slow side; they are an estimate, not a timing
analysis: Vivado's report of the project's build script is the measurement.
"""

from __future__ import annotations

from dataclasses import dataclass

from xdsl.ir import Operation, SSAValue

from . import AddOp, ICmpOp, ModuleOp, MuxOp, OutputOp, RegOp, RomOp, SubOp, TernaryAddOp, width_of


def level_cost(op: Operation) -> int:
    """Adder levels an operation adds to a path."""
    return 1 if isinstance(op, AddOp | SubOp | TernaryAddOp | ICmpOp | MuxOp | RomOp) else 0


def carry_cost(op: Operation) -> int:
    """Carry-chain bits an operation adds to a path."""
    if isinstance(op, AddOp | SubOp | TernaryAddOp):
        return width_of(op.result)
    if isinstance(op, ICmpOp) and op.predicate.data not in ("eq", "ne"):  # those are LUT trees
        return width_of(op.lhs)
    return 0


REGISTER_OVERHEAD_NS = 0.40
LEVEL_NS = 0.35
CARRY_BIT_NS = 0.015


def stage_delay_ns(levels: int, carry: int) -> float:
    """Estimated delay of a register-to-register path (see the module docstring)."""
    return REGISTER_OVERHEAD_NS + levels * LEVEL_NS + carry * CARRY_BIT_NS


@dataclass(frozen=True)
class Arrival:
    """Delay of a value since the last register (or input port) on its slowest path."""

    levels: int
    carry: int

    def after(self, op: Operation) -> Arrival:
        return Arrival(self.levels + level_cost(op), self.carry + carry_cost(op))

    @staticmethod
    def latest(arrivals: list[Arrival]) -> Arrival:
        return Arrival(
            max((a.levels for a in arrivals), default=0),
            max((a.carry for a in arrivals), default=0),
        )


START = Arrival(0, 0)


@dataclass(frozen=True)
class StageTiming:
    """The slowest register-to-register path of a module in each unit."""

    levels: int
    carry: int


def stage_timing(module: ModuleOp, only: set[Operation] | None = None) -> StageTiming:
    """The deepest stage of ``module``: its longest path between registers (or ports),
    over all operations or ``only`` those given."""
    # levels and carry bits since the last register, of every non-static value
    levels: dict[SSAValue, int] = dict.fromkeys(module.block.args, 0)
    carry: dict[SSAValue, int] = dict.fromkeys(module.block.args, 0)
    deepest_levels = deepest_carry = 0
    for op in module.block.ops:
        if isinstance(op, OutputOp) or (only is not None and op not in only):
            continue
        timed = [v for v in op.operands if v in levels]
        if not timed:
            continue
        op_levels, op_carry = max(levels[v] for v in timed), max(carry[v] for v in timed)
        if isinstance(op, RegOp):
            deepest_levels, deepest_carry = max(deepest_levels, op_levels), max(deepest_carry, op_carry)
            op_levels = op_carry = 0
        else:
            op_levels, op_carry = op_levels + level_cost(op), op_carry + carry_cost(op)
            deepest_levels, deepest_carry = max(deepest_levels, op_levels), max(deepest_carry, op_carry)
        for value in op.results:
            levels[value], carry[value] = op_levels, op_carry
    return StageTiming(deepest_levels, deepest_carry)


def path_latency(module: ModuleOp) -> int | None:
    """The number of registers on every input-to-output path, or None when paths
    disagree (an unbalanced pipeline, whose outputs would mix different inputs)."""
    count: dict[SSAValue, int | None] = {arg: 0 for arg in module.block.args}
    for op in module.block.ops:
        counts = {count[v] for v in op.operands} - {None}
        if isinstance(op, OutputOp):
            if len(counts) > 1:
                return None
            return counts.pop() if counts else 0
        if len(counts) > 1:
            return None
        value = counts.pop() if counts else None
        if value is not None and isinstance(op, RegOp):
            value += 1
        for result in op.results:
            count[result] = value
    return 0


def slowest_stage_ns(module: ModuleOp) -> float:
    """The estimated delay of ``module``'s slowest stage, value by value: the levels and
    carry bits since the last register are combined where they meet (as rtl-pipeline
    checks its budget), not taken from two different paths as ``stage_timing`` does."""
    arrival: dict[SSAValue, Arrival] = dict.fromkeys(module.block.args, START)
    slowest = stage_delay_ns(0, 0)
    for op in module.block.ops:
        timed = [arrival[v] for v in op.operands if v in arrival]
        if isinstance(op, OutputOp) or not timed:
            continue
        here = START if isinstance(op, RegOp) else Arrival.latest(timed).after(op)
        slowest = max(slowest, stage_delay_ns(here.levels, here.carry))
        for value in op.results:
            arrival[value] = here
    return slowest
