"""The ``circt`` target: CIRCT's ``hw`` / ``comb`` / ``seq`` text, which CIRCT parses.

An input holding ``rtl.module``s is lowered first (``rtl-to-circt``, on a copy), so
``fpga-opt model.onnx -t circt`` works as ``-t verilog`` does; an input already lowered
(``-p ...,rtl-to-circt``) prints as it is.  xDSL's printer writes the syntax CIRCT 1.62
reads for every operation rtl-to-circt produces (the tests parse the output with CIRCT's
own Python bindings), so this target adds no printing of its own, only the check that
nothing else is in the module.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import IO, ClassVar

from xdsl.context import Context
from xdsl.dialects import builtin, hw
from xdsl.printer import Printer
from xdsl.utils.target import Target

from ..dialects import rtl
from ..errors import CompileError
from ..lowering.rtl_to_circt import RtlToCirct


def print_circt(module: builtin.ModuleOp) -> str:
    """The CIRCT text of every module in ``module`` (rtl.module or hw.module)."""
    ops = list(module.ops)
    if not ops:
        raise CompileError("circt target", "the input holds no rtl.module")
    for op in ops:
        if not isinstance(op, rtl.ModuleOp | hw.HWModuleOp):
            raise CompileError(
                "circt target",
                f"only rtl.module (or hw.module) can be printed for CIRCT, found {op.name} "
                "(lower to rtl first, e.g. with -p compile)",
            )
    if any(isinstance(op, rtl.ModuleOp) for op in ops):
        module = module.clone()
        RtlToCirct().apply(Context(), module)
    text = io.StringIO()
    Printer(stream=text).print_op(module)
    text.write("\n")
    return text.getvalue()


@dataclass(frozen=True)
class CirctTarget(Target):
    """``-t circt``: hw/comb/seq IR in the syntax CIRCT parses."""

    name: ClassVar[str] = "circt"

    def emit(self, ctx: Context, module: builtin.ModuleOp, output: IO[str]) -> None:
        output.write(print_circt(module))
