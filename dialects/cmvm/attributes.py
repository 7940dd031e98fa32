"""Attributes of the cmvm dialect: integer matrices and their canonical signed digits.

    #cmvm.matrix<[[1, 0, -3], [2, 7, 0]]>          rows are outputs: y = W x
    #cmvm.csd<[["+", "0", "-0+"], ["+", "+00-", "0"]]>

A CSD entry is a string of digits, most significant first: ``+`` is +1, ``-`` is -1 and
``0`` is 0, so ``"+00-"`` is 8 - 1 = 7.  Zero is ``"0"``; no entry has a leading ``0``.
Entries are Python integers of any size.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from xdsl.ir import Data
from xdsl.irdl import irdl_attr_definition
from xdsl.parser import AttrParser
from xdsl.printer import Printer
from xdsl.utils.exceptions import VerifyException

Rows = tuple[tuple[int, ...], ...]
DigitRows = tuple[tuple[str, ...], ...]


def _rows(matrix: Iterable[Iterable]) -> tuple[tuple, ...]:
    return tuple(tuple(row) for row in matrix)


@irdl_attr_definition
class MatrixAttr(Data[Rows]):
    """An integer matrix, one bracketed list per row."""

    name = "cmvm.matrix"

    def __init__(self, matrix: Iterable[Iterable[int]]):
        super().__init__(tuple(tuple(int(v) for v in row) for row in matrix))

    @classmethod
    def parse_parameter(cls, parser: AttrParser) -> Rows:
        with parser.in_angle_brackets():
            return parse_int_matrix(parser)

    def print_parameter(self, printer: Printer) -> None:
        with printer.in_angle_brackets():
            print_int_matrix(printer, self.data)

    @property
    def rows(self) -> Rows:
        return self.data


@irdl_attr_definition
class CsdAttr(Data[DigitRows]):
    """A matrix in canonical signed digits, one string per entry."""

    name = "cmvm.csd"

    def __init__(self, digits: Iterable[Iterable[str]]):
        super().__init__(_rows(digits))

    @classmethod
    def parse_parameter(cls, parser: AttrParser) -> DigitRows:
        with parser.in_angle_brackets():
            return parse_digit_matrix(parser)

    def print_parameter(self, printer: Printer) -> None:
        with printer.in_angle_brackets():
            print_digit_matrix(printer, self.data)

    def verify(self) -> None:
        for r, row in enumerate(self.data):
            for c, digits in enumerate(row):
                problem = csd_problem(digits)
                if problem:
                    raise VerifyException(f"CSD entry [{r}][{c}] \"{digits}\" {problem}")

    @property
    def rows(self) -> Rows:
        return tuple(tuple(digits_value(d) for d in row) for row in self.data)


# ------------------------------------------------------------------ signed-digit strings

_DIGIT = {"+": 1, "-": -1, "0": 0}


def digits_value(digits: str) -> int:
    value = 0
    for ch in digits:
        value = 2 * value + _DIGIT[ch]
    return value


def digits_string(plane: Sequence[int]) -> str:
    """The string of digits given least significant first (trailing zeros dropped)."""
    top = max((p for p, d in enumerate(plane) if d), default=0)
    return "".join("+" if plane[p] > 0 else "-" if plane[p] < 0 else "0" for p in range(top, -1, -1))


def csd_problem(digits: str) -> str | None:
    """Why ``digits`` is not a canonical signed-digit string, or None if it is."""
    if not digits or any(ch not in _DIGIT for ch in digits):
        return "must be a non-empty string of '+', '-' and '0'"
    if len(digits) > 1 and digits[0] == "0":
        return "has a leading zero"
    if any(a != "0" and b != "0" for a, b in zip(digits, digits[1:])):
        return "has two adjacent non-zero digits"
    return None


# ------------------------------------------------------------------- syntax helpers


def parse_int_matrix(parser: AttrParser) -> Rows:
    square = parser.Delimiter.SQUARE
    rows = parser.parse_comma_separated_list(
        square, lambda: tuple(parser.parse_comma_separated_list(square, parser.parse_integer))
    )
    return tuple(rows)


def print_int_matrix(printer: Printer, rows: Rows) -> None:
    printer.print_string("[" + ", ".join("[" + ", ".join(map(str, r)) + "]" for r in rows) + "]")


def parse_digit_matrix(parser: AttrParser) -> DigitRows:
    square = parser.Delimiter.SQUARE
    rows = parser.parse_comma_separated_list(
        square, lambda: tuple(parser.parse_comma_separated_list(square, parser.parse_str_literal))
    )
    return tuple(rows)


def print_digit_matrix(printer: Printer, rows: DigitRows) -> None:
    text = ", ".join("[" + ", ".join(f'"{d}"' for d in r) + "]" for r in rows)
    printer.print_string("[" + text + "]")


def parse_int_list(parser: AttrParser) -> tuple[int, ...]:
    return tuple(parser.parse_comma_separated_list(parser.Delimiter.SQUARE, parser.parse_integer))


def print_int_list(printer: Printer, values: Sequence[int]) -> None:
    printer.print_string("[" + ", ".join(map(str, values)) + "]")
