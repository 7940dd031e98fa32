"""Base classes and helpers of the cmvm operations (dialects/cmvm/ops.py lists them all)."""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Sequence

from xdsl.dialects.builtin import IntegerAttr
from xdsl.ir import Attribute, SSAValue
from xdsl.irdl import IRDLOperation, operand_def, result_def, traits_def
from xdsl.rewriter import Rewriter
from xdsl.traits import Pure
from xdsl.utils.exceptions import VerifyException

from ...numerics import Interval
from .linear import Forms, HasLinearForm, exact_range
from .types import FxType, holds

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


def fx_results(ranges: Sequence[Interval]) -> list[FxType]:
    return [FxType(r) for r in ranges]


def set_exact_type(op: CmvmOp) -> None:
    Rewriter.replace_value_with_new_type(op.results[0], FxType(op.result_ranges()[0]))


def int_value(attr: IntegerAttr) -> int:
    return attr.value.data



class UnaryOp(CmvmOp):
    input = operand_def(FxType)
    result = result_def(FxType)
    traits = traits_def(Pure())
    assembly_format = "$input attr-dict `:` type($input) `->` type($result)"

    def __init__(self, input: SSAValue, result_type: Attribute | None = None, properties=None):
        super().__init__(operands=[input], properties=properties or {},
                         result_types=[result_type or FxType(ZERO)])
        if result_type is None:
            set_exact_type(self)


