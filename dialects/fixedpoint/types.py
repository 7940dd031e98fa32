"""The fixed-point tensor type and the attributes that spell precisions and constants.

Syntax (every element precision is ``fixed<k,i,f>`` or ``range<lo,hi,f>``):

    !fixedpoint.tensor<4x8xfixed<1,7,0>>            homogeneous: one precision for all
    !fixedpoint.tensor<2xrange<-256,254,0>>          an inferred exact interval
    !fixedpoint.tensor<3x[fixed<1,3,0> * 2, fixed<0,2,1>]>   one precision per element
    !fixedpoint.tensor<fixed<1,7,0>>                 a scalar (rank 0)

A per-element list is in row-major order; ``P * n`` repeats P n times.  A tensor whose
elements all share a precision always prints in the homogeneous form.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from math import prod

import numpy as np
from xdsl.ir import Data, TypeAttribute
from xdsl.irdl import irdl_attr_definition
from xdsl.parser import AttrParser
from xdsl.printer import Printer
from xdsl.utils.exceptions import VerifyException

from ...numerics import Format, FormatError, Interval, Precision

# ----------------------------------------------------------------- element precisions


def parse_precision(parser: AttrParser) -> Precision:
    """Parse ``fixed<k,i,f>`` or ``range<lo,hi,f>``; an impossible one is a located error."""
    start = parser.pos
    kind = parser.parse_keyword_in(("fixed", "range"), " for a fixed-point precision")
    with parser.in_angle_brackets():
        a = parser.parse_integer(context_msg=f" in {kind}<...>")
        parser.parse_punctuation(",")
        b = parser.parse_integer(context_msg=f" in {kind}<...>")
        parser.parse_punctuation(",")
        c = parser.parse_integer(context_msg=f" in {kind}<...>")
    precision = Format(a, b, c) if kind == "fixed" else Interval(a, b, c)
    try:
        precision.check()
    except FormatError as e:
        parser.raise_error(str(e), start, parser.pos)
    return precision


def print_precision(printer: Printer, precision: Precision) -> None:
    printer.print_string(str(precision))


def check_precision(precision: Precision) -> None:
    """Raise VerifyException with a readable message for an impossible precision."""
    try:
        precision.check()
    except FormatError as e:
        raise VerifyException(str(e)) from e


def parse_precision_list(parser: AttrParser, limit: int | None = None) -> tuple[Precision, ...]:
    """Parse one precision, or a bracketed list of them where ``P * n`` repeats P.

    ``[]`` is the (empty) list of an empty tensor.  A list longer than ``limit`` (the
    tensor's size, when known) is an error before it is built."""
    if parser.parse_optional_punctuation("[") is None:
        return (parse_precision(parser),)
    items: list[Precision] = []
    if parser.parse_optional_punctuation("]") is not None:
        return ()
    while True:
        p = parse_precision(parser)
        count = 1
        if parser.parse_optional_punctuation("*") is not None:
            start = parser.pos
            count = parser.parse_integer(allow_negative=False, context_msg=" repeat count")
            if count < 1:
                parser.raise_error("a repeat count must be at least 1", start, parser.pos)
            if limit is not None and len(items) + count > limit:
                parser.raise_error(
                    f"more per-element precisions than the tensor's {limit} elements",
                    start,
                    parser.pos,
                )
        items.extend([p] * count)
        if parser.parse_optional_punctuation(",") is None:
            break
    parser.parse_punctuation("]")
    return tuple(items)


def print_precision_list(printer: Printer, precisions: Sequence[Precision]) -> None:
    """Print one precision if all are equal, else a run-length encoded list."""
    if len(set(precisions)) == 1:
        print_precision(printer, precisions[0])
        return
    runs: list[tuple[Precision, int]] = []
    for p in precisions:
        if runs and runs[-1][0] == p:
            runs[-1] = (p, runs[-1][1] + 1)
        else:
            runs.append((p, 1))
    printer.print_string("[")
    printer.print_list(runs, lambda run: _print_run(printer, *run))
    printer.print_string("]")


def _print_run(printer: Printer, p: Precision, count: int) -> None:
    print_precision(printer, p)
    if count > 1:
        printer.print_string(f" * {count}")


def compact(precisions: Iterable[Precision]) -> tuple[Precision, ...]:
    """A tuple of one precision if all are equal, else all of them."""
    items = tuple(precisions)
    return items[:1] if len(set(items)) == 1 else items


# ------------------------------------------------------------------------ tensor type


@dataclass(frozen=True)
class TensorSpec:
    shape: tuple[int, ...]
    precisions: tuple[Precision, ...]  # one (homogeneous) or one per element


@irdl_attr_definition
class FixedTensorType(Data[TensorSpec], TypeAttribute):
    """A tensor of fixed-point numbers, each element with a format or an exact interval."""

    name = "fixedpoint.tensor"

    def __init__(
        self,
        shape: Sequence[int] | TensorSpec,
        precisions: Precision | Iterable[Precision] = (),
    ):
        if isinstance(shape, TensorSpec):  # the parser builds the type from its spec
            super().__init__(shape)
            return
        if isinstance(precisions, Format | Interval):
            precisions = (precisions,)
        super().__init__(TensorSpec(tuple(int(d) for d in shape), compact(precisions)))

    @classmethod
    def parse_parameter(cls, parser: AttrParser) -> TensorSpec:
        start = parser.pos
        with parser.in_angle_brackets():
            shape = tuple(parser.parse_dimension_list())
            if shape:
                parser.parse_shape_delimiter()
            static = all(d >= 0 for d in shape)
            precisions = parse_precision_list(parser, prod(shape) if static else None)
        spec = TensorSpec(shape, compact(precisions))
        try:
            check_tensor_spec(spec)
        except VerifyException as e:
            parser.raise_error(str(e), start, parser.pos)
        return spec

    def print_parameter(self, printer: Printer) -> None:
        with printer.in_angle_brackets():
            if self.shape:
                printer.print_string("x".join(map(str, self.shape)) + "x")
            print_precision_list(printer, self.data.precisions)

    def verify(self) -> None:
        check_tensor_spec(self.data)

    @property
    def shape(self) -> tuple[int, ...]:
        return self.data.shape

    @property
    def size(self) -> int:
        return prod(self.shape)

    @property
    def is_homogeneous(self) -> bool:
        return len(self.data.precisions) == 1

    def precision_array(self) -> np.ndarray:
        """Per-element precisions as an object array of the tensor's shape."""
        flat = np.empty(self.size, dtype=object)
        if self.is_homogeneous:
            flat[:] = [self.data.precisions[0]] * self.size
        else:
            flat[:] = list(self.data.precisions)
        return flat.reshape(self.shape)

    def interval_array(self) -> np.ndarray:
        """Per-element exact intervals as an object array of the tensor's shape."""
        return _to_intervals(self.precision_array())

    @staticmethod
    def of(array: np.ndarray) -> FixedTensorType:
        """The type whose per-element precisions are the given object array."""
        return FixedTensorType(array.shape, list(array.ravel()))


def elementwise(function) -> np.vectorize:
    """``function`` mapped over object arrays; rank-0 and empty arrays stay arrays."""
    return np.vectorize(function, otypes=[object])


def check_tensor_spec(spec: TensorSpec) -> None:
    """Raise VerifyException unless the shape is static and there are 1 or size precisions."""
    shape = list(spec.shape)
    if any(d < 0 for d in shape):
        spelled = "x".join("?" if d < 0 else str(d) for d in shape)
        raise VerifyException(f"fixed-point tensor shape {spelled} must be static (no '?')")
    size, n = prod(shape), len(spec.precisions)
    if n != 1 and n != size:
        raise VerifyException(
            f"a tensor of shape {shape} has {size} elements but {n} per-element "
            f"precisions are given (give one for all, or exactly {size})"
        )
    for p in set(spec.precisions):
        check_precision(p)


_to_intervals = elementwise(lambda p: p.interval())


# --------------------------------------------------------------------- constant values


@dataclass(frozen=True)
class DyadicValues:
    """Exact constants ``m * 2**-f``, flattened row-major, with one common exponent f."""

    mantissas: tuple[int, ...]
    f: int


@irdl_attr_definition
class ValuesAttr(Data[DyadicValues]):
    """``#fixedpoint.values<[3, -1, 0, 5], f=2>``: the exact values 0.75, -0.25, 0, 1.25."""

    name = "fixedpoint.values"

    def __init__(self, mantissas: Iterable[int] | DyadicValues, f: int = 0):
        if isinstance(mantissas, DyadicValues):  # the parser builds it from its data
            super().__init__(mantissas)
            return
        super().__init__(DyadicValues(tuple(int(m) for m in mantissas), int(f)))

    @classmethod
    def parse_parameter(cls, parser: AttrParser) -> DyadicValues:
        with parser.in_angle_brackets():
            mantissas = parser.parse_comma_separated_list(
                parser.Delimiter.SQUARE, parser.parse_integer
            )
            parser.parse_punctuation(",")
            parser.parse_keyword("f")
            parser.parse_punctuation("=")
            f = parser.parse_integer()
        return DyadicValues(tuple(mantissas), f)

    def print_parameter(self, printer: Printer) -> None:
        with printer.in_angle_brackets():
            printer.print_string("[" + ", ".join(map(str, self.data.mantissas)) + "]")
            printer.print_string(f", f={self.data.f}")

    def array(self, shape: Sequence[int]) -> np.ndarray:
        """The mantissas as an object array of Python ints of the given shape."""
        flat = np.empty(len(self.data.mantissas), dtype=object)
        flat[:] = list(self.data.mantissas)
        return flat.reshape(tuple(shape))


@irdl_attr_definition
class PrecisionsAttr(Data[tuple[Precision, ...]]):
    """One format for every element, or one per element: ``fixed<1,3,4>`` or ``[...]``."""

    name = "fixedpoint.precisions"

    def __init__(self, precisions: Precision | Iterable[Precision]):
        if isinstance(precisions, Format | Interval):
            precisions = (precisions,)
        super().__init__(compact(precisions))

    @classmethod
    def parse_parameter(cls, parser: AttrParser) -> tuple[Precision, ...]:
        with parser.in_angle_brackets():
            return compact(parse_precision_list(parser))

    def print_parameter(self, printer: Printer) -> None:
        with printer.in_angle_brackets():
            print_precision_list(printer, self.data)

    def broadcast(self, shape: Sequence[int]) -> np.ndarray:
        """The per-element precisions as an object array of the given shape."""
        size = prod(shape)
        flat = np.empty(size, dtype=object)
        flat[:] = list(self.data) * (size if len(self.data) == 1 else 1)
        return flat.reshape(tuple(shape))
