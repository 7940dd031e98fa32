"""The scalar nonlinear ops of the cmvm dialect: ``relu``, ``max`` / ``min``, ``quantize`` and
``lookup``."""

from __future__ import annotations

from collections.abc import Sequence

from xdsl.ir import Attribute, SSAValue
from xdsl.irdl import irdl_op_definition, operand_def, prop_def, result_def, traits_def
from xdsl.parser import Parser
from xdsl.printer import Printer
from xdsl.traits import Pure
from xdsl.utils.exceptions import VerifyException

from ...numerics import (
    Format,
    Interval,
    Overflow,
    Rounding,
    interval_max,
    interval_min,
    quantize_interval,
    values_interval,
)
from ..fixedpoint.attributes import OverflowAttr, RoundingAttr
from ..fixedpoint.types import ValuesAttr, parse_precision
from .op_base import ZERO, CmvmOp, UnaryOp, set_exact_type
from .types import FxType, value_interval


@irdl_op_definition
class ReluOp(UnaryOp):
    """``max(input, 0)``."""

    name = "cmvm.relu"

    def result_ranges(self) -> list[Interval]:
        x = value_interval(self.input)
        return [Interval(max(x.lo, 0), max(x.hi, 0), x.f)]


class ExtremumOp(CmvmOp):
    lhs = operand_def(FxType)
    rhs = operand_def(FxType)
    result = result_def(FxType)
    traits = traits_def(Pure())
    assembly_format = "$lhs `,` $rhs attr-dict `:` `(` type($lhs) `,` type($rhs) `)` `->` type($result)"

    def __init__(self, lhs: SSAValue, rhs: SSAValue, result_type: Attribute | None = None):
        super().__init__(operands=[lhs, rhs], result_types=[result_type or FxType(ZERO)])
        if result_type is None:
            set_exact_type(self)


@irdl_op_definition
class MaxOp(ExtremumOp):
    name = "cmvm.max"

    def result_ranges(self) -> list[Interval]:
        return [interval_max(value_interval(self.lhs), value_interval(self.rhs))]


@irdl_op_definition
class MinOp(ExtremumOp):
    name = "cmvm.min"

    def result_ranges(self) -> list[Interval]:
        return [interval_min(value_interval(self.lhs), value_interval(self.rhs))]


@irdl_op_definition
class QuantizeOp(CmvmOp):
    """Round and wrap/saturate to a format: ``cmvm.quantize %x to fixed<1,3,2> RND SAT``."""

    name = "cmvm.quantize"
    input = operand_def(FxType)
    format = prop_def(FxType)
    rounding = prop_def(RoundingAttr)
    overflow = prop_def(OverflowAttr)
    result = result_def(FxType)
    traits = traits_def(Pure())

    def __init__(self, input: SSAValue, fmt: Format, rounding: Rounding, overflow: Overflow,
                 result_type: Attribute | None = None):
        props = {"format": FxType(fmt), "rounding": RoundingAttr(rounding),
                 "overflow": OverflowAttr(overflow)}
        if result_type is None:
            result_type = FxType(quantize_interval(value_interval(input), fmt, rounding, overflow))
        super().__init__(operands=[input], properties=props, result_types=[result_type])

    @property
    def target(self) -> Format:
        fmt = self.format.data
        assert isinstance(fmt, Format)
        return fmt

    def verify_structure(self) -> None:
        if not isinstance(self.format.data, Format):
            raise VerifyException(f"quantize needs a format fixed<k,i,f>, got {self.format.data}")

    def result_ranges(self) -> list[Interval]:
        return [quantize_interval(value_interval(self.input), self.target,
                                  self.rounding.data, self.overflow.data)]

    @classmethod
    def parse(cls, parser: Parser) -> QuantizeOp:
        unresolved = parser.parse_unresolved_operand()
        parser.parse_keyword("to")
        fmt = parse_precision(parser)
        rounding = parser.parse_str_enum(Rounding)
        overflow = parser.parse_str_enum(Overflow)
        attrs = parser.parse_optional_attr_dict()
        parser.parse_punctuation(":")
        input_type = parser.parse_type()
        parser.parse_punctuation("->")
        result_type = parser.parse_type()
        op = cls.create(
            operands=[parser.resolve_operand(unresolved, input_type)],
            properties={"format": FxType(fmt), "rounding": RoundingAttr(rounding),
                        "overflow": OverflowAttr(overflow)},
            result_types=[result_type], attributes=attrs)
        return op

    def print(self, printer: Printer) -> None:
        printer.print_string(" ")
        printer.print_operand(self.input)
        printer.print_string(f" to {self.format.data} {self.rounding.data} {self.overflow.data}")
        printer.print_op_attributes(self.attributes)
        printer.print_string(" : ")
        printer.print_attribute(self.input.type)
        printer.print_string(" -> ")
        printer.print_attribute(self.result.type)


