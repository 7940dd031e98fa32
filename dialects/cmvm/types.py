"""The scalar fixed-point type of the cmvm dialect: ``!cmvm.fx<range<-128,127,0>>``.

A value of type ``!cmvm.fx<P>`` is one number whose precision ``P`` is a declared format
``fixed<k,i,f>`` or an exact interval ``range<lo,hi,f>`` (the spelling of the fixedpoint
dialect).  A type is a claim about every value the SSA value can take: its interval must
contain all of them, and its resolution ``2**-f`` must divide all of them.
"""

from __future__ import annotations

from xdsl.ir import Data, SSAValue, TypeAttribute
from xdsl.irdl import irdl_attr_definition
from xdsl.parser import AttrParser
from xdsl.printer import Printer

from ...numerics import Format, Interval, Precision, constant_interval
from ..fixedpoint.types import check_precision, parse_precision, print_precision


@irdl_attr_definition
class FxType(Data[Precision], TypeAttribute):
    """One fixed-point number: ``!cmvm.fx<fixed<1,7,0>>`` or ``!cmvm.fx<range<0,5,-1>>``."""

    name = "cmvm.fx"

    @classmethod
    def parse_parameter(cls, parser: AttrParser) -> Precision:
        with parser.in_angle_brackets():
            return parse_precision(parser)

    def print_parameter(self, printer: Printer) -> None:
        with printer.in_angle_brackets():
            print_precision(printer, self.data)

    def verify(self) -> None:
        check_precision(self.data)

    @property
    def interval(self) -> Interval:
        return self.data.interval()

    @property
    def width(self) -> int:
        return self.data.width


def fx(precision: Precision | tuple[int, int, int]) -> FxType:
    """``fx((1, 7, 0))`` is int8; an Interval gives an exact-range type."""
    if isinstance(precision, tuple):
        precision = Format(*precision)
    return FxType(precision)


def value_interval(value: SSAValue) -> Interval:
    """The interval the type of a cmvm value declares."""
    assert isinstance(value.type, FxType), f"expected a !cmvm.fx value, got {value.type}"
    return value.type.interval


def holds(declared: Precision, exact: Interval) -> bool:
    """Whether a declared precision can hold every value of ``exact``: its interval
    contains them and its resolution is at least as fine."""
    d = declared.interval()
    if exact.lo == exact.hi == 0:
        return d.lo <= 0 <= d.hi
    if exact.lo == exact.hi:
        exact = constant_interval(exact.lo, exact.f)
    return d.f >= exact.f and d.contains(exact)
