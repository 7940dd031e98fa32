"""Combinational ops of the rtl dialect: constants, modular add/sub, bit slices, concat,
sign/zero extension, compare, mux and ROM."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import ClassVar

from xdsl.dialects.builtin import (
    I1,
    I64,
    BytesAttr,
    DenseArrayBase,
    IntegerAttr,
    IntegerType,
    SignlessIntegerConstraint,
    StringAttr,
    i64,
)
from xdsl.ir import (
    Operation,
    SSAValue,
)
from xdsl.irdl import (
    IRDLOperation,
    VarConstraint,
    irdl_op_definition,
    operand_def,
    prop_def,
    result_def,
    traits_def,
    var_operand_def,
)
from xdsl.parser import Parser
from xdsl.printer import Printer
from xdsl.traits import (
    Pure,
)
from xdsl.utils.exceptions import VerifyException

from .bitvectors import bits, build_op, width_of


@irdl_op_definition
class ConstantOp(IRDLOperation):
    """A constant bit vector: ``rtl.constant -3 : i8`` (the bits of -3 mod 2^8, 0xfd).
    The value may be written signed or unsigned; both denote the same bits."""

    name = "rtl.constant"

    value = prop_def(IntegerAttr[IntegerType])
    result = result_def(SignlessIntegerConstraint)

    traits = traits_def(Pure())

    def __init__(self, value: int, width: int):
        typ = bits(width)
        build_op(self, [], typ, {"value": IntegerAttr(value, typ)})

    @property
    def bits_value(self) -> int:
        """The constant as an unsigned bit pattern in [0, 2^width)."""
        return self.value.value.data % (1 << width_of(self.result))

    def verify_(self) -> None:
        if self.value.type != self.result.type:
            raise VerifyException(
                f"value type {self.value.type} must equal the result type {self.result.type}"
            )

    def print(self, printer: Printer) -> None:
        printer.print_string(f" {self.value.value.data}")
        printer.print_op_attributes(self.attributes)
        printer.print_string(" : ")
        printer.print_attribute(self.result.type)

    @classmethod
    def parse(cls, parser: Parser) -> ConstantOp:
        pos = parser.pos
        value = parser.parse_integer(allow_boolean=False)
        attrs = parser.parse_optional_attr_dict()
        parser.parse_punctuation(":")
        typ = parser.parse_type()
        if not isinstance(typ, IntegerType):
            parser.raise_error("rtl.constant needs an integer type", pos, parser.pos)
        w = typ.width.data
        if w < 1 or not -(1 << (w - 1)) <= value < (1 << w):
            parser.raise_error(f"{value} does not fit in {w} bits", pos, parser.pos)
        op = cls(value, w)
        op.attributes |= attrs
        return op


class _BinaryOp(IRDLOperation):
    T: ClassVar = VarConstraint("T", SignlessIntegerConstraint)

    lhs = operand_def(T)
    rhs = operand_def(T)
    result = result_def(T)

    assembly_format = "$lhs `,` $rhs attr-dict `:` type($result)"

    traits = traits_def(Pure())

    def __init__(self, lhs: SSAValue | Operation, rhs: SSAValue | Operation):
        build_op(self, [lhs, rhs], SSAValue.get(lhs).type)


@irdl_op_definition
class AddOp(_BinaryOp):
    """Sum modulo 2^N of two N-bit vectors (extend the operands first for a full sum)."""

    name = "rtl.add"


@irdl_op_definition
class SubOp(_BinaryOp):
    """Difference modulo 2^N of two N-bit vectors."""

    name = "rtl.sub"


@irdl_op_definition
class TernaryAddOp(IRDLOperation):
    """``a ± b ± c`` modulo 2^N of three N-bit vectors, one three-input adder (one LUT per
    bit on Xilinx, see backends/xilinx_primitives.py).  ``signs`` holds one ``+`` or ``-``
    per operand, the first a ``+``: ``rtl.add3 %a, %b, %c signs "+-+" : i8``."""

    name = "rtl.add3"

    T: ClassVar = VarConstraint("T", SignlessIntegerConstraint)

    a = operand_def(T)
    b = operand_def(T)
    c = operand_def(T)
    signs = prop_def(StringAttr)
    result = result_def(T)

    assembly_format = "$a `,` $b `,` $c `signs` $signs attr-dict `:` type($result)"

    traits = traits_def(Pure())

    def __init__(self, a: SSAValue | Operation, b: SSAValue | Operation, c: SSAValue | Operation,
                 signs: str):
        build_op(self, [a, b, c], SSAValue.get(a).type, {"signs": StringAttr(signs)})

    @property
    def negated(self) -> tuple[bool, bool, bool]:
        """Whether each operand is subtracted."""
        return tuple(s == "-" for s in self.signs.data)

    def verify_(self) -> None:
        signs = self.signs.data
        if len(signs) != 3 or set(signs) - {"+", "-"} or signs[0] != "+":
            raise VerifyException(f'rtl.add3 signs must be three of "+" and "-", the first "+"; got "{signs}"')


@cache
def _i64_attr(value: int) -> IntegerAttr:
    """``value : i64``, one shared instance per value (bit positions repeat thousands
    of times in a lowered network; see ``bits``)."""
    return IntegerAttr(value, i64)


@irdl_op_definition
class ExtractOp(IRDLOperation):
    """Bits ``[low, low + M)`` of the input: ``rtl.extract %x from 2 : i8 to i4``."""

    name = "rtl.extract"

    input = operand_def(SignlessIntegerConstraint)
    low_bit = prop_def(IntegerAttr[I64])
    result = result_def(SignlessIntegerConstraint)

    assembly_format = "$input `from` $low_bit attr-dict `:` type($input) `to` type($result)"

    traits = traits_def(Pure())

    def __init__(self, value: SSAValue | Operation, low_bit: int, width: int):
        build_op(self, [value], bits(width), {"low_bit": _i64_attr(low_bit)})

    @property
    def low(self) -> int:
        return self.low_bit.value.data

    def verify_(self) -> None:
        low, w, n = self.low, width_of(self.result), width_of(self.input)
        if low < 0 or low + w > n:
            raise VerifyException(f"bits [{low}, {low + w}) are outside the {n}-bit input")


@irdl_op_definition
class ConcatOp(IRDLOperation):
    """Concatenation, first operand most significant: ``rtl.concat %hi, %lo : i4, i3``
    gives an i7."""

    name = "rtl.concat"

    inputs = var_operand_def(SignlessIntegerConstraint)
    result = result_def(SignlessIntegerConstraint)

    traits = traits_def(Pure())

    def __init__(self, inputs: Sequence[SSAValue | Operation]):
        width = sum(width_of(SSAValue.get(v)) for v in inputs)
        build_op(self, inputs, bits(width))

    def verify_(self) -> None:
        if not self.inputs:
            raise VerifyException("rtl.concat needs at least one operand")
        total = sum(width_of(v) for v in self.inputs)
        if total != width_of(self.result):
            raise VerifyException(
                f"result has {width_of(self.result)} bits, the operands sum to {total}"
            )

    def print(self, printer: Printer) -> None:
        printer.print_string(" ")
        printer.print_list(self.inputs, printer.print_operand)
        printer.print_op_attributes(self.attributes)
        printer.print_string(" : ")
        printer.print_list([v.type for v in self.inputs], printer.print_attribute)

    @classmethod
    def parse(cls, parser: Parser) -> ConcatOp:
        pos = parser.pos
        operands = parser.parse_comma_separated_list(
            parser.Delimiter.NONE, parser.parse_unresolved_operand
        )
        attrs = parser.parse_optional_attr_dict()
        parser.parse_punctuation(":")
        types = parser.parse_comma_separated_list(parser.Delimiter.NONE, parser.parse_type)
        op = cls(parser.resolve_operands(operands, types, pos))
        op.attributes |= attrs
        return op


class _ExtendOp(IRDLOperation):
    input = operand_def(SignlessIntegerConstraint)
    result = result_def(SignlessIntegerConstraint)

    assembly_format = "$input attr-dict `:` type($input) `to` type($result)"

    traits = traits_def(Pure())

    def __init__(self, value: SSAValue | Operation, width: int):
        build_op(self, [value], bits(width))

    def verify_(self) -> None:
        if width_of(self.result) < width_of(self.input):
            raise VerifyException(
                f"cannot extend {self.input.type} to the narrower {self.result.type}"
            )


@irdl_op_definition
class SExtOp(_ExtendOp):
    """Sign extension (replicate the top bit): ``rtl.sext %x : i8 to i10``."""

    name = "rtl.sext"


@irdl_op_definition
class ZExtOp(_ExtendOp):
    """Zero extension: ``rtl.zext %x : i8 to i10``."""

    name = "rtl.zext"


ICMP_PREDICATES = ("eq", "ne", "slt", "sle", "sgt", "sge", "ult", "ule", "ugt", "uge")


@irdl_op_definition
class ICmpOp(IRDLOperation):
    """Comparison giving an i1: ``rtl.icmp slt %a, %b : i8``; s* predicates read the
    operands as two's complement, u* as unsigned."""

    name = "rtl.icmp"

    T: ClassVar = VarConstraint("T", SignlessIntegerConstraint)

    predicate = prop_def(StringAttr)
    lhs = operand_def(T)
    rhs = operand_def(T)
    result = result_def(I1)

    traits = traits_def(Pure())

    def __init__(self, predicate: str, lhs: SSAValue | Operation, rhs: SSAValue | Operation):
        build_op(self, [lhs, rhs], bits(1), {"predicate": StringAttr(predicate)})

    def verify_(self) -> None:
        if self.predicate.data not in ICMP_PREDICATES:
            raise VerifyException(
                f"unknown predicate '{self.predicate.data}', expected one of "
                + ", ".join(ICMP_PREDICATES)
            )

    def print(self, printer: Printer) -> None:
        printer.print_string(f" {self.predicate.data} ")
        printer.print_list((self.lhs, self.rhs), printer.print_operand)
        printer.print_op_attributes(self.attributes)
        printer.print_string(" : ")
        printer.print_attribute(self.lhs.type)

    @classmethod
    def parse(cls, parser: Parser) -> ICmpOp:
        pos = parser.pos
        predicate = parser.parse_identifier(" (comparison predicate)")
        if predicate not in ICMP_PREDICATES:
            parser.raise_error(
                f"unknown predicate '{predicate}', expected one of " + ", ".join(ICMP_PREDICATES),
                pos,
                parser.pos,
            )
        lhs = parser.parse_unresolved_operand()
        parser.parse_punctuation(",")
        rhs = parser.parse_unresolved_operand()
        attrs = parser.parse_optional_attr_dict()
        parser.parse_punctuation(":")
        typ = parser.parse_type()
        lhs_v, rhs_v = parser.resolve_operands([lhs, rhs], [typ, typ], pos)
        op = cls(predicate, lhs_v, rhs_v)
        op.attributes |= attrs
        return op


