"""Sequential ops of the rtl dialect: ``rtl.reg``, a register on the module's clock."""

from __future__ import annotations

from typing import ClassVar

from xdsl.dialects.builtin import (
    SignlessIntegerConstraint,
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
    result_def,
)

from .bitvectors import build_op


@irdl_op_definition
class RegOp(IRDLOperation):
    """A register on the module's clock: its value in cycle t is the input's value in
    cycle t-1.  ``rtl.reg %x : i8``."""

    name = "rtl.reg"

    T: ClassVar = VarConstraint("T", SignlessIntegerConstraint)

    input = operand_def(T)
    result = result_def(T)

    assembly_format = "$input attr-dict `:` type($result)"

    def __init__(self, value: SSAValue | Operation):
        build_op(self, [value], SSAValue.get(value).type)
