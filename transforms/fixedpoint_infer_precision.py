"""fixedpoint-infer-precision: give every value its exact per-element interval.

Walks each function in order and rewrites every fixedpoint result type to the exact
interval its operands and constants imply (dense ranges come from the actual weights,
quantize ranges from its format, rounding and overflow), then updates the function's
result types.  Function arguments keep their declared formats.  Running it twice changes
nothing.

Before:

    %y = fixedpoint.add %a, %b : (!fixedpoint.tensor<2xfixed<1,7,0>>,
        !fixedpoint.tensor<2xfixed<1,7,0>>) -> !fixedpoint.tensor<2xfixed<1,15,0>>

After:

    %y = fixedpoint.add %a, %b : (!fixedpoint.tensor<2xfixed<1,7,0>>,
        !fixedpoint.tensor<2xfixed<1,7,0>>) -> !fixedpoint.tensor<2xrange<-256,254,0>>
"""

from dataclasses import dataclass

from xdsl.context import Context
from xdsl.dialects import func
from xdsl.dialects.builtin import FunctionType, ModuleOp
from xdsl.passes import ModulePass

from ..dialects.fixedpoint.ops import FixedPointOp, set_inferred_type


@dataclass(frozen=True)
class FixedPointInferPrecision(ModulePass):
    name = "fixedpoint-infer-precision"

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        for function in op.walk():
            if isinstance(function, func.FuncOp):
                infer_function(function)


def infer_function(function: func.FuncOp) -> None:
    for op in function.walk():
        if isinstance(op, FixedPointOp):
            set_inferred_type(op)
    for op in function.walk():
        if isinstance(op, func.ReturnOp):
            function.function_type = FunctionType.from_lists(
                function.function_type.inputs.data, [v.type for v in op.arguments]
            )
