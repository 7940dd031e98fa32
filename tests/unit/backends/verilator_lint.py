"""Lint emitted Verilog with Verilator, for the tests."""

import subprocess
from pathlib import Path

from fpga_opt.verification.verilator_sim import verilator_command
from fpga_opt.backends.verilog import emit_verilog
from fpga_opt.dialects import rtl


def lint(module: rtl.ModuleOp, directory: Path) -> str:
    """Verilator's ``--lint-only -Wall`` output for the module's Verilog ('' when clean);
    the file is named after the module, as -Wall's DECLFILENAME asks."""
    path = directory / f"{module.sym_name.data}.v"
    path.write_text(emit_verilog(module))
    run = subprocess.run(
        [*verilator_command(), "--lint-only", "-Wall", path.name],
        cwd=directory, capture_output=True, text=True,
    )
    return "" if run.returncode == 0 and "%Warning" not in run.stderr else run.stderr
