"""The rtl dialect's attributes: the fixed-point format of a module port."""

from __future__ import annotations

from xdsl.dialects.builtin import (
    IntAttr,
)
from xdsl.ir import (
    ParametrizedAttribute,
)
from xdsl.irdl import (
    irdl_attr_definition,
)
from xdsl.parser import AttrParser, Parser
from xdsl.printer import Printer
from xdsl.utils.exceptions import VerifyException

from ...numerics import Format


@irdl_attr_definition
class FixedFormatAttr(ParametrizedAttribute):
    """The fixed-point format ``fixed<k,i,f>`` of a port (see numerics.Format)."""

    name = "rtl.fixed"

    k: IntAttr
    i: IntAttr
    f: IntAttr

    def __init__(self, fmt: Format):
        super().__init__(IntAttr(fmt.k), IntAttr(fmt.i), IntAttr(fmt.f))

    @property
    def format(self) -> Format:
        return Format(self.k.data, self.i.data, self.f.data)

    @classmethod
    def parse_parameters(cls, parser: AttrParser) -> tuple[IntAttr, IntAttr, IntAttr]:
        pos = parser.pos
        values = parser.parse_comma_separated_list(parser.Delimiter.ANGLE, parser.parse_integer)
        if len(values) != 3:
            parser.raise_error("expected <k,i,f>", pos, parser.pos)
        return tuple(IntAttr(v) for v in values)

    def print_parameters(self, printer: Printer) -> None:
        printer.print_string(f"<{self.k.data},{self.i.data},{self.f.data}>")

    def verify(self) -> None:
        if self.k.data not in (0, 1):
            raise VerifyException(f"sign bit k must be 0 or 1 in {self.format}")
        if self.format.width < 1:
            raise VerifyException(f"a port needs at least one bit, {self.format} has none")


def parse_port_format(parser: Parser) -> FixedFormatAttr:
    parser.parse_keyword("fixed", " (the port's fixed-point format)")
    pos = parser.pos
    values = parser.parse_comma_separated_list(parser.Delimiter.ANGLE, parser.parse_integer)
    if len(values) != 3:
        parser.raise_error("expected fixed<k,i,f>", pos, parser.pos)
    return FixedFormatAttr(Format(*values))
