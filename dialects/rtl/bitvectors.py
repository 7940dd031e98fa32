"""Bit-vector types of the rtl dialect, the legal port names, and the builder every rtl op uses."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache

from xdsl.dialects.builtin import (
    IntegerType,
)
from xdsl.ir import (
    Attribute,
    Operation,
    SSAValue,
)
from xdsl.irdl import (
    IRDLOperation,
)


def width_of(value: SSAValue | Attribute) -> int:
    """The bit width of an ``iN`` value or type."""
    typ = value.type if isinstance(value, SSAValue) else value
    assert isinstance(typ, IntegerType)
    return typ.width.data


@cache
def bits(width: int) -> IntegerType:
    """The type ``iN`` (one shared instance per width: attributes are immutable, and
    building one costs more than the operation that uses it)."""
    return IntegerType(width)


def build_op(
    op: IRDLOperation,
    operands: Sequence[SSAValue | Operation],
    result_type: Attribute,
    properties: dict[str, Attribute] | None = None,
) -> None:
    """Initialize ``op`` with its operands, its one result and its properties.  This is
    what IRDLOperation's generic builder ends in, without its checks of which argument
    fills which operand definition: each builder below passes exactly its op's operands,
    and lowering a network builds thousands of ops, at half the cost this way."""
    Operation.__init__(
        op,
        operands=[SSAValue.get(v) for v in operands],
        result_types=[result_type],
        properties=properties or {},
    )


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
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")


def is_port_name(name: str) -> bool:
    """A name usable as a Verilog port: a simple identifier that is not a keyword."""
    return bool(_IDENTIFIER.match(name)) and name not in VERILOG_KEYWORDS
