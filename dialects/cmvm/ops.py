"""The cmvm operations: constant matrices, their adder graphs, and scalar nonlinearities.

Every value is one scalar of type ``!cmvm.fx<...>``.  Every op computes the exact range
of each of its results from its operands' types and its constants (``result_ranges``);
the verifier rejects a result type that cannot hold it (too narrow, or too coarse a
resolution).  The adder-graph ops (add, sub, neg, shift) are linear, so when a result type
is tighter than interval arithmetic over its operand types proves, the verifier falls
back to the exact range of the value's linear form over the leaves it is built from
(``linear.exact_range``): ``x - (x << 2)`` is ``-3x``, which needs fewer bits than the
difference of two independent intervals.

    %y:2 = cmvm.matrix [[1, 3], [0, -2]] (%a, %b) : (T, T) -> (T, T)
    %y:2 = cmvm.csd [["+", "+0-"], ["0", "-"]] (%a, %b) row_shifts [0, 1] : ...
    %s = cmvm.add %a, %b shl 2 : (T, T) -> T                 a + b * 2**2
    %d = cmvm.sub %a, %b shl -1 : (T, T) -> T                a - b * 2**-1 (exact)
    %n = cmvm.neg %a : T -> T
    %w = cmvm.shift %a by 3 : T -> T                         a * 2**3 (wiring only)
    %c = cmvm.constant -3 shl -2 : T                         -0.75
    %r = cmvm.relu %a : T -> T
    %m = cmvm.max %a, %b : (T, T) -> T
    %q = cmvm.quantize %a to fixed<1,3,2> RND SAT : T -> T
    %l = cmvm.lookup %a over range<-2,1,0> table <[3, 1, 0, 1], f=1> : T -> T
"""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Sequence
from typing import ClassVar

import numpy as np
from xdsl.dialects.builtin import I64, DenseArrayBase, IntAttr, IntegerAttr, i64
from xdsl.ir import Attribute, Operation, SSAValue
from xdsl.irdl import (
    IRDLOperation,
    irdl_op_definition,
    operand_def,
    prop_def,
    result_def,
    traits_def,
    var_operand_def,
    var_result_def,
)
from xdsl.parser import Parser
from xdsl.printer import Printer
from xdsl.rewriter import Rewriter
from xdsl.traits import Pure
from xdsl.utils.exceptions import VerifyException

from ...numerics import (
    Format,
    Interval,
    Overflow,
    Rounding,
    constant_interval,
    interval_max,
    interval_min,
    quantize_interval,
    values_interval,
)
from ..fixedpoint.attributes import OverflowAttr, RoundingAttr
from ..fixedpoint.types import ValuesAttr, parse_precision
from .attributes import (
    CsdAttr,
    MatrixAttr,
    Rows,
    parse_digit_matrix,
    parse_int_list,
    parse_int_matrix,
    print_digit_matrix,
    print_int_list,
    print_int_matrix,
)
from .linear import Form, Forms, HasLinearForm, combine_forms, exact_range
from .types import FxType, holds, value_interval

ZERO = Interval(0, 0, 0)


class CmvmOp(IRDLOperation):
    """An op whose results are !cmvm.fx scalars with exactly computable ranges."""

    @abstractmethod
    def result_ranges(self) -> list[Interval]:
        """The exact interval of every result, from the operand types and constants."""

    def verify_(self) -> None:
        self.verify_structure()
        known = None  # linear forms, shared by the results of this op (see LinearOp)
        for index, (result, exact) in enumerate(zip(self.results, self.result_ranges())):
            assert isinstance(result.type, FxType)
            if holds(result.type.data, exact):
                continue
            if known is None:
                known = self.new_forms()
            exact = self.tightest_range(index, exact, known)
            if not holds(result.type.data, exact):
                which = f"result {index}" if len(self.results) > 1 else "result"
                raise VerifyException(
                    f"{which} type of '{self.name}' cannot hold its values: "
                    f"{result.type.data} does not contain {exact}"
                )

    def verify_structure(self) -> None:
        """Check operand counts and properties; the default accepts everything."""

    def new_forms(self):
        """Scratch space shared by the ``tightest_range`` calls of one verification."""
        return None

    def tightest_range(self, index: int, local: Interval, known) -> Interval:
        """A range at least as tight as ``local`` for result ``index`` (linear ops know a
        better one: see ``LinearOp``)."""
        return local


class LinearOp(CmvmOp, HasLinearForm):
    """An op whose results are linear in its operands (matrices and the adder graph): its
    exact ranges follow the linear forms of its results back to their leaves."""

    def new_forms(self):
        return Forms()

    def tightest_range(self, index: int, local: Interval, known) -> Interval:
        return exact_range(self.results[index], known)


