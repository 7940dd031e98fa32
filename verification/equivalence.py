"""Formal equivalence: the optimized, pipelined Verilog against a plain reference, proved
with Yosys's SAT solver.

    result = prove_equivalence(module, cutoff=2)   # module: fixedpoint or unoptimized cmvm
    result.proved, result.log

or from the driver, on a fixedpoint or cmvm module (not on a model compiled to rtl):

    fpga-opt net.mlir -t 'equivalence{cutoff=2}'
    fpga-opt model.onnx -p fixedpoint-infer-precision -t equivalence

The *reference* is written straight from the unoptimized cmvm IR (after fixedpoint-to-cmvm:
one ``cmvm.matrix`` per dense layer, scalar nonlinear ops): every value is a signed wire
holding its mantissa, a matrix is a sum of plain multiplications by the integer weights
(``x0 * 9'sd5 - x1 * 9'sd3 ...``), quantize, relu, max/min and lookup are written from their
definitions (numerics.py), and a pipelined design's latency is matched by a delay line on
the reference outputs.  Nothing of cmvm-optimize, cmvm-to-rtl or rtl-pipeline is shared.
The *implementation* is the design those passes produce, as ``-t verilog`` prints it.

Why this module writes Verilog at all (DESIGN: only the Verilog printer writes Verilog):
the implementation is printed by the printer (``backends.verilog.emit_verilog``), so the
proof covers the printer's output.  The reference cannot be: it is a second, independent
statement of the cmvm semantics, in Verilog operators the rtl dialect deliberately lacks
(``*`` by a constant, ``$signed`` arithmetic of any width, ``?:`` on signed compares, a
``case`` table), and building it in rtl would route it through the constructs it checks.
So the honest minimum written here is the reference (``reference_verilog``, one signed
wire per cmvm value) and the miter that joins the two (``miter_verilog``: two instances,
the input constraint and the comparison; rtl has no instances); nothing of the design.
The symbolic step of ``prove_optimized`` is in verification/symbolic.py.

Yosys builds a miter of the two (``miter -equiv``: same ports, an assertion that every
output agrees) and ``sat -prove-asserts`` proves it for every input.  A pipeline of latency
L is proved with ``-seq L+1 -prove-skip L -set-init-zero``: since every path through the
design has exactly L registers, the outputs at step L+1 are the function of the (free)
inputs at step 1, for any earlier history.  Inputs typed with a range narrower than their
port are constrained to that range (``assume``); outside it the designs may differ.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, ClassVar

from xdsl.context import Context
from xdsl.dialects import builtin, func
from xdsl.ir import SSAValue
from xdsl.utils.target import Target

from ..dialects.cmvm import ops as cmvm
from ..dialects.cmvm.types import FxType, value_interval
from ..dialects.fixedpoint.types import FixedTensorType
from ..errors import CompileError
from ..numerics import Format, Overflow, Rounding
from ..backends.verilog import emit_verilog
from ..backends.verilog_names import verilog_interface
from .symbolic import symbolic_outputs

REFERENCE = "reference"


def _bits(lo: int, hi: int) -> int:
    """Width of a signed wire holding every integer in [lo, hi] (plus one spare bit)."""
    return max(abs(lo).bit_length(), abs(hi).bit_length()) + 2


def _literal(value: int) -> str:
    width = abs(value).bit_length() + 1
    return f"-{width}'sd{-value}" if value < 0 else f"{width}'sd{value}"


def _shl(name: str, s: int) -> str:
    """``name * 2**s`` as wiring (Yosys would build a barrel shifter for ``<<<``)."""
    return f"$signed({{{name}, {s}'d0}})" if s else name


def _sar(name: str, width: int, s: int) -> str:
    """``floor(name / 2**s)`` of a signed ``width``-bit wire, as wiring."""
    if s == 0:
        return name
    if s >= width:
        return f"$signed({{2{{{name}[{width - 1}]}}}})"
    return f"$signed({name}[{width - 1}:{s}])"


@dataclass
class _Wire:
    name: str
    f: int
    lo: int
    hi: int


@dataclass
class _Reference:
    """Writes the reference module's body, one signed wire per cmvm value."""

    module: builtin.ModuleOp
    lines: list[str] = field(default_factory=list)
    count: int = 0

    def wire(self, expression: str, f: int, lo: int, hi: int, hint: str = "v") -> _Wire:
        name = f"{hint}{self.count}"
        self.count += 1
        self.lines.append(f"  wire signed [{_bits(lo, hi) - 1}:0] {name} = {expression};")
        return _Wire(name, f, lo, hi)

    def at(self, w: _Wire, f: int) -> tuple[str, int, int]:
        """``w``'s mantissa at the finer resolution f, with its bounds there."""
        assert f >= w.f
        s = f - w.f
        return _shl(w.name, s), w.lo << s, w.hi << s

    def typed(self, expression: str, f_work: int, lo: int, hi: int, result: SSAValue) -> _Wire:
        """A value computed at ``f_work`` brought to its type's resolution (exact)."""
        work = self.wire(expression, f_work, lo, hi)
        iv = value_interval(result)
        if f_work == iv.f:
            return work
        if f_work > iv.f:
            return self.wire(_sar(work.name, _bits(lo, hi), f_work - iv.f), iv.f, iv.lo, iv.hi)
        return self.wire(_shl(work.name, iv.f - f_work), iv.f, iv.lo, iv.hi)

    # ------------------------------------------------------------------------ ops

    def function(self, function: func.FuncOp, args: list[_Wire]) -> list[_Wire]:
        values: dict[SSAValue, _Wire] = dict(zip(function.body.block.args, args))
        for op in function.body.block.ops:
            if isinstance(op, func.ReturnOp):
                return [values[v] for v in op.arguments]
            operands = [values[v] for v in op.operands]
            if isinstance(op, func.CallOp):
                callee = self.module.body.block
                target = next(f for f in callee.ops if isinstance(f, func.FuncOp)
                              and f.sym_name.data == op.callee.root_reference.data)
                results = self.function(target, operands)
            else:
                results = self.op(op, operands)
            values.update(zip(op.results, results))
        raise CompileError(f"@{function.sym_name.data}", "function without a return")

    def op(self, op, x: list[_Wire]) -> list[_Wire]:
        if isinstance(op, cmvm.MatrixLikeOp):
            return self.matrix(op, x)
        if isinstance(op, cmvm.ConstantOp):
            m, f = op.mantissa_and_f()
            return [self.typed(_literal(m), f, m, m, op.result)]
        if isinstance(op, cmvm.ShiftedBinaryOp):
            a, b = x
            b_f = b.f - op.amount  # b * 2**amount has mantissa b.m at resolution b.f - amount
            f = max(a.f, b_f, value_interval(op.result).f)
            ea, alo, ahi = self.at(a, f)
            eb, blo, bhi = self.at(_Wire(b.name, b_f, b.lo, b.hi), f)
            if op.SIGN > 0:
                return [self.typed(f"{ea} + {eb}", f, alo + blo, ahi + bhi, op.result)]
            return [self.typed(f"{ea} - {eb}", f, alo - bhi, ahi - blo, op.result)]
        if isinstance(op, cmvm.NegOp):
            (a,) = x
            return [self.typed(f"-{a.name}", a.f, -a.hi, -a.lo, op.result)]
        if isinstance(op, cmvm.ShiftOp):
            (a,) = x
            moved = _Wire(a.name, a.f - op.amount.value.data, a.lo, a.hi)
            f = max(moved.f, value_interval(op.result).f)
            e, lo, hi = self.at(moved, f)
            return [self.typed(e, f, lo, hi, op.result)]
        if isinstance(op, cmvm.ReluOp):
            (a,) = x
            return [self.typed(f"({a.name} < 0) ? 0 : {a.name}", a.f, min(a.lo, 0), max(a.hi, 0), op.result)]
        if isinstance(op, cmvm.ExtremumOp):
            a, b = x
            f = max(a.f, b.f, value_interval(op.result).f)
            (ea, alo, ahi), (eb, blo, bhi) = self.at(a, f), self.at(b, f)
            greater = isinstance(op, cmvm.MaxOp)
            pick = f"({ea} > {eb}) ? {ea} : {eb}" if greater else f"({ea} < {eb}) ? {ea} : {eb}"
            return [self.typed(pick, f, min(alo, blo), max(ahi, bhi), op.result)]
        if isinstance(op, cmvm.QuantizeOp):
            return [self.quantize(op, x[0])]
        if isinstance(op, cmvm.LookupOp):
            return [self.lookup(op, x[0])]
        raise CompileError(f"equivalence: '{op.name}'", "no reference semantics for this op")

    def matrix(self, op: cmvm.MatrixLikeOp, x: list[_Wire]) -> list[_Wire]:
        rows, (row_shifts, col_shifts) = op.matrix, op.shifts()
        out = []
        for j, row in enumerate(rows):
            f_terms = {i: x[i].f - row_shifts[j] - col_shifts[i] for i in range(len(x)) if row[i]}
            f = max([*f_terms.values(), value_interval(op.outputs[j]).f])
            terms, lo, hi = [], 0, 0
            for i, f_term in f_terms.items():
                coefficient = row[i] << (f - f_term)
                terms.append(f"{x[i].name} * {_literal(coefficient)}")
                ends = (x[i].lo * coefficient, x[i].hi * coefficient)
                lo, hi = lo + min(ends), hi + max(ends)
            out.append(self.typed(" + ".join(terms) or "0", f, lo, hi, op.outputs[j]))
        return out

    def quantize(self, op: cmvm.QuantizeOp, a: _Wire) -> _Wire:
        fmt: Format = op.target
        result = value_interval(op.result)
        if fmt.width <= 0:
            return self.typed("0", result.f, 0, 0, op.result)
        s = a.f - fmt.f
        if s <= 0:
            rounded = self.wire(_shl(a.name, -s), fmt.f, a.lo << -s, a.hi << -s)
        else:
            rounding = op.rounding.data
            width = _bits(a.lo, a.hi)
            if rounding is Rounding.TRN:
                biased = a
            elif rounding is Rounding.RND:  # half up: floor((m + half) / 2**s)
                half = 1 << (s - 1)
                biased = self.wire(f"{a.name} + {_literal(half)}", a.f, a.lo + half, a.hi + half)
            else:  # half to even: floor((m + half - 1 + bit s of m) / 2**s)
                half = 1 << (s - 1)
                bit = f"{a.name}[{min(s, width - 1)}]"  # past the top: the sign bit
                biased = self.wire(f"{a.name} + {_literal(half - 1)} + $signed({{1'b0, {bit}}})",
                                   a.f, a.lo + half - 1, a.hi + half)
            rounded = self.wire(_sar(biased.name, _bits(biased.lo, biased.hi), s), fmt.f,
                                biased.lo >> s, biased.hi >> s)
        bounds = fmt.interval()
        if op.overflow.data is Overflow.WRAP:
            w = fmt.width
            low = f"{rounded.name}[{w - 1}:0]"
            expression = f"$signed({low})" if fmt.k else f"$signed({{1'b0, {low}}})"
            return self.typed(expression, fmt.f, bounds.lo, bounds.hi, op.result)
        lo = -bounds.hi if (op.overflow.data is Overflow.SAT_SYM and fmt.k) else bounds.lo
        clamp = (f"({rounded.name} < {_literal(lo)}) ? {_literal(lo)} : "
                 f"(({rounded.name} > {_literal(bounds.hi)}) ? {_literal(bounds.hi)} : {rounded.name})")
        return self.typed(clamp, fmt.f, lo, bounds.hi, op.result)

    def lookup(self, op: cmvm.LookupOp, a: _Wire) -> _Wire:
        domain = op.domain_interval
        index, _, _ = self.at(a, domain.f) if domain.f >= a.f else (_sar(a.name, _bits(a.lo, a.hi), a.f - domain.f), 0, 0)
        entries = op.table.data.mantissas
        f = op.table.data.f
        name = f"t{self.count}"
        self.count += 1
        lo, hi = min(entries), max(entries)
        self.lines.append(f"  reg signed [{_bits(lo, hi) - 1}:0] {name};")
        self.lines.append("  always @* begin")
        self.lines.append(f"    case ({index} - {_literal(domain.lo)})")
        for k, m in enumerate(entries):
            self.lines.append(f"      {k}: {name} = {_literal(m)};")
        self.lines.append(f"      default: {name} = 0;")
        self.lines.append("    endcase")
        self.lines.append("  end")
        return self.typed(name, f, lo, hi, op.result)


