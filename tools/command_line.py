"""The parts of fpga-opt's command line that are not xDSL's: the ``--help`` text (our own
options, passes and targets first, with examples), one-line usage errors, file modes."""

from __future__ import annotations

import textwrap

from ..errors import CompileError
from ..registry import get_all_passes, get_all_targets
from .surface import GENERIC_TARGETS


def our_targets() -> list[str]:
    """The targets ``-t`` offers: this project's and xDSL's textual IR."""
    return [*get_all_targets(), *sorted(GENERIC_TARGETS)]

EXAMPLES = """\
examples:
  fpga-opt model.onnx --input-precision 'fixed<1,5,10>' -t report   # compile, print the report
  fpga-opt model.onnx -o prj/ --clock-period 2.5 --part xcvu13p-flga2577-2-e
                                      # a project: Verilog, wrapper, testbench, Vivado/Quartus
  fpga-opt model.onnx --cutoff 2 -t verilog -o model.v    # a register every 2 adder levels
  fpga-opt model.keras -t stats                           # HGQ2 .keras, JSON resources
  fpga-opt model.onnx -p fixedpoint-infer-precision       # stop early: the IR of the model
  fpga-opt model.onnx --print-between-passes              # the IR after every stage"""


def help_text() -> str:
    """The description printed first by ``--help``."""
    passes = ", ".join(sorted(get_all_passes()))
    return "\n".join([
        "fpga-opt: quantized neural networks (.onnx, .keras, Keras 2 .h5/.json) to bit-exact, multiplier-free FPGA logic.",
        "",
        "fpga-opt options: --input-precision, --default-precision, --weights, --cutoff, -j,",
        "  --clock-period, --top, --part, --softmax, --softmax-precision, --softmax-table-size,",
        "  the --max-... limits, -q (described below, after xDSL's own flags); 'fpga-opt sweep",
        "  --help' for sweeps over models and options.",
        "",
        "fpga-opt targets (-t): " + ", ".join(our_targets()) + "; -o DIR/ writes a hardware project.",
        textwrap.fill("fpga-opt passes (-p): " + passes + " (a model file without -p runs 'compile').",
                      width=100, subsequent_indent="  ", break_on_hyphens=False),
        "",
        EXAMPLES,
    ])


def command_line_error(message: str) -> None:
    """argparse's error hook: one line and exit 1 (the driver reports CompileErrors)."""
    if message.startswith("argument -t/--target: invalid choice"):
        name = message.split("'")[1] if "'" in message else "?"
        message = f"unknown target '{name}' (fpga-opt's: {', '.join(our_targets())}; see --help)"
    raise CompileError("command line", message)