def _fx_results(ranges: Sequence[Interval]) -> list[FxType]:
    return [FxType(r) for r in ranges]


def _set_exact_type(op: CmvmOp) -> None:
    Rewriter.replace_value_with_new_type(op.results[0], FxType(op.result_ranges()[0]))


def _int(attr: IntegerAttr) -> int:
    return attr.value.data


# ---------------------------------------------------------------------------- matrices


def matrix_ranges(rows: Rows, row_shifts: Sequence[int], col_shifts: Sequence[int],
                  inputs: Sequence[Interval]) -> list[Interval]:
    """Exact ranges of ``y_j = sum_i rows[j][i] * 2**(row_shifts[j] + col_shifts[i]) * x_i``
    for independent inputs; each at the coarsest resolution its non-zero terms allow."""
    out = []
    for j, row in enumerate(rows):
        total = None
        for i, w in enumerate(row):
            x = inputs[i]
            if w == 0 or x.lo == x.hi == 0:
                continue
            tz = (w & -w).bit_length() - 1
            term = x.scale(w >> tz, -(row_shifts[j] + col_shifts[i] + tz))
            total = term if total is None else total + term
        out.append(total or ZERO)
    return out


class MatrixLikeOp(LinearOp):
    """``y_j = sum_i W[j][i] * 2**(row_shifts[j] + col_shifts[i]) * x_i``."""

    inputs = var_operand_def(FxType)
    row_shifts = prop_def(DenseArrayBase)
    col_shifts = prop_def(DenseArrayBase)
    outputs = var_result_def(FxType)
    traits = traits_def(Pure())

    WEIGHT_ATTR: ClassVar[type[MatrixAttr] | type[CsdAttr]]

    def __init__(self, inputs: Sequence[SSAValue], weights, row_shifts: Sequence[int] | None = None,
                 col_shifts: Sequence[int] | None = None,
                 result_types: Sequence[Attribute] | None = None):
        weights = weights if isinstance(weights, self.WEIGHT_ATTR) else self.WEIGHT_ATTR(weights)
        n_out, n_in = len(weights.data), len(inputs)
        props = {
            "weights": weights,
            "row_shifts": DenseArrayBase.from_list(i64, list(row_shifts or [0] * n_out)),
            "col_shifts": DenseArrayBase.from_list(i64, list(col_shifts or [0] * n_in)),
        }
        if result_types is None:
            result_types = _fx_results(matrix_ranges(
                weights.rows, props["row_shifts"].get_values(), props["col_shifts"].get_values(),
                [value_interval(v) for v in inputs]))
        super().__init__(operands=[inputs], properties=props, result_types=[result_types])

    @property
    def matrix(self) -> Rows:
        """The integer matrix W (without the row and column shifts)."""
        return self.properties["weights"].rows

    def integer_array(self) -> np.ndarray:
        """W as an (n_out, n_in) object array of Python ints."""
        rows = self.matrix
        flat = np.empty(len(rows) * len(self.inputs), dtype=object)
        flat[:] = [w for row in rows for w in row]
        return flat.reshape(len(rows), len(self.inputs))

    def shifts(self) -> tuple[tuple[int, ...], tuple[int, ...]]:
        return self.row_shifts.get_values(), self.col_shifts.get_values()

    def verify_structure(self) -> None:
        rows = self.properties["weights"].data
        n_in, n_out = len(self.inputs), len(self.outputs)
        if len(rows) != n_out:
            raise VerifyException(f"'{self.name}' has {len(rows)} matrix rows but {n_out} results")
        for j, row in enumerate(rows):
            if len(row) != n_in:
                raise VerifyException(
                    f"row {j} of '{self.name}' has {len(row)} entries but there are {n_in} inputs")
        r, c = self.shifts()
        if len(r) != n_out or len(c) != n_in:
            raise VerifyException(
                f"'{self.name}' needs {n_out} row shifts and {n_in} column shifts, "
                f"got {len(r)} and {len(c)}")

    def result_ranges(self) -> list[Interval]:
        r, c = self.shifts()
        return matrix_ranges(self.matrix, r, c, [value_interval(v) for v in self.inputs])

    def result_form(self, index: int, operand_forms: Sequence[Form]) -> Form:
        row_shifts, col_shifts = self.shifts()
        total: Form = ({}, 0)
        for i, w in enumerate(self.matrix[index]):
            if w:
                coeffs, e = operand_forms[i]
                total = combine_forms(total, ({leaf: w * c for leaf, c in coeffs.items()}, e),
                                      row_shifts[index] + col_shifts[i], 1)
        return total

    # syntax: cmvm.matrix W (%x, ...) [row_shifts [..]] [col_shifts [..]] : (..) -> (..)
    @classmethod
    def parse(cls, parser: Parser):
        weights = cls.WEIGHT_ATTR(cls.parse_weights(parser))
        operands = parser.parse_comma_separated_list(
            parser.Delimiter.PAREN, parser.parse_unresolved_operand)
        shifts: dict[str, tuple[int, ...]] = {}
        for key in ("row_shifts", "col_shifts"):
            if parser.parse_optional_keyword(key):
                shifts[key] = parse_int_list(parser)
        attrs = parser.parse_optional_attr_dict()
        parser.parse_punctuation(":")
        ftype = parser.parse_function_type()
        n_in, n_out = len(operands), len(weights.data)
        op = cls.create(
            operands=parser.resolve_operands(operands, ftype.inputs.data, parser.pos),
            result_types=list(ftype.outputs.data),
            properties={
                "weights": weights,
                "row_shifts": DenseArrayBase.from_list(i64, list(shifts.get("row_shifts", [0] * n_out))),
                "col_shifts": DenseArrayBase.from_list(i64, list(shifts.get("col_shifts", [0] * n_in))),
            },
            attributes=attrs,
        )
        return op

    def print(self, printer: Printer) -> None:
        printer.print_string(" ")
        self.print_weights(printer)
        printer.print_string(" (")
        printer.print_list(self.inputs, printer.print_operand)
        printer.print_string(")")
        for key, values in zip(("row_shifts", "col_shifts"), self.shifts()):
            if any(values):
                printer.print_string(f" {key} ")
                print_int_list(printer, values)
        printer.print_op_attributes(self.attributes)
        printer.print_string(" : (")
        printer.print_list(self.inputs.types, printer.print_attribute)
        printer.print_string(") -> (")
        printer.print_list(self.outputs.types, printer.print_attribute)
        printer.print_string(")")

    @classmethod
    @abstractmethod
    def parse_weights(cls, parser: Parser): ...

    @abstractmethod
    def print_weights(self, printer: Printer) -> None: ...


