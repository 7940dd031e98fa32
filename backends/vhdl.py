"""The ``vhdl`` target: synthesizable VHDL-2008 from ``rtl`` modules.

One entity per ``rtl.module`` (ports ``std_logic_vector``, the clock ``std_logic``), one
``unsigned`` signal per SSA value (``ieee.numeric_std``), a constant array per lookup
table, and one clocked process for all registers (initialized to zero, as the rtl
interpreter assumes).  Example:

    library ieee;
    use ieee.std_logic_1164.all;
    use ieee.numeric_std.all;

    entity dense is
      port (
        x0 : in  std_logic_vector(7 downto 0);  -- fixed<1,7,0>
        x1 : in  std_logic_vector(7 downto 0);  -- fixed<1,7,0>
        y0 : out std_logic_vector(8 downto 0)   -- fixed<1,8,0>
      );
    end entity dense;

    architecture rtl of dense is
      signal x0_in : unsigned(7 downto 0);
      ...
      signal s : unsigned(8 downto 0);
    begin
      x0_in <= unsigned(x0);
      ...
      s <= a + b;
      y0 <= std_logic_vector(s);
    end architecture rtl;

VHDL identifiers are case-insensitive, may not start or end with an underscore or hold two
in a row, and exclude the reserved words: every name (entity, port, signal) is made legal
and unique here, and ``vhdl_interface`` tells a testbench what the ports are called.

Each rtl operation has one handler in ``HANDLERS`` (operation class -> function that
writes its statements), so a new rtl operation is one function and one entry.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import IO, ClassVar

from xdsl.context import Context
from xdsl.dialects import builtin
from xdsl.ir import Operation, SSAValue
from xdsl.utils.target import Target

from ..dialects import rtl
from ..dialects.rtl import width_of
from ..errors import CompileError

VHDL_RESERVED = frozenset(
    """abs access after alias all and architecture array assert assume assume_guarantee
    attribute begin block body buffer bus case component configuration constant context
    cover default disconnect downto else elsif end entity exit fairness file for force
    function generate generic group guarded if impure in inertial inout is label library
    linkage literal loop map mod nand new next nor not null of on open or others out
    package parameter port postponed procedure process property protected pure range
    record register reject release rem report restrict restrict_guarantee return rol ror
    select sequence severity shared signal sla sll sra srl strong subtype then to transport
    type unaffected units until use variable vmode vprop vunit wait when while with xnor
    xor""".split()
)
"""VHDL-2008's reserved words (IEEE 1076-2008, 15.10)."""

PRINTER_NAMES = frozenset(
    """ieee std work std_logic_1164 numeric_std std_logic std_logic_vector unsigned signed
    resize to_integer rising_edge integer natural boolean bit character string rtl""".split()
)
"""Names the printed text itself refers to: a signal so named would hide them."""

ARCHITECTURE = "rtl"
_NOT_IDENTIFIER = re.compile(r"[^A-Za-z0-9_]")


def vhdl_identifier(hint: str) -> str:
    """``hint`` as a legal VHDL basic identifier: underscores single and inside, a letter
    first, not a reserved word (``_x__y_`` -> ``x_y``, ``signal`` -> ``signal_v``)."""
    name = re.sub(r"_+", "_", _NOT_IDENTIFIER.sub("_", hint)).strip("_")
    if not name[:1].isalpha():
        name = f"n_{name}" if name else "n"
    if name.lower() in VHDL_RESERVED or name.lower() in PRINTER_NAMES:
        name += "_v"
    return name


@dataclass(frozen=True)
class VhdlInterface:
    """What the ports of a module's entity are called, in the order of the rtl ports."""

    entity: str
    clock: str | None
    inputs: list[str]
    outputs: list[str]


def _modules(module: builtin.ModuleOp | rtl.ModuleOp) -> list[rtl.ModuleOp]:
    ops = [module] if isinstance(module, rtl.ModuleOp) else list(module.ops)
    for op in ops:
        if not isinstance(op, rtl.ModuleOp):
            raise CompileError(
                "vhdl target",
                f"only rtl.module can be printed as VHDL, found {op.name} "
                "(lower to rtl first, e.g. with -p compile)",
            )
    if not ops:
        raise CompileError("vhdl target", "the input holds no rtl.module")
    return ops


def print_vhdl(module: builtin.ModuleOp | rtl.ModuleOp) -> str:
    """The VHDL-2008 text of every ``rtl.module`` in ``module``."""
    entities: set[str] = set()
    texts = []
    for m in _modules(module):
        printer = ModulePrinter(m)
        if printer.interface.entity.lower() in entities:
            raise CompileError(
                f"rtl.module @{m.sym_name.data}",
                f"two modules map to the VHDL entity '{printer.interface.entity}' "
                "(VHDL names are case-insensitive)",
            )
        entities.add(printer.interface.entity.lower())
        texts.append(printer.text())
    return "\n".join(texts)


