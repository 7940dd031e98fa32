"""Shared pytest setup for the rtl tests: the ``verilator`` marker and lint helper."""

import subprocess
from pathlib import Path

import pytest

from fpga_opt.backends.verilator_sim import _verilator_command, verilator_available
from fpga_opt.backends.verilog import emit_verilog
from fpga_opt.dialects import rtl


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "verilator: builds or lints with Verilator (skipped when it is missing)"
    )


def pytest_collection_modifyitems(config, items):
    if verilator_available():
        return
    skip = pytest.mark.skip(reason="Verilator or a C++ compiler is not installed")
    for item in items:
        if "verilator" in item.keywords:
            item.add_marker(skip)


def lint(module: rtl.ModuleOp, directory: Path) -> str:
    """Verilator's ``--lint-only -Wall`` output for the module's Verilog ('' when clean);
    the file is named after the module, as -Wall's DECLFILENAME asks."""
    path = directory / f"{module.sym_name.data}.v"
    path.write_text(emit_verilog(module))
    run = subprocess.run(
        [*_verilator_command(), "--lint-only", "-Wall", path.name],
        cwd=directory, capture_output=True, text=True,
    )
    return "" if run.returncode == 0 and "%Warning" not in run.stderr else run.stderr