@irdl_op_definition
class MuxOp(IRDLOperation):
    """``rtl.mux %c, %t, %f : i8`` is %t where %c is 1, else %f."""

    name = "rtl.mux"

    T: ClassVar = VarConstraint("T", SignlessIntegerConstraint)

    cond = operand_def(I1)
    true_value = operand_def(T)
    false_value = operand_def(T)
    result = result_def(T)

    assembly_format = "$cond `,` $true_value `,` $false_value attr-dict `:` type($result)"

    traits = traits_def(Pure())

    def __init__(
        self,
        cond: SSAValue | Operation,
        true_value: SSAValue | Operation,
        false_value: SSAValue | Operation,
    ):
        build_op(self, [cond, true_value, false_value], SSAValue.get(true_value).type)


MAX_ROM_INDEX_BITS = 16


def i64_array(values: Sequence[int]) -> DenseArrayBase:
    """``DenseArrayBase.from_list(i64, values)`` (the same attribute, the same ValueError
    for a value outside [-2**63, 2**64)), its range checked once by min and max instead of
    value by value: a 16-bit ROM has 65,536 entries, a network thousands of ROMs."""
    values = list(values)
    if values and (min(values) < -(1 << 63) or max(values) >= 1 << 64):
        return DenseArrayBase.from_list(i64, values)  # raises, naming the value
    if values and max(values) >= 1 << 63:  # signless: the upper half reads as negative
        values = [v - (1 << 64) if v >= 1 << 63 else v for v in values]
    return DenseArrayBase(i64, BytesAttr(i64.pack(values)))