def reference_verilog(module: builtin.ModuleOp, hardware) -> str:
    """The combinational reference Verilog of the public function of the unoptimized cmvm
    ``module``, with the input and output ports (names, widths) of the rtl ``hardware``."""
    public = [f for f in module.body.block.ops if isinstance(f, func.FuncOp)
              and (f.sym_visibility is None or f.sym_visibility.data != "private")]
    if len(public) != 1:
        raise CompileError("equivalence", f"expected one public function, found {len(public)}")
    function = public[0]
    ref = _Reference(module)
    ports, args, legal = [], [], []
    names = verilog_interface(hardware)  # the ports as the printer names them
    for name, (_, _, fmt), arg in zip(names.inputs, hardware.inputs, function.body.block.args):
        iv = value_interval(arg)
        ports.append(f"input [{fmt.width - 1}:0] {name}")
        signed = f"$signed({name})" if fmt.k else f"$signed({{1'b0, {name}}})"
        port_iv = fmt.interval()
        wire = ref.wire(signed, fmt.f, port_iv.lo, port_iv.hi, hint=f"{name}_")
        lo, hi = iv.lo << (fmt.f - iv.f), iv.hi << (fmt.f - iv.f)
        if (lo, hi) != (port_iv.lo, port_iv.hi):  # a range narrower than its port
            legal.append(f"({wire.name} >= {_literal(lo)} && {wire.name} <= {_literal(hi)})")
        if iv.f != fmt.f:  # a coarser type than its port: bring it to the type's resolution
            wire = ref.wire(_sar(wire.name, _bits(port_iv.lo, port_iv.hi), fmt.f - iv.f), iv.f, iv.lo, iv.hi)
        args.append(wire)
    results = ref.function(function, args)
    body = list(ref.lines)
    for name, (_, _, fmt), value in zip(names.outputs, hardware.outputs, results):
        ports.append(f"output [{fmt.width - 1}:0] {name}")
        expression, lo, hi = ref.at(value, fmt.f)
        body.append(f"  wire signed [{max(_bits(lo, hi), fmt.width) - 1}:0] {name}_c = {expression};")
        body.append(f"  assign {name} = {name}_c[{fmt.width - 1}:0];")
    ports.append("output legal")
    body.append(f"  assign legal = {' && '.join(legal) or 1};")
    return f"module {REFERENCE}(\n  " + ",\n  ".join(ports) + "\n);\n" + "\n".join(body) + "\nendmodule\n"


