"""cmvm-to-rtl: the adder graph as bit vectors, each exactly as wide as its range needs.

Every cmvm value ``m * 2**-f`` with exact interval ``[lo, hi]`` becomes an rtl vector
holding ``m`` in the fewest bits that hold the interval (two's complement when lo < 0).
Shifts are wiring: a value moves to a finer resolution by appending zero bits.  An adder
``a + (b << s)`` computes only the bits where both operands have bits; the bits below
come straight from the finer operand.  Arithmetic is modulo the result's width, which is
exact because the result's range fits in it.  The function's arguments and results become
the module's ports, each with its fixed-point format; kernel calls are inlined (each
instance is its own hardware, its adders as wide as that call's arguments need when they
are narrower than the kernel's shared parameter types).  The lowered matrix ops must already be adder graphs
(run cmvm-cse or cmvm-optimize first).

Before:

    func.func @f(%x: !cmvm.fx<fixed<1,3,0>>, %y: !cmvm.fx<fixed<1,3,0>>) -> !cmvm.fx<range<-24,21,0>> {
      %s = cmvm.add %x, %y shl 1 : (...) -> !cmvm.fx<range<-24,21,0>>
      func.return %s : !cmvm.fx<range<-24,21,0>>
    }

After:

    rtl.module @f(%x: i4 fixed<1,3,0>, %y: i4 fixed<1,3,0>) -> (out0: i6 fixed<1,5,0>) {
      %0 = rtl.extract %x from 0 : i4 to i1              the low bit is x's alone
      %1 = rtl.extract %x from 1 : i4 to i3
      %2 = rtl.sext %1 : i3 to i5
      %3 = rtl.sext %y : i4 to i5
      %4 = rtl.add %2, %3 : i5
      %5 = rtl.concat %4, %0 : i5, i1
      rtl.output %5 : i6
    }
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from xdsl.context import Context
from xdsl.dialects import builtin, func
from xdsl.ir import Block, Operation, SSAValue
from xdsl.passes import ModulePass

from ..dialects import rtl
from ..dialects.cmvm import ops as cmvm
from ..dialects.cmvm.types import FxType
from ..errors import CompileError
from ..numerics import Format, Interval, Overflow, Rounding


@dataclass(frozen=True)
class Bits:
    """An rtl vector holding the mantissa of a fixed-point value: ``fmt`` says how (its
    width is the vector's, its f the resolution).  ``vector`` is None for width 0."""

    vector: SSAValue | None
    fmt: Format

    @property
    def signed(self) -> bool:
        return self.fmt.k == 1


def format_of(precision) -> Format:
    return precision if isinstance(precision, Format) else precision.format()


@dataclass
class Emitter:
    block: Block
    """Where the rtl ops go, appended in order."""
    values: dict[SSAValue, Bits] = field(default_factory=dict)

    def op(self, op: Operation) -> SSAValue:
        self.block.add_op(op)
        return op.results[0]

    def constant(self, value: int, width: int) -> SSAValue:
        return self.op(rtl.ConstantOp(value, width))

    def resize(self, x: Bits, width: int) -> SSAValue:
        """x's mantissa modulo 2**width (extended by its sign, or truncated)."""
        if x.vector is None or width <= 0:
            return self.constant(0, max(width, 1))
        have = x.fmt.width
        if have == width:
            return x.vector
        if have > width:
            return self.op(rtl.ExtractOp(x.vector, 0, width))
        return self.op((rtl.SExtOp if x.signed else rtl.ZExtOp)(x.vector, width))

    def aligned(self, x: Bits, f: int, width: int) -> SSAValue:
        """x's value at resolution f >= x.fmt.f, modulo 2**width: zero bits appended."""
        pad = f - x.fmt.f
        assert pad >= 0, "aligning to a coarser resolution would drop bits"
        if x.vector is None or pad >= width:
            return self.constant(0, width)
        core = self.resize(x, width - pad)
        if pad == 0:
            return core
        return self.op(rtl.ConcatOp([core, self.constant(0, pad)]))

    def to_format(self, x: Bits, target: Format) -> Bits:
        """Re-express x in ``target`` (which holds all of x's values) by wiring alone."""
        if target.width <= 0:
            return Bits(None, target)
        if target.f >= x.fmt.f:
            return Bits(self.aligned(x, target.f, target.width), target)
        drop = x.fmt.f - target.f  # bits known to be zero, by the target type's claim
        wide = self.resize(x, target.width + drop)
        return Bits(self.op(rtl.ExtractOp(wide, drop, target.width)), target)

    def add(self, a: Bits, b: Bits, b_shift: int, subtract: bool, result: Format) -> Bits:
        """``a ± b * 2**b_shift`` in the result's format.  The low bits that only the finer
        operand has are wired through; the adder covers the rest (for ``a - b`` with b the
        finer one, borrows reach every bit, so the whole width is subtracted)."""
        b = Bits(b.vector, Format(b.fmt.k, b.fmt.i + b_shift, b.fmt.f - b_shift))
        f_work = max(a.fmt.f, b.fmt.f)
        width = result.width + (f_work - result.f)
        total_fmt = Format(result.k, result.i, f_work)
        if width <= 0:
            return Bits(None, result)
        finer_is_b = b.fmt.f > a.fmt.f
        low = abs(a.fmt.f - b.fmt.f)
        if (subtract and finer_is_b) or a.vector is None or b.vector is None:
            low = 0
        low = min(low, width)
        if low == 0:
            lhs, rhs = self.aligned(a, f_work, width), self.aligned(b, f_work, width)
            total = self.op((rtl.SubOp if subtract else rtl.AddOp)(lhs, rhs))
            return self.to_format(Bits(total, total_fmt), result)
        fine, coarse = (b, a) if finer_is_b else (a, b)
        fine_bits = self.resize(fine, width)
        low_part = self.op(rtl.ExtractOp(fine_bits, 0, low)) if low < width else fine_bits
        if low == width:
            return self.to_format(Bits(low_part, total_fmt), result)
        upper = self.op(rtl.ExtractOp(fine_bits, low, width - low))
        other = self.aligned(coarse, coarse.fmt.f, width - low)
        lhs, rhs = (other, upper) if finer_is_b else (upper, other)
        total = self.op((rtl.SubOp if subtract else rtl.AddOp)(lhs, rhs))
        joined = self.op(rtl.ConcatOp([total, low_part]))
        return self.to_format(Bits(joined, total_fmt), result)

    def add3(self, terms: list[tuple[Bits, int, bool]], result: Format) -> Bits:
        """``sum ± t * 2**shift`` over three (bits, shift, negated) terms, in the result's
        format, as one ``rtl.add3``.  Below the second-finest term's resolution only the
        finest term has bits: when it is added (not subtracted) they are wired through."""
        moved = [(Bits(b.vector, Format(b.fmt.k, b.fmt.i + s, b.fmt.f - s)), neg)
                 for b, s, neg in terms if b.vector is not None]
        if not moved:
            return Bits(None, result)
        f_work = max(b.fmt.f for b, _ in moved)
        width = result.width + (f_work - result.f)
        total_fmt = Format(result.k, result.i, f_work)
        if width <= 0:
            return Bits(None, result)
        moved.sort(key=lambda t: -t[0].fmt.f)  # finest first
        fine, fine_negated = moved[0]
        low = fine.fmt.f - moved[1][0].fmt.f if len(moved) > 1 and not fine_negated else 0
        low = min(low, width)
        if low == width:
            return self.to_format(Bits(self.resize(fine, width), total_fmt), result)
        f_upper, upper_width = f_work - low, width - low
        vectors: list[tuple[SSAValue, bool]] = []
        low_part = None
        if low:
            fine_bits = self.resize(fine, width)
            low_part = self.op(rtl.ExtractOp(fine_bits, 0, low))
            vectors.append((self.op(rtl.ExtractOp(fine_bits, low, upper_width)), False))
            moved = moved[1:]
        vectors += [(self.aligned(b, f_upper, upper_width), neg) for b, neg in moved]
        while len(vectors) < 3:
            vectors.append((self.constant(0, upper_width), False))
        vectors.sort(key=lambda t: t[1])  # an added operand first
        signs = "".join("-" if neg else "+" for _, neg in vectors)
        total = self.op(rtl.TernaryAddOp(*(v for v, _ in vectors), signs))
        if low_part is not None:
            total = self.op(rtl.ConcatOp([total, low_part]))
        return self.to_format(Bits(total, total_fmt), result)

    def sign_bit(self, x: SSAValue) -> SSAValue:
        return self.op(rtl.ExtractOp(x, rtl.width_of(x) - 1, 1))

    def above_constant(self, x: SSAValue, bound: int, may_be_negative: bool) -> SSAValue:
        """``x > bound`` (signed).  For ``bound = 2**m - 1`` no carry chain: some bit of x
        from m up is set (and x is not negative)."""
        w = rtl.width_of(x)
        m = (bound + 1).bit_length() - 1
        if bound < 0 or bound + 1 != 1 << m or m >= w - 1:
            return self.op(rtl.ICmpOp("sgt", x, self.constant(bound, w)))
        high = self.op(rtl.ExtractOp(x, m, w - m))
        set_bit = self.op(rtl.ICmpOp("ne", high, self.constant(0, w - m)))
        if not may_be_negative:
            return set_bit
        return self.op(rtl.MuxOp(self.sign_bit(x), self.constant(0, 1), set_bit))

    def below_constant(self, x: SSAValue, bound: int, may_be_nonnegative: bool) -> SSAValue:
        """``x < bound`` (signed).  For ``bound = 0`` the sign bit; for ``bound = -2**m``
        no carry chain: x is negative and some bit of x from m up is clear."""
        w = rtl.width_of(x)
        if bound == 0:
            return self.sign_bit(x)
        m = (-bound).bit_length() - 1
        if bound > 0 or -bound != 1 << m or m >= w - 1:
            return self.op(rtl.ICmpOp("slt", x, self.constant(bound, w)))
        high = self.op(rtl.ExtractOp(x, m, w - m))
        clear_bit = self.op(rtl.ICmpOp("ne", high, self.constant(-1, w - m)))
        if not may_be_nonnegative:
            return clear_bit
        return self.op(rtl.MuxOp(self.sign_bit(x), clear_bit, self.constant(0, 1)))

    def compare_select(self, a: Bits, b: Bits, pick_greater: bool, result: Format) -> Bits:
        f = max(a.fmt.f, b.fmt.f)
        span = max(a.fmt.k + a.fmt.i, b.fmt.k + b.fmt.i) + 1
        width = span + f
        lhs, rhs = self.aligned(a, f, width), self.aligned(b, f, width)
        less = self.sign_bit(lhs) if b.vector is None else self.op(rtl.ICmpOp("slt", lhs, rhs))
        chosen = self.op(rtl.MuxOp(less, rhs, lhs) if pick_greater else rtl.MuxOp(less, lhs, rhs))
        return self.to_format(Bits(chosen, Format(1, span - 1, f)), result)


Lowering = Callable[[Emitter, Operation, list[Bits], list[Format]], list[Bits]]
LOWERINGS: dict[type[Operation], Lowering] = {}


def lowers(*op_types):
    def register(fn: Lowering) -> Lowering:
        for t in op_types:
            LOWERINGS[t] = fn
        return fn

    return register


@lowers(cmvm.AddOp, cmvm.SubOp)
def lower_add(e: Emitter, op: cmvm.ShiftedBinaryOp, args: list[Bits], out: list[Format]) -> list[Bits]:
    shift = op.shift.value.data
    return [e.add(args[0], args[1], shift, isinstance(op, cmvm.SubOp), out[0])]


@lowers(cmvm.TernaryAddOp)
def lower_add3(e: Emitter, op: cmvm.TernaryAddOp, args: list[Bits], out: list[Format]) -> list[Bits]:
    return [e.add3([(b, s, g < 0) for b, s, g in zip(args, op.term_shifts, op.term_signs)], out[0])]


@lowers(cmvm.NegOp)
def lower_neg(e: Emitter, op: Operation, args: list[Bits], out: list[Format]) -> list[Bits]:
    zero = Bits(None, Format(0, 0, args[0].fmt.f))
    return [e.add(zero, args[0], 0, True, out[0])] if args[0].vector is not None else [Bits(None, out[0])]


@lowers(cmvm.ShiftOp)
def lower_shift(e: Emitter, op: cmvm.ShiftOp, args: list[Bits], out: list[Format]) -> list[Bits]:
    x, s = args[0], op.amount.value.data
    return [e.to_format(Bits(x.vector, Format(x.fmt.k, x.fmt.i + s, x.fmt.f - s)), out[0])]


@lowers(cmvm.ConstantOp)
def lower_constant(e: Emitter, op: cmvm.ConstantOp, args: list[Bits], out: list[Format]) -> list[Bits]:
    m, f = op.mantissa_and_f()
    fmt = out[0]
    if fmt.width <= 0:
        return [Bits(None, fmt)]
    return [Bits(e.constant(m << (fmt.f - f) if fmt.f >= f else m >> (f - fmt.f), fmt.width), fmt)]


@lowers(cmvm.ReluOp)
def lower_relu(e: Emitter, op: Operation, args: list[Bits], out: list[Format]) -> list[Bits]:
    x = args[0]
    if not x.signed or x.vector is None:
        return [e.to_format(x, out[0])]
    zero = Bits(None, Format(0, 0, x.fmt.f))
    return [e.compare_select(x, zero, True, out[0])]


@lowers(cmvm.MaxOp, cmvm.MinOp)
def lower_extremum(e: Emitter, op: Operation, args: list[Bits], out: list[Format]) -> list[Bits]:
    return [e.compare_select(args[0], args[1], isinstance(op, cmvm.MaxOp), out[0])]


@lowers(cmvm.QuantizeOp)
def lower_quantize(e: Emitter, op: cmvm.QuantizeOp, args: list[Bits], out: list[Format]) -> list[Bits]:
    x, fmt = args[0], op.target
    rounding, overflow = op.rounding.data, op.overflow.data
    x_range = op.input.type.interval
    if fmt.width <= 0 or x.vector is None:
        return [Bits(None, out[0]) if out[0].width <= 0 else e.to_format(Bits(None, fmt), out[0])]
    s = x.fmt.f - fmt.f
    rounded = x
    rounded_range = Interval(x_range.lo, x_range.hi, x_range.f)
    if s > 0:
        rounded, rounded_range = round_off(e, x, x_range, s, rounding)
    bounds = fmt.interval()
    lo, hi = bounds.lo, bounds.hi
    if overflow is Overflow.SAT_SYM and fmt.k == 1:
        lo = -hi
    r = rounded_range.at(max(rounded_range.f, fmt.f)) if rounded_range.f < fmt.f else rounded_range
    if overflow is Overflow.WRAP:
        wrapped = e.aligned(rounded, fmt.f, fmt.width)
        return [e.to_format(Bits(wrapped, fmt), out[0])]
    # saturate: compare against the bounds only where the range can cross them
    f = max(rounded.fmt.f, fmt.f)
    value = rounded
    span = max(rounded.fmt.k + rounded.fmt.i, fmt.k + fmt.i) + 1
    width = span + f
    original = current = e.aligned(value, f, width)
    scale = 1 << (f - fmt.f)
    # both bounds are tested on the input, side by side; the usual bounds (0, 2**m - 1,
    # -2**m) are bit tests, not carry chains.  The lower bound's select comes last, so
    # with a lower bound of 0 it also overrides the upper test for negative inputs.
    low_m, high_m = r.lo * (1 << (f - r.f)), r.hi * (1 << (f - r.f))
    if high_m > hi * scale:
        above = e.above_constant(original, hi * scale, low_m < 0 and lo < 0)
        current = e.op(rtl.MuxOp(above, e.constant(hi * scale, width), current))
    if low_m < lo * scale:
        below = e.below_constant(original, lo * scale, high_m >= 0)
        current = e.op(rtl.MuxOp(below, e.constant(lo * scale, width), current))
    return [e.to_format(Bits(current, Format(1, span - 1, f)), out[0])]


def round_off(e: Emitter, x: Bits, x_range: Interval, s: int, rounding: Rounding) -> tuple[Bits, Interval]:
    """Drop the s lowest bits of x with the given rounding; returns the rounded mantissa
    (at resolution x.f - s) and its exact range."""
    from ..numerics import shift_right_rounded

    f_out = x.fmt.f - s
    out_range = Interval(shift_right_rounded(x_range.lo, s, rounding),
                         shift_right_rounded(x_range.hi, s, rounding), f_out)
    out_fmt = out_range.hull(Interval(0, 0, f_out)).format()
    out_fmt = Format(out_fmt.k or x.fmt.k, out_fmt.i, f_out)
    work = max(x.fmt.width, s + 1) + 1
    m = e.resize(x, work)
    if rounding is Rounding.RND:
        m = e.op(rtl.AddOp(m, e.constant(1 << (s - 1), work)))
    elif rounding is Rounding.RND_CONV:
        parity = e.op(rtl.ExtractOp(m, s, 1))
        bias = e.op(rtl.AddOp(e.constant((1 << (s - 1)) - 1, work), e.op(rtl.ZExtOp(parity, work))))
        m = e.op(rtl.AddOp(m, bias))
    top = e.op(rtl.ExtractOp(m, s, work - s))
    return Bits(top, Format(x.fmt.k, work - s - x.fmt.k - f_out, f_out)), out_range


@lowers(cmvm.LookupOp)
def lower_lookup(e: Emitter, op: cmvm.LookupOp, args: list[Bits], out: list[Format]) -> list[Bits]:
    x, domain, fmt = args[0], op.domain_interval, out[0]
    table = op.table.data
    span = domain.hi - domain.lo + 1
    index_bits = max(1, (span - 1).bit_length())
    if index_bits > rtl.MAX_ROM_INDEX_BITS:
        raise CompileError(f"cmvm-to-rtl: '{op.name}'",
                           f"a table over {span} entries needs a {index_bits}-bit index; "
                           f"at most {rtl.MAX_ROM_INDEX_BITS} bits are supported")
    if fmt.width <= 0:
        return [Bits(None, fmt)]
    # the domain holds fewer than 2**index_bits consecutive mantissas, so their low bits
    # tell them apart: the ROM is addressed by x's low bits, no offset subtracted
    index = e.aligned(x, domain.f, index_bits)
    if fmt.f >= table.f:
        scaled = [value << (fmt.f - table.f) for value in table.mantissas]
    else:
        scaled = [value >> (table.f - fmt.f) for value in table.mantissas]
    # mantissa m at entry m mod 2**index_bits: the domain's values, rotated
    entries, start = [0] * (1 << index_bits), domain.lo % (1 << index_bits)
    head = min(len(scaled), len(entries) - start)
    entries[start:start + head] = scaled[:head]
    entries[:len(scaled) - head] = scaled[head:]
    return [Bits(e.op(rtl.RomOp(index, entries, fmt.width)), fmt)]


def result_formats(op: Operation) -> list[Format]:
    return [format_of(r.type.data) for r in op.results]


def instance_formats(op: Operation, args: list[Bits]) -> list[Format]:
    """An inlined kernel op's result formats for one call.  The kernel's types hold the
    values of every call (a shared kernel's parameters are the hull of its callers'
    types); an adder whose operands in this call are narrower gets the format they give,
    when that has fewer bits: each instance is its own hardware."""
    declared = result_formats(op)
    if not isinstance(op, cmvm.ShiftedBinaryOp):
        return declared
    local = type(op).combine(args[0].fmt.interval(), args[1].fmt.interval(), op.amount).format()
    return [local if local.width < declared[0].width else declared[0]]


def unwidened(value: SSAValue) -> SSAValue:
    """The value a kernel argument was widened from (a 0-shift to the kernel's type)."""
    owner = value.owner
    return owner.input if isinstance(owner, cmvm.ShiftOp) and owner.amount.value.data == 0 else value


def lower_body(e: Emitter, module: builtin.ModuleOp, function: func.FuncOp, args: list[Bits],
               inlined: bool = False) -> list[Bits]:
    """The rtl of ``function``'s ops for the values ``args``; ``inlined``: a kernel called
    with arguments that may be narrower than its parameter types."""
    for arg, bits in zip(function.body.block.args, args):
        e.values[arg] = bits
    for op in function.body.block.ops:
        if isinstance(op, func.ReturnOp):
            return [e.values[v] for v in op.arguments]
        operands = [e.values[v] for v in op.operands]
        if isinstance(op, func.CallOp):
            callee = _function(module, op.callee.string_value())
            inner = Emitter(e.block)
            results = lower_body(inner, module, callee, [e.values[unwidened(v)] for v in op.operands],
                                 inlined=True)
            for r, bits in zip(op.results, results):
                e.values[r] = e.to_format(bits, format_of(r.type.data))
            continue
        lowering = LOWERINGS.get(type(op))
        if lowering is None:
            hint = " (run cmvm-optimize first)" if isinstance(op, cmvm.MatrixLikeOp) else ""
            raise CompileError(f"cmvm-to-rtl: '{op.name}'", f"this op has no lowering to rtl{hint}")
        formats = instance_formats(op, operands) if inlined else result_formats(op)
        for r, bits in zip(op.results, lowering(e, op, operands, formats)):
            e.values[r] = bits
    raise CompileError(f"cmvm-to-rtl: @{function.sym_name.data}", "function has no return")


def _function(module: builtin.ModuleOp, name: str) -> func.FuncOp:
    for op in module.body.block.ops:
        if isinstance(op, func.FuncOp) and op.sym_name.data == name:
            return op
    raise CompileError("cmvm-to-rtl", f"no function named @{name}")


def _port_format(precision) -> Format:
    fmt = format_of(precision)
    return fmt if fmt.width >= 1 else Format(0, 1 - fmt.f, fmt.f)


def _port_names(args) -> list[str]:
    """Input port names from the arguments' names (``x.3`` becomes ``x_3``); ``in<i>``
    where a name is missing, not a Verilog identifier, or repeated."""
    names = [(a.name_hint or "").replace(".", "_") for a in args]
    if len(set(names)) != len(names) or not all(rtl.is_port_name(n) for n in names):
        return [f"in{i}" for i in range(len(args))]
    return names


def lower_function(module: builtin.ModuleOp, function: func.FuncOp) -> rtl.ModuleOp:
    args = function.body.block.args
    names = _port_names(args)
    types = [*(a.type for a in args), *function.function_type.outputs.data]
    wrong = next((t for t in types if not isinstance(t, FxType)), None)
    if wrong is not None:
        raise CompileError(f"cmvm-to-rtl: @{function.sym_name.data}",
                           f"expects !cmvm.fx arguments and results, found {wrong} "
                           "(run fixedpoint-to-cmvm first)")
    inputs = []
    for name, arg in zip(names, args):
        fmt = _port_format(arg.type.data)
        inputs.append((name, fmt.width, fmt))
    outputs_types = function.function_type.outputs.data
    outputs = [(f"out{j}", _port_format(t.data).width, _port_format(t.data)) for j, t in enumerate(outputs_types)]
    hardware = rtl.ModuleOp(function.sym_name.data, inputs, outputs)
    e = Emitter(hardware.block)
    arg_bits = [Bits(v, fmt) for v, (_, _, fmt) in zip(hardware.block.args, inputs)]
    results = lower_body(e, module, function, arg_bits)
    vectors = [e.to_format(bits, fmt).vector for bits, (_, _, fmt) in zip(results, outputs)]
    vectors = [v if v is not None else e.constant(0, w) for v, (_, w, _) in zip(vectors, outputs)]
    e.block.add_op(rtl.OutputOp(vectors))
    return hardware


@dataclass(frozen=True)
class CmvmToRtl(ModulePass):
    name = "cmvm-to-rtl"

    def apply(self, ctx: Context, op: builtin.ModuleOp) -> None:
        functions = [f for f in op.body.block.ops if isinstance(f, func.FuncOp)]
        public = [f for f in functions if f.sym_visibility is None or f.sym_visibility.data != "private"]
        modules = [lower_function(op, f) for f in public]
        for f in functions:
            op.body.block.erase_op(f)
        for m in modules:
            op.body.block.add_op(m)