def vhdl_interface(module: rtl.ModuleOp) -> VhdlInterface:
    """The entity and port names ``print_vhdl`` gives ``module``."""
    return ModulePrinter(module).interface


@dataclass(frozen=True)
class VhdlTarget(Target):
    """``-t vhdl``: print every rtl.module as a VHDL-2008 entity and architecture."""

    name: ClassVar[str] = "vhdl"

    def emit(self, ctx: Context, module: builtin.ModuleOp, output: IO[str]) -> None:
        output.write(print_vhdl(module))


def _vector(width: int) -> str:
    return f"({width - 1} downto 0)"


def literal(value: int, width: int) -> str:
    """A sized VHDL-2008 bit-string literal of ``width`` bits: ``9x"1fd"``."""
    return f'{width}x"{value % (1 << width):x}"'


class ModulePrinter:
    """Names and statements of one module's entity and architecture."""

    def __init__(self, module: rtl.ModuleOp):
        self.module = module
        self.taken: set[str] = set()  # lower case
        self.names: dict[SSAValue, str] = {}
        self.declarations: list[str] = []
        self.statements: list[str] = []
        self.clocked: list[str] = []
        entity = self.fresh(module.sym_name.data)
        self.taken.add(ARCHITECTURE)
        clock = self.fresh(module.clock.data) if module.clock is not None else None
        inputs = [self.fresh(name) for name, _, _ in module.inputs]
        outputs = [self.fresh(name) for name, _, _ in module.outputs]
        self.interface = VhdlInterface(entity, clock, inputs, outputs)

    # -- naming --------------------------------------------------------------------------

    def fresh(self, hint: str) -> str:
        """A legal identifier after ``hint``, unique in this design unit (any case)."""
        base = vhdl_identifier(hint)
        name, n = base, 1
        while name.lower() in self.taken:
            n += 1
            name = f"{base}_{n}"
        self.taken.add(name.lower())
        return name

    def _hint(self, op: Operation, value: SSAValue) -> str:
        if value.name_hint:
            return value.name_hint
        if isinstance(op, rtl.RegOp):
            return f"{self.names[op.input]}_r"
        return op.name.split(".")[-1]

    def __getitem__(self, value: SSAValue) -> str:
        return self.names[value]

    # -- what handlers call ------------------------------------------------------------

    def assign(self, value: SSAValue, expression: str) -> None:
        self.statements.append(f"  {self[value]} <= {expression};")

    def bit(self, value: SSAValue, index: int) -> str:
        return f"{self[value]}({index})"

    # -- the module ----------------------------------------------------------------------

    def text(self) -> str:
        module, interface = self.module, self.interface
        for (_, arg, _), port in zip(module.inputs, interface.inputs):
            self.names[arg] = self.fresh(f"{port}_in")
            self.declarations.append(self._signal(self[arg], width_of(arg)))
            self.statements.append(f"  {self[arg]} <= unsigned({port});")
        for op in module.block.ops:
            if isinstance(op, rtl.OutputOp):
                continue
            handler = HANDLERS.get(type(op))
            if handler is None:
                raise CompileError(op.name, "the VHDL printer does not know this operation")
            for result in op.results:
                self.names[result] = self.fresh(self._hint(op, result))
                self.declarations.append(
                    self._signal(self[result], width_of(result), isinstance(op, rtl.RegOp))
                )
            handler(self, op)
        for port, (_, value, _) in zip(interface.outputs, module.outputs):
            self.statements.append(f"  {port} <= std_logic_vector({self[value]});")
        if self.clocked:
            assert interface.clock is not None
            self.statements += [
                f"  registers : process ({interface.clock})",
                "  begin",
                f"    if rising_edge({interface.clock}) then",
                *self.clocked,
                "    end if;",
                "  end process registers;",
            ]
        return "\n".join(
            [
                f"-- rtl.module @{module.sym_name.data}, generated by fpga-opt; "
                f"latency {module.latency_cycles} cycle(s)",
                "library ieee;",
                "use ieee.std_logic_1164.all;",
                "use ieee.numeric_std.all;",
                "",
                f"entity {interface.entity} is",
                "  port (",
                *self._ports(),
                "  );",
                f"end entity {interface.entity};",
                "",
                f"architecture {ARCHITECTURE} of {interface.entity} is",
                *self.declarations,
                "begin",
                *self.statements,
                f"end architecture {ARCHITECTURE};",
                "",
            ]
        )

    @staticmethod
    def _signal(name: str, width: int, zero: bool = False) -> str:
        init = " := (others => '0')" if zero else ""
        return f"  signal {name} : unsigned{_vector(width)}{init};"

    def _ports(self) -> list[str]:
        module, interface = self.module, self.interface
        ports: list[tuple[str, str]] = []
        if interface.clock is not None:
            ports.append((f"{interface.clock} : in  std_logic",
                          self._comment(module.clock.data, interface.clock, "clock")))
        for port, (name, value, fmt) in zip(interface.inputs, module.inputs):
            ports.append((f"{port} : in  std_logic_vector{_vector(width_of(value))}",
                          self._comment(name, port, fmt)))
        for port, (name, value, fmt) in zip(interface.outputs, module.outputs):
            ports.append((f"{port} : out std_logic_vector{_vector(width_of(value))}",
                          self._comment(name, port, fmt)))
        column = max(len(decl) for decl, _ in ports) + 1
        return [
            f"    {(decl + (';' if pos + 1 < len(ports) else '')).ljust(column)} -- {comment}"
            for pos, (decl, comment) in enumerate(ports)
        ]

    @staticmethod
    def _comment(name: str, port: str, what: object) -> str:
        return str(what) if name == port else f"{what} (rtl port '{name}')"