@irdl_op_definition
class MatrixOp(MatrixLikeOp):
    """``y = W x`` with integer W: ``cmvm.matrix [[1, 2], [0, -1]] (%a, %b)``."""

    name = "cmvm.matrix"
    weights = prop_def(MatrixAttr)
    WEIGHT_ATTR: ClassVar = MatrixAttr

    @classmethod
    def parse_weights(cls, parser: Parser):
        return parse_int_matrix(parser)

    def print_weights(self, printer: Printer) -> None:
        print_int_matrix(printer, self.weights.data)


@irdl_op_definition
class CsdOp(MatrixLikeOp):
    """``y = W x`` with W in canonical signed digits: ``cmvm.csd [["+0-", "0"]] (%a, %b)``."""

    name = "cmvm.csd"
    weights = prop_def(CsdAttr)
    WEIGHT_ATTR: ClassVar = CsdAttr

    @classmethod
    def parse_weights(cls, parser: Parser):
        return parse_digit_matrix(parser)

    def print_weights(self, printer: Printer) -> None:
        print_digit_matrix(printer, self.weights.data)


# ---------------------------------------------------------------------- adder graph


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
        return _int(self.shift)

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


class UnaryOp(CmvmOp):
    input = operand_def(FxType)
    result = result_def(FxType)
    traits = traits_def(Pure())
    assembly_format = "$input attr-dict `:` type($input) `->` type($result)"

    def __init__(self, input: SSAValue, result_type: Attribute | None = None, properties=None):
        super().__init__(operands=[input], properties=properties or {},
                         result_types=[result_type or FxType(ZERO)])
        if result_type is None:
            _set_exact_type(self)


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
        return [value_interval(self.input).shift(_int(self.amount))]

    def result_form(self, index: int, operand_forms: Sequence[Form]) -> Form:
        coeffs, e = operand_forms[0]
        return coeffs, e + _int(self.amount)


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
        return self.value.data, -_int(self.shift)

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
        if _int(self.shift):
            printer.print_string(f" shl {_int(self.shift)}")
        printer.print_op_attributes(self.attributes)
        printer.print_string(" : ")
        printer.print_attribute(self.result.type)


# --------------------------------------------------------------------- nonlinearities


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
            _set_exact_type(self)


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
            _set_exact_type(self)

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


def matrix_ops(root: Operation) -> list[MatrixLikeOp]:
    """Every matrix op under ``root``, collected before any is rewritten."""
    return [op for op in root.walk() if isinstance(op, MatrixLikeOp)]


ADDER_OPS = (AddOp, SubOp)

ALL_OPS: list[type[Operation]] = [
    MatrixOp, CsdOp, AddOp, SubOp, NegOp, ShiftOp, ConstantOp, TernaryAddOp,
    ReluOp, MaxOp, MinOp, QuantizeOp, LookupOp,
]
