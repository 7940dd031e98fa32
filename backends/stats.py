"""Resource and timing reports for ``rtl`` modules: the ``stats`` target (``-t stats``
prints JSON keyed by module name; ``-t 'stats{yosys=true}'`` adds Yosys's measured cell
counts) and the Yosys synthesis report itself (``yosys_report``).

The LUT estimate of each operation is dialects/rtl/area.py's model.
Only the bits some output depends on are counted (dialects/rtl/liveness.py), as
synthesis removes the rest: an adder is as wide as its highest live bit, a mux counts
its live bits.  ``adder_bits`` counts those widths.
Every number in the report is computed from the IR; the Yosys report (``yosys_report``)
measures the same Verilog with ``synth_xilinx -family xc7 -flatten``.
"""

from __future__ import annotations

import json
import math
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, ClassVar

from xdsl.context import Context
from xdsl.dialects import builtin
from xdsl.utils.target import Target

from ..dialects import rtl
from ..dialects.rtl import width_of
from ..dialects.rtl.area import estimated_luts
from ..dialects.rtl.delay import stage_timing
from ..dialects.rtl.liveness import distinct_register_bits, live_bits
from ..errors import CompileError
from .verilog import emit_verilog


def module_stats(module: rtl.ModuleOp) -> dict[str, Any]:
    """Counts, estimates and timing of the logic that reaches an output of ``module``,
    bit by bit (synthesis removes the rest)."""
    masks = live_bits(module)
    live = {op: masks.get(op.results[0], 0) for op in module.block.ops if op.results}
    ops = [op for op, bits in live.items() if bits]
    adders = [op for op in ops if isinstance(op, rtl.AddOp | rtl.SubOp | rtl.TernaryAddOp)]
    timing = stage_timing(module, only=set(ops))
    return {
        "adders": len(adders),
        "ternary_adders": sum(isinstance(op, rtl.TernaryAddOp) for op in adders),
        "adder_bits": sum(live[op].bit_length() for op in adders),
        "comparators": sum(isinstance(op, rtl.ICmpOp) for op in ops),
        "muxes": sum(isinstance(op, rtl.MuxOp) for op in ops),
        "roms": sum(isinstance(op, rtl.RomOp) for op in ops),
        "luts": sum(estimated_luts(op, live[op]) for op in ops),
        "carry4": sum(math.ceil(live[op].bit_length() / 4) for op in adders),
        "ffs": distinct_register_bits(module, masks),
        "latency": module.latency_cycles,
        "deepest_stage": {"adder_levels": timing.levels, "carry_bits": timing.carry},
        "inputs": len(module.block.args),
        "input_bits": sum(width_of(a) for a in module.block.args),
        "outputs": len(module.output_op.outputs),
        "output_bits": sum(width_of(v) for v in module.output_op.outputs),
    }


def design_stats(module: builtin.ModuleOp) -> dict[str, dict[str, Any]]:
    """``module_stats`` of every rtl module, keyed by module name."""
    return {
        m.sym_name.data: module_stats(m) for m in module.ops if isinstance(m, rtl.ModuleOp)
    }


@dataclass(frozen=True)
class StatsTarget(Target):
    """``-t stats``: the JSON resource and timing report."""

    name: ClassVar[str] = "stats"

    yosys: bool = False
    """Also synthesize each module with Yosys (``-t 'stats{yosys=true}'``) and report the
    measured cells under ``"yosys"``."""

    arch: str = "generic"
    """The Verilog flavour Yosys synthesizes (``xc7``: three-input adders as primitives)."""

    def emit(self, ctx: Context, module: builtin.ModuleOp, output: IO[str]) -> None:
        stats = design_stats(module)
        if not stats:
            raise CompileError("stats target", "the input holds no rtl.module")
        if self.yosys:
            for m in module.ops:
                if isinstance(m, rtl.ModuleOp):
                    stats[m.sym_name.data]["yosys"] = yosys_report(m, arch=self.arch)
        output.write(json.dumps(stats, indent=2) + "\n")


# ---------------------------------------------------------------------------------------
# Yosys


def yosys_available() -> bool:
    return shutil.which("yosys") is not None


def yosys_report(module: rtl.ModuleOp, timeout: float = 600, arch: str = "generic") -> dict[str, int]:
    """Synthesize ``module`` with Yosys (``synth_xilinx -family xc7 -flatten``) and count
    its cells: ``luts`` (LUT1..LUT6), ``inv`` (INV cells, which Yosys 0.23 leaves apart
    from the LUTs), ``carry4``, ``ffs`` (FD* flip-flops), ``muxf`` (MUXF7/MUXF8) and every
    cell type by name under ``cells``."""
    top = module.sym_name.data
    return yosys_synthesize({f"{top}.v": emit_verilog(module, arch=arch)}, top, timeout)


def yosys_synthesize(sources: dict[str, str], top: str, timeout: float = 600,
                     data_files: dict[str, str] | None = None) -> dict[str, int]:
    """``yosys_report`` for any Verilog: ``sources`` maps file names to their text;
    ``data_files`` are written beside them (memory images the Verilog reads)."""
    if not yosys_available():
        raise CompileError("yosys report", "yosys is not on PATH (apt-get install yosys)")
    with tempfile.TemporaryDirectory(prefix="fpga-opt-yosys-") as tmp:
        for name, text in {**sources, **(data_files or {})}.items():
            (Path(tmp) / name).write_text(text)
        report = Path(tmp) / "stat.json"
        files = " ".join(str(Path(tmp) / name) for name in sources)
        script = (
            f"read_verilog {files}; synth_xilinx -family xc7 -flatten -top {top}; "
            f"tee -q -o {report} stat -json"
        )
        run = subprocess.run(
            ["yosys", "-q", "-p", script], capture_output=True, text=True, timeout=timeout,
            cwd=tmp,
        )
        if run.returncode != 0:
            raise CompileError(f"yosys on module {top}", run.stderr.strip() or run.stdout.strip())
        cells: dict[str, int] = json.loads(report.read_text())["design"]["num_cells_by_type"]
    return {
        "luts": sum(n for cell, n in cells.items() if cell.startswith("LUT")),
        "inv": cells.get("INV", 0),
        "carry4": cells.get("CARRY4", 0),
        "ffs": sum(n for cell, n in cells.items() if cell.startswith("FD")),
        "muxf": sum(n for cell, n in cells.items() if cell.startswith("MUXF")),
        "cells": cells,
    }