def register_depths(hardware) -> None:
    """Check that every path from an input to an output crosses the same number of
    registers, the module's latency L.  Then output(t) = f(input(t - L)) where f is the
    module with its registers replaced by wires, so proving f proves the pipeline."""
    from ..dialects import rtl

    depth: dict[SSAValue, int | None] = {arg: 0 for arg in hardware.block.args}
    where = f"equivalence: rtl.module @{hardware.sym_name.data}"
    for op in hardware.block.ops:
        ds = {depth[v] for v in op.operands if depth[v] is not None}
        if len(ds) > 1:
            raise CompileError(where, f"unbalanced pipeline: '{op.name}' mixes values from "
                                      f"register stages {sorted(ds)}")
        d = ds.pop() if ds else None
        if isinstance(op, rtl.RegOp) and d is not None:
            d += 1
        for r in op.results:
            depth[r] = d
    for name, value, _ in hardware.outputs:
        if depth[value] not in (None, hardware.latency_cycles):
            raise CompileError(where, f"output '{name}' is {depth[value]} register stages from "
                                      f"the inputs, not the latency {hardware.latency_cycles}")


def combinational_view(hardware):
    """A copy of the rtl module with every register replaced by the value it holds."""
    from ..dialects import rtl

    flat = hardware.clone()
    for op in list(flat.block.ops):
        if isinstance(op, rtl.RegOp):
            op.result.replace_all_uses_with(op.input)
            flat.block.erase_op(op)
    flat.properties.pop("clock", None)
    flat.properties.pop("latency", None)
    return flat


