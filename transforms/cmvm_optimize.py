"""cmvm-optimize: the whole CMVM optimizer in one step (``fpga_opt.cmvm.solve``).

Like ``cmvm-csd,cmvm-decompose,cmvm-cse`` but with the stages solved jointly: the spanning
tree that builds outputs from each other, the elimination over the difference rows and
the least-depth sums (a parent output enters its child's sum tree as one more term) share
one depth budget.  Each ``cmvm.matrix`` / ``cmvm.csd`` becomes adder-graph ops.

Options: ``objective`` = ``adders`` | ``adder_bits``; ``max_depth`` = the most adder levels
(exact); ``extra_depth`` = when no ``max_depth`` is given, the levels allowed beyond the
least the CSD digits need (more sharing between outputs for more latency); without it the
solver tries a few budgets and keeps the shallowest whose cost is nearly the best;
``effort`` = ``fast`` (one variant), ``full`` (a portfolio of variants, the best kept) or
``auto`` (by matrix size), as ``fpga_opt.cmvm.solve`` takes it; ``jobs`` = worker
processes solving the matrices side by side (``fpga_opt.cmvm.parallel``; default the
machine's cores; the output is the same for any number).

Before (T = !cmvm.fx<fixed<1,7,0>>):

    %y:2 = cmvm.matrix [[3, 5], [3, 6]] (%a, %b) : (T, T) -> (...)

After ``cmvm-optimize{extra_depth=1}`` (y1 = y0 + b; 4 adders instead of 5):

    %0 = cmvm.sub %a, %b : (T, T) -> !cmvm.fx<range<-255,255,0>>
    %1 = cmvm.add %a, %b : (T, T) -> !cmvm.fx<range<-256,254,0>>
    %2 = cmvm.sub %1, %0 shl -2 : (...) -> !cmvm.fx<range<-1024,1016,2>>
    %y = cmvm.add %b, %2 shl 2 : (...) -> !cmvm.fx<range<-1152,1143,0>>
    %y_1 = cmvm.shift %2 by 2 : !cmvm.fx<range<-1024,1016,2>> -> !cmvm.fx<range<-1024,1016,0>>
    func.return %y_1, %y : ...
"""

from dataclasses import dataclass

from xdsl.context import Context
from xdsl.dialects.builtin import ModuleOp
from xdsl.passes import ModulePass

from ..lowering.optimizer_ir import replace_with_adders


@dataclass(frozen=True)
class CmvmOptimize(ModulePass):
    name = "cmvm-optimize"

    objective: str = "adders"
    max_depth: int | None = None
    extra_depth: int | None = None
    effort: str = "auto"
    jobs: int | None = None

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        replace_with_adders(op, self.objective, self.max_depth, decompose=True,
                            extra_depth=self.extra_depth, effort=self.effort, jobs=self.jobs)
