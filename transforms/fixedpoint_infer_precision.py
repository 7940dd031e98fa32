"""fixedpoint-infer-precision: give every value its exact per-element interval.

Walks each function in order and rewrites every fixedpoint result type to the exact
interval its operands and constants imply (dense ranges come from the actual weights,
quantize ranges from its format, rounding and overflow), then updates the function's
result types.  A called function is inferred first and its call sites take its new
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
from xdsl.rewriter import Rewriter

from ..dialects.fixedpoint.ops import FixedPointOp, set_inferred_type


@dataclass(frozen=True)
class FixedPointInferPrecision(ModulePass):
    name = "fixedpoint-infer-precision"

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        functions = {f.sym_name.data: f for f in op.walk() if isinstance(f, func.FuncOp)}
        started: set[str] = set()

        def infer(function: func.FuncOp) -> None:
            if function.sym_name.data in started:  # done, or a recursive call
                return
            started.add(function.sym_name.data)
            for callee in called_functions(function, functions):
                infer(callee)
            infer_function(function, functions)

        for function in functions.values():
            infer(function)


def called_functions(function: func.FuncOp, functions: dict[str, func.FuncOp]):
    for op in function.walk():
        if isinstance(op, func.CallOp) and op.callee.string_value() in functions:
            yield functions[op.callee.string_value()]


def infer_function(function: func.FuncOp, functions: dict[str, func.FuncOp]) -> None:
    """Infer every result in order; calls take the (already inferred) callee's types."""
    for op in function.walk():
        if isinstance(op, FixedPointOp):
            set_inferred_type(op)
        elif isinstance(op, func.CallOp) and (callee := functions.get(op.callee.string_value())):
            for result, new_type in zip(op.results, callee.function_type.outputs.data):
                if result.type != new_type:
                    Rewriter.replace_value_with_new_type(result, new_type)
    for op in function.walk():
        if isinstance(op, func.ReturnOp):
            function.function_type = FunctionType.from_lists(
                function.function_type.inputs.data, [v.type for v in op.arguments]
            )

