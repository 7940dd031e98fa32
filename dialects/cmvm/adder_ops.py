"""The adder-graph ops of the cmvm dialect: ``add`` / ``sub`` of a shifted operand, ``add3``,
``neg``, ``shift`` (wiring) and ``constant``."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from xdsl.dialects.builtin import I64, DenseArrayBase, IntAttr, IntegerAttr, i64
from xdsl.ir import Attribute, SSAValue
from xdsl.irdl import (
    irdl_op_definition,
    operand_def,
    prop_def,
    result_def,
    traits_def,
    var_operand_def,
)
from xdsl.parser import Parser
from xdsl.printer import Printer
from xdsl.traits import Pure
from xdsl.utils.exceptions import VerifyException

from ...numerics import Interval, constant_interval
from .attributes import parse_int_list, print_int_list
from .linear import Form, combine_forms
from .op_base import CmvmOp, LinearOp, UnaryOp, int_value
from .types import FxType, value_interval


class ShiftedBinaryOp(LinearOp):
    lhs = operand_def(FxType)
    rhs = operand_def(FxType)
    shift = prop_def(IntegerAttr[I64], default_value=IntegerAttr(0, i64))
    result = result_def(FxType)
    traits = traits_def(Pure())
    assembly_format = (
        "$lhs `,` $rhs (`shl` $shift^)? attr-dict `:` `(` type($lhs) `,` type($rhs) `)` `->` type($result)"
    )

    SIGN: ClassVar[int]

    def __init__(self, lhs: SSAValue, rhs: SSAValue, shift: int = 0, result_type: Attribute | None = None):
        props = {"shift": IntegerAttr(shift, i64)}
        if result_type is None:
            result_type = FxType(self.combine(value_interval(lhs), value_interval(rhs), shift))
        super().__init__(operands=[lhs, rhs], properties=props, result_types=[result_type])

    @property
    def amount(self) -> int:
        return int_value(self.shift)

    @classmethod
    def combine(cls, a: Interval, b: Interval, shift: int) -> Interval:
        b = b.shift(shift)
        return a + b if cls.SIGN > 0 else a - b

    def result_ranges(self) -> list[Interval]:
        return [self.combine(value_interval(self.lhs), value_interval(self.rhs), self.amount)]

    def result_form(self, index: int, operand_forms: Sequence[Form]) -> Form:
        return combine_forms(operand_forms[0], operand_forms[1], self.amount, self.SIGN)


@irdl_op_definition
class AddOp(ShiftedBinaryOp):
    """``lhs + rhs * 2**shift``."""

    name = "cmvm.add"
    SIGN: ClassVar[int] = 1


@irdl_op_definition
class SubOp(ShiftedBinaryOp):
    """``lhs - rhs * 2**shift``."""

    name = "cmvm.sub"
    SIGN: ClassVar[int] = -1


@irdl_op_definition
class TernaryAddOp(LinearOp):
    """``sum_i signs[i] * operand_i * 2**shifts[i]`` over three operands: one three-input
    adder (one LUT per bit on Xilinx 7-series / UltraScale, see cmvm-fuse-ternary).
    At least one sign is +1 (the hardware adds at most two negated terms).

        %y = cmvm.add3 %a, %b, %c shl [0, 1, -2] signs [1, -1, 1] : (T, T, T) -> T
    """

    name = "cmvm.add3"
    terms = var_operand_def(FxType)
    shifts = prop_def(DenseArrayBase)
    signs = prop_def(DenseArrayBase)
    result = result_def(FxType)
    traits = traits_def(Pure())

    def __init__(self, terms: Sequence[SSAValue], shifts: Sequence[int], signs: Sequence[int],
                 result_type: Attribute | None = None):
        props = {"shifts": DenseArrayBase.from_list(i64, list(shifts)),
                 "signs": DenseArrayBase.from_list(i64, list(signs))}
        if result_type is None:
            result_type = FxType(self.combine([value_interval(t) for t in terms], shifts, signs))
        super().__init__(operands=[list(terms)], properties=props, result_types=[result_type])

    @property
    def term_shifts(self) -> tuple[int, ...]:
        return self.shifts.get_values()

    @property
    def term_signs(self) -> tuple[int, ...]:
        return self.signs.get_values()

    @staticmethod
    def combine(ranges: Sequence[Interval], shifts: Sequence[int], signs: Sequence[int]) -> Interval:
        total = None
        for iv, shift, sign in zip(ranges, shifts, signs):
            term = iv.shift(shift) if sign > 0 else -iv.shift(shift)
            total = term if total is None else total + term
        assert total is not None
        return total

    def verify_structure(self) -> None:
        if not len(self.terms) == len(self.term_shifts) == len(self.term_signs) == 3:
            raise VerifyException(f"'{self.name}' needs three operands, three shifts and three signs")
        if any(s not in (1, -1) for s in self.term_signs) or 1 not in self.term_signs:
            raise VerifyException(f"'{self.name}' signs must be 1 or -1, at least one of them 1")

    def result_ranges(self) -> list[Interval]:
        return [self.combine([value_interval(t) for t in self.terms], self.term_shifts, self.term_signs)]

    def result_form(self, index: int, operand_forms: Sequence[Form]) -> Form:
        total: Form = ({}, 0)
        for form, shift, sign in zip(operand_forms, self.term_shifts, self.term_signs):
            total = combine_forms(total, form, shift, sign)
        return total

    @classmethod
    def parse(cls, parser: Parser) -> TernaryAddOp:
        operands = parser.parse_comma_separated_list(parser.Delimiter.NONE, parser.parse_unresolved_operand)
        parser.parse_keyword("shl")
        shifts = parse_int_list(parser)
        parser.parse_keyword("signs")
        signs = parse_int_list(parser)
        attrs = parser.parse_optional_attr_dict()
        parser.parse_punctuation(":")
        ftype = parser.parse_function_type()
        op = cls.create(
            operands=parser.resolve_operands(operands, ftype.inputs.data, parser.pos),
            result_types=list(ftype.outputs.data),
            properties={"shifts": DenseArrayBase.from_list(i64, list(shifts)),
                        "signs": DenseArrayBase.from_list(i64, list(signs))},
            attributes=attrs,
        )
        return op

    def print(self, printer: Printer) -> None:
        printer.print_string(" ")
        printer.print_list(self.terms, printer.print_operand)
        printer.print_string(" shl ")
        print_int_list(printer, self.term_shifts)
        printer.print_string(" signs ")
        print_int_list(printer, self.term_signs)
        printer.print_op_attributes(self.attributes)
        printer.print_string(" : (")
        printer.print_list(self.terms.types, printer.print_attribute)
        printer.print_string(") -> ")
        printer.print_attribute(self.result.type)


@irdl_op_definition
class NegOp(UnaryOp, LinearOp):
    """``-input``."""

    name = "cmvm.neg"

    def result_ranges(self) -> list[Interval]:
        return [-value_interval(self.input)]

    def result_form(self, index: int, operand_forms: Sequence[Form]) -> Form:
        coeffs, e = operand_forms[0]
        return {leaf: -c for leaf, c in coeffs.items()}, e


@irdl_op_definition
class ShiftOp(UnaryOp, LinearOp):
    """``input * 2**amount``: wiring, no logic (amount may be negative: exact)."""

    name = "cmvm.shift"
    amount = prop_def(IntegerAttr[I64])
    assembly_format = "$input `by` $amount attr-dict `:` type($input) `->` type($result)"

    def __init__(self, input: SSAValue, amount: int, result_type: Attribute | None = None):
        super().__init__(input, result_type, {"amount": IntegerAttr(amount, i64)})

    def result_ranges(self) -> list[Interval]:
        return [value_interval(self.input).shift(int_value(self.amount))]

    def result_form(self, index: int, operand_forms: Sequence[Form]) -> Form:
        coeffs, e = operand_forms[0]
        return coeffs, e + int_value(self.amount)


@irdl_op_definition
class ConstantOp(CmvmOp):
    """``value * 2**shift``: ``%c = cmvm.constant -3 shl -2 : !cmvm.fx<range<-3,-3,2>>``."""

    name = "cmvm.constant"
    value = prop_def(IntAttr)
    shift = prop_def(IntegerAttr[I64])
    result = result_def(FxType)
    traits = traits_def(Pure())

    def __init__(self, value: int, shift: int = 0, result_type: Attribute | None = None):
        result_type = result_type or FxType(constant_interval(value, -shift))
        super().__init__(properties={"value": IntAttr(value), "shift": IntegerAttr(shift, i64)},
                         result_types=[result_type])

    def mantissa_and_f(self) -> tuple[int, int]:
        """The constant as ``m * 2**-f``."""
        return self.value.data, -int_value(self.shift)

    def result_ranges(self) -> list[Interval]:
        return [constant_interval(*self.mantissa_and_f())]

    @classmethod
    def parse(cls, parser: Parser) -> ConstantOp:
        value = parser.parse_integer(context_msg=" constant value")
        shift = parser.parse_integer(context_msg=" shift amount") if parser.parse_optional_keyword("shl") else 0
        attrs = parser.parse_optional_attr_dict()
        parser.parse_punctuation(":")
        op = ConstantOp(value, shift, parser.parse_type())
        op.attributes |= attrs
        return op

    def print(self, printer: Printer) -> None:
        printer.print_string(f" {self.value.data}")
        if int_value(self.shift):
            printer.print_string(f" shl {int_value(self.shift)}")
        printer.print_op_attributes(self.attributes)
        printer.print_string(" : ")
        printer.print_attribute(self.result.type)