def miter_verilog(hardware) -> str:
    """A top module ``miter`` whose output ``trigger`` is 1 when, on legal inputs, the
    reference and the implementation disagree on some output."""
    names = verilog_interface(hardware)  # the module and its ports as the printer names them
    top = names.module
    inputs = [(n, fmt.width) for n, (_, _, fmt) in zip(names.inputs, hardware.inputs)]
    outputs = [(n, fmt.width) for n, (_, _, fmt) in zip(names.outputs, hardware.outputs)]
    ports = [f"input [{w - 1}:0] {n}" for n, w in inputs] + ["output trigger"]
    connect = [f".{n}({n})" for n, _ in inputs]
    lines = [f"module miter({', '.join(ports)});", "  wire legal;"]
    lines += [f"  wire [{w - 1}:0] ref_{n}, impl_{n};" for n, w in outputs]
    lines.append(f"  {REFERENCE} r({', '.join(connect + [f'.{n}(ref_{n})' for n, _ in outputs] + ['.legal(legal)'])});")
    lines.append(f"  {top} i({', '.join(connect + [f'.{n}(impl_{n})' for n, _ in outputs])});")
    differ = " || ".join(f"(ref_{n} != impl_{n})" for n, _ in outputs) or "0"
    lines += [f"  assign trigger = legal && ({differ});", "endmodule", ""]
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------
# Proving


