"""cmvm-optimize: the whole CMVM optimizer in one step (``fpga_opt.cmvm.solve``).

Like ``cmvm-csd,cmvm-decompose,cmvm-cse`` but with the stages solved jointly: the spanning
tree that builds outputs from each other, the elimination over the difference rows and
the least-depth sums (a parent output enters its child's sum tree as one more term) share
one depth budget.  Each ``cmvm.matrix`` / ``cmvm.csd`` becomes adder-graph ops.

Options: ``objective`` = ``adders`` | ``adder_bits``; ``max_depth`` = the most adder levels
(exact); ``extra_depth`` = when no ``max_depth`` is given, the levels allowed beyond the
least the CSD digits need (more sharing between outputs for more latency); without it the
solver tries a few budgets and keeps the shallowest whose cost is within 1% of the best.

Before:

    %y:2 = cmvm.matrix [[3, 5], [3, 6]] (%a, %b) : (T, T) -> (T0, T1)

After (y1 = y0 + b):

    %0 = cmvm.add %a, %a shl 1 : ...
    %1 = cmvm.add %b, %b shl 2 : ...
    %y0 = cmvm.add %0, %1 : ... -> T0
    %y1 = cmvm.add %y0, %b : ... -> T1
"""

from dataclasses import dataclass

from xdsl.context import Context
from xdsl.dialects.builtin import ModuleOp
from xdsl.passes import ModulePass

from .cmvm_cse import replace_with_adders


@dataclass(frozen=True)
class CmvmOptimize(ModulePass):
    name = "cmvm-optimize"

    objective: str = "adders"
    max_depth: int | None = None
    extra_depth: int | None = None

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        replace_with_adders(op, self.objective, self.max_depth, decompose=True, extra_depth=self.extra_depth)
