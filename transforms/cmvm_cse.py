"""cmvm-cse: turn every constant matrix into an adder graph by greedy common-subexpression
elimination.

Each ``cmvm.matrix`` / ``cmvm.csd`` is replaced by ``cmvm.add`` / ``cmvm.sub`` ops (plus
the free wiring its outputs need: ``cmvm.shift``, ``cmvm.neg``, ``cmvm.constant 0``).  The
CSD digits of the matrix are the terms; the most valuable two-term pattern that occurs
at least twice becomes one adder, repeatedly (``fpga_opt.cmvm.cse``); what remains of each
output is summed in a least-depth tree.  Every new value gets its exact range; the
outputs keep the result types of the replaced op.

Options: ``objective`` = ``adders`` (fewest adders) or ``adder_bits`` (fewest adder output
bits); ``max_depth`` = the most adder levels from the matrix's inputs to any output,
honoured exactly (an error if the CSD digits of some row cannot be summed that shallowly).

Before (T = !cmvm.fx<fixed<1,7,0>>):

    %y:2 = cmvm.matrix [[3, 5], [7, 5]] (%a, %b) : (T, T) -> (!cmvm.fx<range<-1024,1016,0>>, ...)

After (``a - b`` is shared; ``3a + 5b == ((a + b) - (a - b) / 4) * 4``):

    %0 = cmvm.sub %a, %b : (T, T) -> !cmvm.fx<range<-255,255,0>>
    %1 = cmvm.add %a, %b : (T, T) -> !cmvm.fx<range<-256,254,0>>
    %2 = cmvm.sub %1, %0 shl -2 : (...) -> !cmvm.fx<range<-1024,1016,2>>
    %3 = cmvm.add %b, %a shl 1 : (T, T) -> !cmvm.fx<range<-384,381,0>>
    %4 = cmvm.sub %3, %0 shl -2 : (...) -> !cmvm.fx<range<-1536,1524,2>>
    %y = cmvm.shift %2 by 2 : !cmvm.fx<range<-1024,1016,2>> -> !cmvm.fx<range<-1024,1016,0>>
    %y_1 = cmvm.shift %4 by 2 : !cmvm.fx<range<-1536,1524,2>> -> !cmvm.fx<range<-1536,1524,0>>
"""

from dataclasses import dataclass

from xdsl.context import Context
from xdsl.dialects.builtin import ModuleOp
from xdsl.passes import ModulePass

from ..lowering.optimizer_ir import replace_with_adders


@dataclass(frozen=True)
class CmvmCse(ModulePass):
    name = "cmvm-cse"

    objective: str = "adders"
    max_depth: int | None = None

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        replace_with_adders(op, self.objective, self.max_depth, decompose=False)