@irdl_op_definition
class RomOp(IRDLOperation):
    """A lookup table: entry ``table[index]`` for an unsigned M-bit index, 2^M entries.
    ``rtl.rom %i [0, 1, 4, 9] : i2 -> i4``.  Entries may be written signed or unsigned
    (their low N bits are the output); outputs are at most 64 bits wide."""

    name = "rtl.rom"

    index = operand_def(SignlessIntegerConstraint)
    table = prop_def(DenseArrayBase[I64])
    result = result_def(SignlessIntegerConstraint)

    traits = traits_def(Pure())

    def __init__(self, index: SSAValue | Operation, table: Sequence[int], width: int):
        build_op(self, [index], bits(width), {"table": i64_array(table)})

    @property
    def entries(self) -> tuple[int, ...]:
        return self.table.get_values()

    def verify_(self) -> None:
        m, n = width_of(self.index), width_of(self.result)
        if m > MAX_ROM_INDEX_BITS:
            raise VerifyException(
                f"a {m}-bit index is too wide for a ROM (at most {MAX_ROM_INDEX_BITS})"
            )
        if n > 64:
            raise VerifyException(f"ROM outputs are at most 64 bits, got {n}")
        entries = self.entries
        if len(entries) != 1 << m:
            raise VerifyException(
                f"a {m}-bit index needs {1 << m} table entries, got {len(entries)}"
            )
        lo, hi = -(1 << (n - 1)), (1 << n) - 1
        if lo <= min(entries) and max(entries) <= hi:
            return
        for pos, e in enumerate(entries):
            if not lo <= e <= hi:
                raise VerifyException(f"entry {pos} ({e}) does not fit in {n} bits")

    def print(self, printer: Printer) -> None:
        printer.print_string(" ")
        printer.print_operand(self.index)
        printer.print_string(" [")
        printer.print_list(self.entries, lambda e: printer.print_string(str(e)))
        printer.print_string("]")
        printer.print_op_attributes(self.attributes)
        printer.print_string(" : ")
        printer.print_attribute(self.index.type)
        printer.print_string(" -> ")
        printer.print_attribute(self.result.type)

    @classmethod
    def parse(cls, parser: Parser) -> RomOp:
        pos = parser.pos
        index = parser.parse_unresolved_operand()
        table = parser.parse_comma_separated_list(
            parser.Delimiter.SQUARE, lambda: parser.parse_integer(allow_boolean=False)
        )
        attrs = parser.parse_optional_attr_dict()
        parser.parse_punctuation(":")
        index_type = parser.parse_type()
        parser.parse_punctuation("->")
        result_type = parser.parse_type()
        if not isinstance(result_type, IntegerType):
            parser.raise_error("rtl.rom needs an integer result type", pos, parser.pos)
        if any(not -(1 << 63) <= e < (1 << 63) for e in table):
            parser.raise_error("ROM entries must fit in 64-bit signed integers", pos, parser.pos)
        (index_v,) = parser.resolve_operands([index], [index_type], pos)
        op = cls(index_v, table, result_type.width.data)
        op.attributes |= attrs
        return op