@dataclass
class EquivalenceResult:
    proved: bool
    module: str
    inputs: int
    outputs: int
    latency: int
    seconds: float
    log: str
    method: str = "SAT"

    def summary(self) -> str:
        verdict = "PROVED equivalent" if self.proved else "NOT equivalent"
        return (f"equivalence: {verdict}: @{self.module} ({self.inputs} inputs, {self.outputs} "
                f"outputs, latency {self.latency}) against the plain reference ({self.method}), "
                f"{self.seconds:.1f} s")


def yosys_available() -> bool:
    return shutil.which("yosys") is not None and shutil.which("yosys-abc") is not None


def prove_rtl(reference: str, hardware, timeout: float = 600, method: str = "SAT") -> EquivalenceResult:
    """Prove the rtl module ``hardware`` (pipelined or not) equivalent to the Verilog
    ``reference`` (module ``reference``, combinational, with a ``legal`` output)."""
    if not yosys_available():
        raise CompileError("equivalence", "Yosys is not installed (apt-get install yosys)")
    register_depths(hardware)
    flat = combinational_view(hardware)
    start = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="fpga-opt-equiv-") as folder:
        Path(folder, "reference.v").write_text(reference)
        Path(folder, "implementation.v").write_text(emit_verilog(flat))
        Path(folder, "miter.v").write_text(miter_verilog(flat))
        Path(folder, "miter.ys").write_text("\n".join([
            "read_verilog reference.v", "read_verilog implementation.v", "read_verilog miter.v",
            "hierarchy -top miter", "proc", "flatten", "opt", "techmap", "opt", "aigmap",
            "write_aiger miter.aig", ""]))
        try:
            build = subprocess.run(["yosys", "-q", "-s", "miter.ys"], cwd=folder, capture_output=True,
                                   text=True, timeout=timeout)
            if build.returncode != 0:
                raise CompileError("equivalence", f"Yosys could not build the miter:\n{build.stderr[-2000:]}")
            done = subprocess.run([_abc(), "-c", "read_aiger miter.aig; iprove"], cwd=folder,
                                  capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            raise CompileError("equivalence", f"no proof within {timeout:.0f} s "
                                              "(the design may be too large to prove)") from None
    log = done.stdout + done.stderr
    if "UNSATISFIABLE" in log:
        proved = True
    elif "SATISFIABLE" in log:
        proved = False
    else:
        raise CompileError("equivalence", f"the prover gave no verdict:\n{log[-2000:]}")
    return EquivalenceResult(proved, hardware.sym_name.data, len(hardware.inputs),
                             len(hardware.outputs), hardware.latency_cycles,
                             time.monotonic() - start, log, method)


def _abc() -> str:
    return shutil.which("yosys-abc") or "yosys-abc"


def prove_equivalence(module: builtin.ModuleOp, cutoff: int = 0, objective: str = "adders",
                      timeout: float = 600, direct: bool = False) -> EquivalenceResult:
    """Compile ``module`` (fixedpoint, or cmvm before cmvm-optimize; not modified) with
    cmvm-optimize, cmvm-to-rtl and rtl-pipeline{cutoff}, and prove the result equivalent to
    the plain reference written from the unoptimized cmvm IR."""
    from ..lowering.fixedpoint_to_cmvm import FixedPointToCmvm
    from ..transforms.cmvm_optimize import CmvmOptimize
    from ..transforms.fixedpoint_infer_precision import FixedPointInferPrecision

    ctx = Context()
    plain = module.clone()
    if any(isinstance(t, FixedTensorType) for f in plain.walk() if isinstance(f, func.FuncOp)
           for t in f.function_type.inputs.data):
        FixedPointInferPrecision().apply(ctx, plain)
        FixedPointToCmvm().apply(ctx, plain)
    for f in plain.walk():
        if isinstance(f, func.FuncOp) and not all(isinstance(t, FxType) for t in f.function_type.inputs.data):
            raise CompileError("equivalence", "expects a fixedpoint or cmvm module (before cmvm-to-rtl)")
    compiled = plain.clone()
    CmvmOptimize(objective=objective).apply(ctx, compiled)
    return prove_optimized(plain, compiled, cutoff, timeout, direct)


def prove_optimized(plain: builtin.ModuleOp, optimized: builtin.ModuleOp, cutoff: int = 0,
                    timeout: float = 600, direct: bool = False) -> EquivalenceResult:
    """Prove ``optimized`` (a cmvm module after the optimizer, e.g.
    ``lowering.optimizer_ir.optimize(W, formats).module``), lowered by cmvm-to-rtl and
    rtl-pipeline{cutoff}, equivalent to ``plain`` (the same function with its ``cmvm.matrix``
    ops).

    SAT solvers do not scale to re-associated sums of products, so by default the proof
    has two exact steps: (1) the optimized function equals the plain one symbolically --
    every value as an exact linear form of the inputs and of the results of nonlinear ops,
    which are compared as uninterpreted functions of their operands' forms; (2) Yosys/ABC
    prove the Verilog equal to a plain reference written from the optimized cmvm IR, which
    checks cmvm-to-rtl, rtl-pipeline and the printer bit for bit.  ``direct=True`` instead
    proves the Verilog against the reference written from ``plain`` (W x as multiplications)
    in one SAT run, which only small designs finish."""
    from ..interpreters.rtl import single_module
    from ..lowering.cmvm_to_rtl import CmvmToRtl
    from ..transforms.rtl_pipeline import RtlPipeline

    compiled = optimized.clone()
    CmvmToRtl().apply(Context(), compiled)
    RtlPipeline(cutoff=cutoff).apply(Context(), compiled)
    compiled.verify()
    hardware = single_module(compiled)
    if direct:
        return prove_rtl(reference_verilog(plain, hardware), hardware, timeout, "multiplications, SAT")
    if symbolic_outputs(plain) != symbolic_outputs(optimized):
        return EquivalenceResult(False, hardware.sym_name.data, len(hardware.inputs),
                                 len(hardware.outputs), hardware.latency_cycles, 0.0,
                                 "the optimized function is not symbolically W x", "symbolic")
    return prove_rtl(reference_verilog(optimized, hardware), hardware, timeout,
                     "symbolic linear forms + SAT")


def matrix_module(W, input_formats, name: str = "cmvm") -> builtin.ModuleOp:
    """``y = W x`` as one plain ``cmvm.matrix`` op: the unoptimized form of a CMVM problem."""
    from xdsl.ir import Block, Region

    block = Block(arg_types=[FxType(fmt if isinstance(fmt, Format) else Format(*fmt))
                             for fmt in input_formats])
    for k, arg in enumerate(block.args):
        arg.name_hint = f"x{k}"
    op = cmvm.MatrixOp(list(block.args), [[int(w) for w in row] for row in W])
    block.add_ops([op, func.ReturnOp(*op.results)])
    function = func.FuncOp(name, (block.arg_types, list(op.results.types)), Region(block))
    return builtin.ModuleOp([function])


@dataclass(frozen=True)
class EquivalenceTarget(Target):
    """``-t 'equivalence{cutoff=N}'``: prove, print the verdict; not equivalent = error."""

    name: ClassVar[str] = "equivalence"

    cutoff: int = 0
    objective: str = "adders"
    timeout: int = 600

    def emit(self, ctx: Context, module: builtin.ModuleOp, output: IO[str]) -> None:
        result = prove_equivalence(module, self.cutoff, self.objective, self.timeout)
        if not result.proved:
            raise CompileError("equivalence", result.summary() + "\n" + result.log[-3000:])
        output.write(result.summary() + "\n")
