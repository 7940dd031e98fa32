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

The ops live by family: op_base.py (the base classes), matrices.py (matrix, csd),
adder_ops.py (add, sub, add3, neg, shift, constant) and nonlinear_ops.py (relu, max, min,
quantize, lookup); this module lists them all.
"""

from xdsl.ir import Operation

from .adder_ops import AddOp, ConstantOp, NegOp, ShiftedBinaryOp, ShiftOp, SubOp, TernaryAddOp
from .matrices import CsdOp, MatrixLikeOp, MatrixOp, matrix_ops, matrix_ranges
from .nonlinear_ops import ExtremumOp, LookupOp, MaxOp, MinOp, QuantizeOp, ReluOp
from .op_base import ZERO, CmvmOp, LinearOp, UnaryOp

ADDER_OPS = (AddOp, SubOp)

ALL_OPS: list[type[Operation]] = [
    MatrixOp, CsdOp, AddOp, SubOp, NegOp, ShiftOp, ConstantOp, TernaryAddOp,
    ReluOp, MaxOp, MinOp, QuantizeOp, LookupOp,
]

__all__ = [
    "ADDER_OPS", "ALL_OPS", "ZERO", "AddOp", "CmvmOp", "ConstantOp", "CsdOp", "ExtremumOp", "LinearOp",
    "LookupOp", "MatrixLikeOp", "MatrixOp", "MaxOp", "MinOp", "NegOp", "QuantizeOp", "ReluOp",
    "ShiftOp", "ShiftedBinaryOp", "SubOp", "TernaryAddOp", "UnaryOp", "matrix_ops", "matrix_ranges",
]
