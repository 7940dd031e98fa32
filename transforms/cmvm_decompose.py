"""cmvm-decompose: the graph stage, ``W = W2 . W1`` along a minimum spanning tree.

Outputs whose rows are close are cheaper built from each other: ``y_k = ±y_p + d_k . x``
with ``d_k = w_k ∓ w_p`` having few CSD digits (identical and negated rows cost nothing).
The parent of every row is chosen by a minimum spanning tree over the rows
(``fpga_opt.cmvm.decompose``, with the zero row as a virtual root; an edge is only used if
the child can still be summed within the depth budget: the least depth the CSD digits
need plus ``extra_depth``).  Each matrix op then becomes two chained ops of the same kind
(``cmvm.matrix`` or ``cmvm.csd``): ``t = W1 x`` with the difference rows, and ``y = W2 t``
where ``W2`` sums each output's path of differences to the root (entries ±1).  A matrix
whose tree has no edge between rows is left alone.  The outputs keep their types.

Option: ``extra_depth`` (default 0).

Before (T = !cmvm.fx<fixed<1,7,0>>):

    %y:2 = cmvm.matrix [[3, 5], [3, 6]] (%a, %b) : (T, T) -> (T0, T1)

After ``cmvm-decompose{extra_depth=1}`` (row 1 is row 0 plus [0, 1]; with no extra
level allowed, y1 could not be summed as shallowly and the op is left alone):

    %t, %t_1 = cmvm.matrix [[3, 5], [0, 1]] (%a, %b) : (T, T) -> (!cmvm.fx<range<-1024,1016,0>>, !cmvm.fx<range<-128,127,0>>)
    %y, %y_1 = cmvm.matrix [[1, 0], [1, 1]] (%t, %t_1) : (...) -> (T0, T1)
"""

from dataclasses import dataclass

import numpy as np
from xdsl.context import Context
from xdsl.dialects.builtin import ModuleOp
from xdsl.passes import ModulePass
from xdsl.rewriter import Rewriter

from ..cmvm.csd import as_integer_matrix, factor_shifts
from ..cmvm.decompose import Decomposition, spanning_tree
from ..cmvm.solver import least_depth
from ..dialects.cmvm.ops import CsdOp, MatrixLikeOp, matrix_ops
from ..lowering.optimizer_ir import matrix_op


def path_sums(dec: Decomposition) -> np.ndarray:
    """The matrix T with ``y = T t`` when ``y_k = sign_k * y_parent(k) + t_k``."""
    n = len(dec.parent)
    t = np.zeros((n, n), dtype=np.int64)
    for k in dec.order:
        t[k, k] = 1
        p = dec.parent[k]
        if p is not None:
            t[k] += dec.sign[k] * t[p]
    return t


def split_along_spanning_tree(op: MatrixLikeOp, extra_depth: int) -> None:
    if len(op.outputs) < 2:
        return
    w, row, col = factor_shifts(as_integer_matrix(op.integer_array()))
    dec = spanning_tree(w, least_depth(w) + max(0, extra_depth))
    if all(p is None for p in dec.parent):
        return
    rows, cols = op.shifts()
    csd = isinstance(op, CsdOp)
    first = matrix_op(dec.diff, list(op.inputs), [0] * len(rows),
                      [int(a) + int(b) for a, b in zip(cols, col)], csd=csd)
    second = matrix_op(path_sums(dec), list(first.outputs), [int(a) + int(b) for a, b in zip(rows, row)],
                       [0] * len(rows), list(op.outputs.types), csd=csd)
    for t in first.outputs:
        t.name_hint = "t"
    Rewriter.replace_op(op, [first, second])


@dataclass(frozen=True)
class CmvmDecompose(ModulePass):
    name = "cmvm-decompose"

    extra_depth: int = 0

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        for matrix in matrix_ops(op):
            split_along_spanning_tree(matrix, self.extra_depth)
