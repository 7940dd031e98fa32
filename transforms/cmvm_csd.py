"""cmvm-csd: write every constant matrix in canonical signed digits.

Each ``cmvm.matrix`` becomes a ``cmvm.csd`` computing the same outputs: the largest power
of two dividing each column is moved into ``col_shifts``, then the largest power of two
dividing each remaining row into ``row_shifts``, and every entry is written in canonical
signed digits (digits in {-1, 0, +1}, no two adjacent non-zero: the fewest non-zero
digits of any signed-digit form).  Result types are kept.

Before:

    %y:2 = cmvm.matrix [[4, 8], [3, -20]] (%a, %b) : (T, T) -> (T0, T1)

After (column 1 is 4 * [2, -5], then row 0 is 2 * [2, 1]):

    %y:2 = cmvm.csd [["+0", "+"], ["+0-", "-0-"]] (%a, %b) row_shifts [1, 0] col_shifts [0, 2]
        : (T, T) -> (T0, T1)
"""

from dataclasses import dataclass

from xdsl.context import Context
from xdsl.dialects.builtin import ModuleOp
from xdsl.passes import ModulePass
from xdsl.rewriter import Rewriter

from ..dialects.cmvm.ops import MatrixOp, matrix_ops
from ..lowering.optimizer_ir import matrix_op


def to_csd(op: MatrixOp) -> None:
    rows, cols = op.shifts()
    Rewriter.replace_op(op, matrix_op(op.integer_array(), list(op.inputs), rows, cols,
                                      list(op.outputs.types), csd=True))


@dataclass(frozen=True)
class CmvmCsd(ModulePass):
    name = "cmvm-csd"

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        for matrix in matrix_ops(op):
            if isinstance(matrix, MatrixOp):
                to_csd(matrix)
