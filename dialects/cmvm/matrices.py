"""The matrix ops of the cmvm dialect: ``cmvm.matrix`` (integer weights) and ``cmvm.csd``
(canonical signed digits), both ``y_j = sum_i W[j][i] * 2**(row_shifts[j] + col_shifts[i]) * x_i``."""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Sequence
from typing import ClassVar

import numpy as np
from xdsl.dialects.builtin import DenseArrayBase, i64
from xdsl.ir import Attribute, Operation, SSAValue
from xdsl.irdl import (
    irdl_op_definition,
    prop_def,
    traits_def,
    var_operand_def,
    var_result_def,
)
from xdsl.parser import Parser
from xdsl.printer import Printer
from xdsl.traits import Pure
from xdsl.utils.exceptions import VerifyException

from ...numerics import Interval
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
from .linear import Form, combine_forms
from .op_base import ZERO, LinearOp, fx_results
from .types import FxType, value_interval


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
            result_types = fx_results(matrix_ranges(
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



def matrix_ops(root: Operation) -> list[MatrixLikeOp]:
    """Every matrix op under ``root``, collected before any is rewritten."""
    return [op for op in root.walk() if isinstance(op, MatrixLikeOp)]
