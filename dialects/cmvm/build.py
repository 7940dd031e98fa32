"""Building matrix ops from integer matrices (shared by the cmvm passes and the API)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from xdsl.ir import Attribute, SSAValue

from ...cmvm.csd import as_integer_matrix, csd_digits, factor_shifts
from .attributes import digits_string
from .ops import CsdOp, MatrixLikeOp, MatrixOp


def csd_strings(w: np.ndarray) -> list[list[str]]:
    """Every entry of an integer matrix as a canonical signed-digit string."""
    digits = csd_digits(w)
    return [[digits_string(digits[j, i].tolist()) for i in range(w.shape[1])] for j in range(w.shape[0])]


def matrix_op(w, inputs: Sequence[SSAValue], row_shifts: Sequence[int], col_shifts: Sequence[int],
              result_types: Sequence[Attribute] | None = None, csd: bool = False) -> MatrixLikeOp:
    """``y_j = sum_i w[j][i] * 2**(row_shifts[j] + col_shifts[i]) * x_i`` as a ``cmvm.matrix``,
    or as a ``cmvm.csd`` with every common power of two moved into the shifts."""
    n_out, n_in = len(row_shifts), len(col_shifts)
    w = as_integer_matrix(np.asarray(w, dtype=object).reshape(n_out, n_in))
    if not csd:
        return MatrixOp(list(inputs), w.tolist(), list(row_shifts), list(col_shifts), result_types)
    w, row, col = factor_shifts(w)
    return CsdOp(list(inputs), csd_strings(w),
                 [int(a) + int(b) for a, b in zip(row_shifts, row)],
                 [int(a) + int(b) for a, b in zip(col_shifts, col)], result_types)


def effective_matrix(op: MatrixLikeOp) -> tuple[np.ndarray, int]:
    """``(M, e)`` with the op computing ``y = 2**e * M x`` for an integer matrix M (the row
    and column shifts folded into the entries, their least value e kept apart)."""
    w = op.integer_array()
    rows, cols = op.shifts()
    exps = [rows[j] + cols[i] for j in range(w.shape[0]) for i in range(w.shape[1]) if w[j, i]]
    e = min(exps, default=0)
    out = np.empty(w.shape, dtype=object)
    for j in range(w.shape[0]):
        for i in range(w.shape[1]):
            out[j, i] = int(w[j, i]) << (rows[j] + cols[i] - e) if w[j, i] else 0
    return as_integer_matrix(out), e
