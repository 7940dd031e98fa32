"""The ``verilog`` target: synthesizable Verilog-2001 from ``rtl`` modules.

One Verilog module per ``rtl.module``, ANSI port list with each port's fixed-point format
in a comment, one named wire per SSA value (named after its SSA name where it has one), a
``case`` ROM per lookup table and one ``always @(posedge clk)`` block for all registers.
Bits that nothing reads are collected into a ``_unused`` wire (Verilator's idiom), so the
output lints clean under ``verilator --lint-only -Wall``.  Example:

    module dense (
      input  wire [7:0] x0,  // fixed<1,7,0>
      input  wire [7:0] x1,  // fixed<1,7,0>
      output wire [8:0] y0   // fixed<1,8,0>
    );
      wire [8:0] a = {{1{x0[7]}}, x0};
      wire [8:0] b = {{1{x1[7]}}, x1};
      wire [8:0] s = a + b;
      assign y0 = s;
    endmodule
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import IO, ClassVar

from xdsl.context import Context
from xdsl.dialects import builtin
from xdsl.ir import Operation, SSAValue
from xdsl.utils.target import Target

from ..dialects import rtl
from ..dialects.rtl import width_of
from ..errors import CompileError
from .verilog_names import VERILOG_KEYWORDS, verilog_interface
from .xilinx_primitives import ARCHS, ternary_adder_lines

UNUSED_SINK = "_unused"
_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]*")
_KIND_NAMES: dict[type[Operation], str] = {
    rtl.ConstantOp: "k",
    rtl.AddOp: "add",
    rtl.SubOp: "sub",
    rtl.TernaryAddOp: "add3",
    rtl.ExtractOp: "slice",
    rtl.ConcatOp: "cat",
    rtl.SExtOp: "ext",
    rtl.ZExtOp: "ext",
    rtl.ICmpOp: "cmp",
    rtl.MuxOp: "mux",
    rtl.RomOp: "rom",
}
_REGISTER_NAME = re.compile(r"(.*)_r(\d+)")
"""Wire names for values without a usable SSA name, after what computes them."""


def emit_verilog(module: builtin.ModuleOp | rtl.ModuleOp, names: dict[str, str] | None = None,
                 arch: str = "generic") -> str:
    """The Verilog text of every ``rtl.module`` in ``module``; ``names`` renames modules
    (``{"main": "jet"}``: the Verilog module of ``@main`` is called ``jet``); ``arch``
    ``xc7`` / ``xcu`` prints three-input adders as Xilinx primitives
    (backends/xilinx_primitives.py)."""
    if arch not in ARCHS:
        raise CompileError("verilog target", f"unknown arch '{arch}' (known: {', '.join(ARCHS)})")
    ops = [module] if isinstance(module, rtl.ModuleOp) else list(module.ops)
    modules: list[rtl.ModuleOp] = []
    for op in ops:
        if not isinstance(op, rtl.ModuleOp):
            raise CompileError(
                "verilog target",
                f"only rtl.module can be printed as Verilog, found {op.name} "
                "(lower to rtl first, e.g. with -p compile)",
            )
        modules.append(op)
    if not modules:
        raise CompileError("verilog target", "the input holds no rtl.module")
    names = names or {}
    return "\n".join(_ModulePrinter(m, names.get(m.sym_name.data), arch).text() for m in modules)


@dataclass(frozen=True)
class VerilogTarget(Target):
    """``-t verilog``: print every rtl.module as Verilog-2001; ``-t 'verilog{top=jet}'``
    names the Verilog module of a single rtl.module ``jet``."""

    name: ClassVar[str] = "verilog"

    top: str = ""

    arch: str = "generic"
    """``-t 'verilog{arch=xc7}'``: the Xilinx 7-series flavour (``xcu``: UltraScale)."""

    def emit(self, ctx: Context, module: builtin.ModuleOp, output: IO[str]) -> None:
        names = {}
        if self.top:
            found = [op.sym_name.data for op in module.ops if isinstance(op, rtl.ModuleOp)]
            if len(found) != 1 or not _NAME.fullmatch(self.top) or self.top in VERILOG_KEYWORDS:
                raise CompileError("verilog target", f"top={self.top} needs one rtl.module and "
                                   "a legal Verilog name")
            names = {found[0]: self.top}
        output.write(emit_verilog(module, names, self.arch))


def _range(width: int) -> str:
    return "" if width == 1 else f"[{width - 1}:0] "


def _literal(value: int, width: int) -> str:
    return f"{width}'h{value % (1 << width):x}"


class _ModulePrinter:
    def __init__(self, module: rtl.ModuleOp, name: str | None = None, arch: str = "generic"):
        self.module = module
        self.interface = verilog_interface(module, name)  # keywords legalized
        self.verilog_name = self.interface.module
        self.arch = arch
        self.extra_unused: list[str] = []  # helper signals of primitive instances
        self.names: dict[SSAValue, str] = {}
        self.taken: set[str] = set()
        self.suffixes: dict[str, int] = {}  # next suffix to try per base name
        self.used_bits: dict[SSAValue, int] = {}

    # -- naming --------------------------------------------------------------------------

    def _default_name(self, op: Operation) -> str:
        """After what computes the value; a register after what it delays (s_r1, s_r2)."""
        if isinstance(op, rtl.RegOp):
            source = self.names[op.input]
            if (stage := _REGISTER_NAME.fullmatch(source)) and isinstance(op.input.owner, rtl.RegOp):
                return f"{stage[1]}_r{int(stage[2]) + 1}"
            return f"{source}_r1"
        return _KIND_NAMES[type(op)]

    def _fresh(self, hint: str | None, op: Operation) -> str:
        base = hint if hint and _NAME.fullmatch(hint) else self._default_name(op)
        name, n = base, self.suffixes.get(base, 0)
        while name in self.taken or name in VERILOG_KEYWORDS or UNUSED_SINK in name:
            n += 1
            name = f"{base}_{n}"
        self.suffixes[base] = n
        self.taken.add(name)
        return name

    def _name_values(self) -> None:
        ports = self.interface
        self.taken.update([*ports.inputs, *ports.outputs])
        if ports.clock is not None:
            self.taken.add(ports.clock)
        self.taken.add(UNUSED_SINK)
        for name, arg in zip(ports.inputs, self.module.block.args):
            self.names[arg] = name
        for op in self.module.block.ops:
            for result in op.results:
                self.names[result] = self._fresh(result.name_hint, op)

    # -- bit usage (for the _unused sink) ----------------------------------------------

    def _use(self, value: SSAValue, mask: int) -> None:
        self.used_bits[value] = self.used_bits.get(value, 0) | mask

    def _record_uses(self) -> None:
        for op in self.module.block.ops:
            for operand in op.operands:
                full = (1 << width_of(operand)) - 1
                if isinstance(op, rtl.ExtractOp):
                    self._use(operand, ((1 << width_of(op.result)) - 1) << op.low)
                else:
                    self._use(operand, full)

    def _unused_slices(self) -> list[str]:
        slices: list[str] = []
        values = [arg for arg in self.module.block.args] + [
            r for op in self.module.block.ops for r in op.results
        ]
        for value in values:
            width = width_of(value)
            used = self.used_bits.get(value, 0)
            name = self.names[value]
            if used == 0:
                slices.append(name)
                continue
            bit = 0
            while bit < width:
                if used >> bit & 1:
                    bit += 1
                    continue
                top = bit
                while top + 1 < width and not used >> (top + 1) & 1:
                    top += 1
                slices.append(name if width == 1 else (
                    f"{name}[{bit}]" if top == bit else f"{name}[{top}:{bit}]"
                ))
                bit = top + 1
        return slices

    # -- expressions -------------------------------------------------------------------

    def _bit(self, value: SSAValue, index: int) -> str:
        return self.names[value] if width_of(value) == 1 else f"{self.names[value]}[{index}]"

    def _expression(self, op: Operation) -> str:
        n = self.names
        match op:
            case rtl.ConstantOp():
                return _literal(op.bits_value, width_of(op.result))
            case rtl.AddOp():
                return f"{n[op.lhs]} + {n[op.rhs]}"
            case rtl.SubOp():
                return f"{n[op.lhs]} - {n[op.rhs]}"
            case rtl.TernaryAddOp():
                b, c = (f"{'-' if neg else '+'} {n[v]}" for v, neg in zip((op.b, op.c), op.negated[1:]))
                return f"{n[op.a]} {b} {c}"
            case rtl.ExtractOp():
                width, low = width_of(op.result), op.low
                if width == width_of(op.input):
                    return n[op.input]
                if width == 1:
                    return self._bit(op.input, low)
                return f"{n[op.input]}[{low + width - 1}:{low}]"
            case rtl.ConcatOp():
                return "{" + ", ".join(n[v] for v in op.inputs) + "}"
            case rtl.ZExtOp():
                extra = width_of(op.result) - width_of(op.input)
                return n[op.input] if extra == 0 else f"{{{extra}'d0, {n[op.input]}}}"
            case rtl.SExtOp():
                extra = width_of(op.result) - width_of(op.input)
                sign = self._bit(op.input, width_of(op.input) - 1)
                return n[op.input] if extra == 0 else f"{{{{{extra}{{{sign}}}}}, {n[op.input]}}}"
            case rtl.ICmpOp():
                return self._comparison(op)
            case rtl.MuxOp():
                return f"{n[op.cond]} ? {n[op.true_value]} : {n[op.false_value]}"
        raise CompileError(op.name, "the Verilog printer does not know this operation")

    def _comparison(self, op: rtl.ICmpOp) -> str:
        predicate = op.predicate.data
        symbol = {"eq": "==", "ne": "!=", "lt": "<", "le": "<=", "gt": ">", "ge": ">="}[
            predicate.lstrip("su")
        ]
        lhs, rhs = self.names[op.lhs], self.names[op.rhs]
        if predicate[0] == "s":
            lhs, rhs = f"$signed({lhs})", f"$signed({rhs})"
        return f"{lhs} {symbol} {rhs}"

    def _rom(self, op: rtl.RomOp) -> list[str]:
        name, width = self.names[op.result], width_of(op.result)
        index, index_width = self.names[op.index], width_of(op.index)
        lines = [
            f"  reg {_range(width)}{name};",
            "  always @(*) begin",
            f"    case ({index})",
        ]
        # _literal inlined: a network's ROMs can hold millions of entries
        index_modulus, modulus = 1 << index_width, 1 << width
        lines += [
            f"      {index_width}'h{i % index_modulus:x}: {name} = {width}'h{entry % modulus:x};"
            for i, entry in enumerate(op.entries)
        ]
        lines += ["    endcase", "  end"]
        return lines

    # -- the module ----------------------------------------------------------------------

    def text(self) -> str:
        module = self.module
        self._name_values()
        self._record_uses()
        out = [
            f"// rtl.module @{module.sym_name.data}, generated by fpga-opt; "
            f"latency {module.latency_cycles} cycle(s)",
            "`default_nettype none",
            f"module {self.verilog_name} (",
        ]
        out += self._ports()
        out.append(");")
        registers: list[rtl.RegOp] = []
        for op in module.block.ops:
            if isinstance(op, rtl.OutputOp):
                continue
            if isinstance(op, rtl.RegOp):
                registers.append(op)
                out.append(f"  reg {_range(width_of(op.result))}{self.names[op.result]};")
            elif isinstance(op, rtl.RomOp):
                out += self._rom(op)
            elif isinstance(op, rtl.TernaryAddOp) and self.arch != "generic":
                out += self._ternary_primitives(op)
            else:
                width = width_of(op.results[0])
                out.append(
                    f"  wire {_range(width)}{self.names[op.results[0]]} = {self._expression(op)};"
                )
        if registers:
            assert module.clock is not None
            out.append(f"  always @(posedge {self.interface.clock}) begin")
            out += [f"    {self.names[r.result]} <= {self.names[r.input]};" for r in registers]
            out.append("  end")
        for name, (_, value, _) in zip(self.interface.outputs, module.outputs):
            out.append(f"  assign {name} = {self.names[value]};")
        unused = self._unused_slices() + self.extra_unused
        if module.clock is not None and not registers:
            unused.append(self.interface.clock)
        if unused:
            out.append(f"  wire {UNUSED_SINK} = &{{1'b0, {', '.join(unused)}, 1'b0}};")
        out += ["endmodule", "`default_nettype wire", ""]
        return "\n".join(out)

    def _ternary_primitives(self, op: rtl.TernaryAddOp) -> list[str]:
        lines, helpers = ternary_adder_lines(
            self.arch, self.names[op.result], width_of(op.result),
            [self.names[v] for v in op.operands], list(op.negated),
            lambda j, i: self._bit(op.operands[j], i))
        self.extra_unused += helpers
        return lines

    def _ports(self) -> list[str]:
        module = self.module
        ports: list[tuple[str, str]] = []
        if module.clock is not None:
            ports.append((f"input  wire {self.interface.clock}", "clock"))
        for name, (_, value, fmt) in zip(self.interface.inputs, module.inputs):
            ports.append((f"input  wire {_range(width_of(value))}{name}", str(fmt)))
        for name, (_, value, fmt) in zip(self.interface.outputs, module.outputs):
            ports.append((f"output wire {_range(width_of(value))}{name}", str(fmt)))
        column = max((len(decl) for decl, _ in ports), default=0) + 1
        lines = []
        for pos, (decl, comment) in enumerate(ports):
            decl += "," if pos + 1 < len(ports) else ""
            lines.append(f"  {decl.ljust(column)} // {comment}")
        return lines