# ---------------------------------------------------------------------------------------
# One handler per rtl operation


def _constant(p: ModulePrinter, op: rtl.ConstantOp) -> None:
    p.assign(op.result, literal(op.bits_value, width_of(op.result)))


def _add(p: ModulePrinter, op: rtl.AddOp) -> None:
    p.assign(op.result, f"{p[op.lhs]} + {p[op.rhs]}")


def _sub(p: ModulePrinter, op: rtl.SubOp) -> None:
    p.assign(op.result, f"{p[op.lhs]} - {p[op.rhs]}")


def _add3(p: ModulePrinter, op: rtl.TernaryAddOp) -> None:
    signs = op.signs.data
    p.assign(op.result, f"{p[op.a]} {signs[1]} {p[op.b]} {signs[2]} {p[op.c]}")


def _extract(p: ModulePrinter, op: rtl.ExtractOp) -> None:
    low, width = op.low, width_of(op.result)
    p.assign(op.result, f"{p[op.input]}({low + width - 1} downto {low})")


def _concat(p: ModulePrinter, op: rtl.ConcatOp) -> None:
    p.assign(op.result, " & ".join(p[v] for v in op.inputs))


def _sext(p: ModulePrinter, op: rtl.SExtOp) -> None:
    p.assign(op.result, f"unsigned(resize(signed({p[op.input]}), {width_of(op.result)}))")


def _zext(p: ModulePrinter, op: rtl.ZExtOp) -> None:
    p.assign(op.result, f"resize({p[op.input]}, {width_of(op.result)})")


_RELATIONS = {"eq": "=", "ne": "/=", "lt": "<", "le": "<=", "gt": ">", "ge": ">="}


def _icmp(p: ModulePrinter, op: rtl.ICmpOp) -> None:
    predicate = op.predicate.data
    lhs, rhs = p[op.lhs], p[op.rhs]
    if predicate[0] == "s":
        lhs, rhs = f"signed({lhs})", f"signed({rhs})"
    relation = _RELATIONS[predicate.lstrip("su")]
    p.assign(op.result, f'"1" when {lhs} {relation} {rhs} else "0"')


def _mux(p: ModulePrinter, op: rtl.MuxOp) -> None:
    p.assign(op.result, f'{p[op.true_value]} when {p[op.cond]} = "1" else {p[op.false_value]}')


ROM_ENTRIES_PER_LINE = 8


def _rom(p: ModulePrinter, op: rtl.RomOp) -> None:
    name, width = p[op.result], width_of(op.result)
    entries = op.entries
    table_type, table = p.fresh(f"{name}_table_t"), p.fresh(f"{name}_table")
    p.declarations.append(
        f"  type {table_type} is array (0 to {len(entries) - 1}) of unsigned{_vector(width)};"
    )
    literals = [literal(e, width) for e in entries]
    rows = [
        ", ".join(literals[i : i + ROM_ENTRIES_PER_LINE])
        for i in range(0, len(literals), ROM_ENTRIES_PER_LINE)
    ]
    p.declarations.append(f"  constant {table} : {table_type} := (")
    p.declarations += [f"    {row}{',' if k + 1 < len(rows) else ''}" for k, row in enumerate(rows)]
    p.declarations.append("  );")
    p.assign(op.result, f"{table}(to_integer({p[op.index]}))")


def _reg(p: ModulePrinter, op: rtl.RegOp) -> None:
    p.clocked.append(f"      {p[op.result]} <= {p[op.input]};")


HANDLERS: dict[type[Operation], Callable[[ModulePrinter, Operation], None]] = {
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
"""How each rtl operation is printed: a new operation adds one function here."""
