"""``fpga-opt model -o prj/``: the driver's output written as a hardware project directory
(backends/project.py) instead of one file.

The run's output is the IR text of the compiled design (the default ``mlir`` target); it
is parsed back and handed to the project writer with the command line's ``--top``,
``--part``, ``--clock-period`` and ``--hdl``.
"""

from __future__ import annotations

import argparse
import os

from xdsl.context import Context
from xdsl.parser import Parser

from ..backends.project import DEFAULT_PART, verilog_identifier, write_project
from ..backends.report import report_files
from ..dialects import rtl
from ..errors import CompileError


def write_project_output(directory: str, ir_text: str, ctx: Context, args: argparse.Namespace) -> None:
    """Write the project of the run whose IR output is ``ir_text`` into ``directory``."""
    if args.target != "mlir":
        raise CompileError(f"-o {directory}", f"a project directory takes the compiled design, "
                           f"not the '{args.target}' target's text: leave out -t")
    module = Parser(ctx, ir_text, directory).parse_module()
    modules = [op for op in module.ops if isinstance(op, rtl.ModuleOp)]
    if len(modules) != 1:
        raise CompileError(f"-o {directory}", "a project needs one compiled rtl.module: give a "
                           "model file without -p, or a pipeline that ends in rtl")
    name = os.path.splitext(os.path.basename(args.input_file or "design"))[0]
    top = args.top or verilog_identifier(name)
    report = report_files(module, title=os.path.basename(args.input_file or name),
                          clock_period=args.clock_period)
    write_project(module, directory, top, part=args.part or DEFAULT_PART,
                  clock_period=args.clock_period, report=report, hdl=args.hdl)
