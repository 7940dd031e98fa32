"""Legal Verilog names for an rtl module and its ports: the printer's keyword legalization.

The rtl dialect only asks that a module, clock or port name be a simple identifier
(``[A-Za-z_][A-Za-z0-9_]*``); whether it is a Verilog keyword is the printer's business.
A name that is a Verilog (or SystemVerilog) keyword is printed with ``_v`` appended, and
with ``_1``, ``_2`` ... after that if the result is taken by another port:

    rtl.module @module(%reg: i4 fixed<1,3,0>, %x: i4 ...) -> (end: i4 ...)
    ->  module module_v (input wire [3:0] reg_v, input wire [3:0] x, output wire [3:0] end_v);

Every name that is not a keyword prints as it is.  ``verilog_interface`` says what the
printed module and its ports are called, for whatever instantiates it (the project's
wrapper and testbench, the Verilator harness, the equivalence miter), as
``backends.vhdl.vhdl_interface`` does for VHDL.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..dialects import rtl

VERILOG_KEYWORDS = frozenset(
    """always and assign automatic begin buf bufif0 bufif1 case casex casez cell cmos config
    deassign default defparam design disable edge else end endcase endconfig endfunction
    endgenerate endmodule endprimitive endspecify endtable endtask event for force forever
    fork function generate genvar highz0 highz1 if ifnone incdir include initial inout input
    instance integer join large liblist library localparam macromodule medium module nand
    negedge nmos nor noshowcancelled not notif0 notif1 or output parameter pmos posedge
    primitive pull0 pull1 pulldown pullup pulsestyle_onevent pulsestyle_ondetect rcmos real
    realtime reg release repeat rnmos rpmos rtran rtranif0 rtranif1 scalared showcancelled
    signed small specify specparam strong0 strong1 supply0 supply1 table task time tran
    tranif0 tranif1 tri tri0 tri1 triand trior trireg unsigned use uwire vectored wait wand
    weak0 weak1 while wire wor xnor xor logic bit byte int""".split()
)


def legal_verilog_name(name: str, taken: set[str] | frozenset[str] = frozenset()) -> str:
    """``name`` if it is not a keyword and not ``taken``, else ``name_v`` for a keyword, then
    with ``_1``, ``_2`` ... until it is not ``taken``."""
    base = f"{name}_v" if name in VERILOG_KEYWORDS else name
    legal, n = base, 0
    while legal in taken:
        n += 1
        legal = f"{base}_{n}"
    return legal


@dataclass(frozen=True)
class VerilogInterface:
    """What the printed Verilog module and its ports are called, in the rtl port order."""

    module: str
    clock: str | None
    inputs: list[str]
    outputs: list[str]


def verilog_interface(module: rtl.ModuleOp, name: str | None = None) -> VerilogInterface:
    """The Verilog names of ``module`` (printed as ``name`` if given) and of its ports.
    The ports' names do not depend on the clock's (a module and its combinational view
    print the same ports); the clock gives way if a legalized port took its name."""
    ports = [*(n for n, _, _ in module.inputs), *(n for n, _, _ in module.outputs)]
    taken = {n for n in ports if n not in VERILOG_KEYWORDS}

    def legal(port: str) -> str:
        new = port if port not in VERILOG_KEYWORDS else legal_verilog_name(port, taken)
        taken.add(new)
        return new

    inputs = [legal(n) for n, _, _ in module.inputs]
    outputs = [legal(n) for n, _, _ in module.outputs]
    clock = None if module.clock is None else legal_verilog_name(module.clock.data, taken)
    return VerilogInterface(legal_verilog_name(name or module.sym_name.data), clock, inputs, outputs)
