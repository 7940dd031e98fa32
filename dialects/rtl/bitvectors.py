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


_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")


def is_port_name(name: str) -> bool:
    """A name usable for a module, clock or port: a simple identifier.  One that is a
    Verilog keyword is legalized by the printer (backends/verilog_names.py)."""
    return bool(_IDENTIFIER.match(name))