@irdl_op_definition
class LookupOp(CmvmOp):
    """A table of constants indexed by the input's mantissa over a domain ``range<lo,hi,f>``:
    input ``m * 2**-f`` (lo <= m <= hi) gives ``table[m - lo]``."""

    name = "cmvm.lookup"
    input = operand_def(FxType)
    domain = prop_def(FxType)
    table = prop_def(ValuesAttr)
    result = result_def(FxType)
    traits = traits_def(Pure())

    def __init__(self, input: SSAValue, domain: Interval, mantissas: Sequence[int], f: int,
                 result_type: Attribute | None = None):
        props = {"domain": FxType(domain), "table": ValuesAttr(mantissas, f)}
        super().__init__(operands=[input], properties=props, result_types=[result_type or FxType(ZERO)])
        if result_type is None:
            set_exact_type(self)

    @property
    def domain_interval(self) -> Interval:
        d = self.domain.data
        assert isinstance(d, Interval)
        return d

    def verify_structure(self) -> None:
        d = self.domain.data
        if not isinstance(d, Interval):
            raise VerifyException(f"lookup domain must be a range<lo,hi,f>, got {d}")
        size = d.hi - d.lo + 1
        if len(self.table.data.mantissas) != size:
            raise VerifyException(
                f"lookup over {d} needs {size} table entries, got {len(self.table.data.mantissas)}")
        x = value_interval(self.input)
        if x.f > d.f or not d.contains(x):
            raise VerifyException(f"lookup input of type {self.input.type.data} is not inside its domain {d}")

    def result_ranges(self) -> list[Interval]:
        d, x = self.domain_interval, value_interval(self.input).at(self.domain_interval.f)
        entries = self.table.data.mantissas[x.lo - d.lo: x.hi - d.lo + 1]
        return [values_interval(entries, self.table.data.f)]

    @classmethod
    def parse(cls, parser: Parser) -> LookupOp:
        unresolved = parser.parse_unresolved_operand()
        parser.parse_keyword("over")
        domain = parse_precision(parser)
        parser.parse_keyword("table")
        table = ValuesAttr(ValuesAttr.parse_parameter(parser))
        attrs = parser.parse_optional_attr_dict()
        parser.parse_punctuation(":")
        input_type = parser.parse_type()
        parser.parse_punctuation("->")
        result_type = parser.parse_type()
        return cls.create(
            operands=[parser.resolve_operand(unresolved, input_type)],
            properties={"domain": FxType(domain), "table": table},
            result_types=[result_type], attributes=attrs)

    def print(self, printer: Printer) -> None:
        printer.print_string(" ")
        printer.print_operand(self.input)
        printer.print_string(f" over {self.domain.data} table ")
        self.table.print_parameter(printer)
        printer.print_op_attributes(self.attributes)
        printer.print_string(" : ")
        printer.print_attribute(self.input.type)
        printer.print_string(" -> ")
        printer.print_attribute(self.result.type)

