"""A hardware project directory for a compiled design (``fpga-opt model -o prj/``,
``design.write("prj")``):

    <top>.v                 the design, its top module named after the model (or ``top``)
    <top>.vhd               with ``hdl="vhdl"``: the design also as VHDL-2008 (entity <top>)
    <top>_wrapper.v         one flat input vector ``x``, one flat output ``y`` (and ``clk``)
    <top>_tb.v              self-checking testbench; <top>_inputs.hex, <top>_expected.hex
    Makefile                make sim (Verilator, and Icarus where installed), make lint
    <top>.xdc, build_vivado.tcl     vivado -mode batch -source build_vivado.tcl
    <top>.sdc, build_quartus.tcl    quartus_sh -t build_quartus.tcl
    report.md (+ figures)   the readable report (``backends/report.py``)

Every Verilog module is named after the top (``<top>``, ``<top>_wrapper``, ``<top>_tb``),
so the designs of two models live side by side in one project.  Synthesis is out of
context (no I/O buffers): the flat ports stand for on-chip wiring, as in hls4ml's
projects.  A combinational design is constrained by a virtual clock of the same period.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from xdsl.dialects import builtin
from xdsl.dialects.builtin import StringAttr

from ..errors import CompileError
from ..interpreters.rtl import single_module
from .verilog_names import VERILOG_KEYWORDS
from .testbench import (
    WRAPPER_CLOCK,
    WRAPPER_INPUT,
    WRAPPER_OUTPUT,
    flat_layout,
    hex_lines,
    makefile,
    reference_vectors,
    testbench_verilog,
    wrapper_verilog,
)
from .verilog import emit_verilog
from .vhdl import print_vhdl

DEFAULT_PART = "xcvu13p-flga2577-2-e"
DEFAULT_CLOCK_PERIOD = 5.0
"""ns, for the constraints when no period is given."""
DEFAULT_QUARTUS_DEVICE = "AGFB014R24B2E2V"
"""An Agilex 7 device for the Quartus script when the part is a Xilinx one."""
TEST_VECTORS = 200
HDLS = ("verilog", "vhdl")
"""The design's languages in a project: the Verilog always (the wrapper, testbench and
scripts use it), ``vhdl`` adds ``<top>.vhd`` beside it."""


def verilog_identifier(text: str) -> str:
    """A legal Verilog identifier from a model or file name: ``hgq2_jsc_openml_0.758`` ->
    ``hgq2_jsc_openml_0_758``, ``3layer`` -> ``m_3layer``, a keyword gets a ``_m``."""
    name = re.sub(r"[^A-Za-z0-9_]", "_", text).strip("_") or "design"
    if not name[0].isalpha():
        name = f"m_{name}"
    return f"{name}_m" if name in VERILOG_KEYWORDS else name


def write_project(hardware: builtin.ModuleOp, directory: str | os.PathLike, top: str, *,
                  part: str = DEFAULT_PART, clock_period: float | None = None,
                  report: dict[str, str | bytes] | None = None,
                  vectors: int = TEST_VECTORS, hdl: str = "verilog") -> list[Path]:
    """Write the project of the rtl design ``hardware`` into ``directory`` (created if
    needed); ``report`` adds files (name -> text or PNG bytes); ``hdl="vhdl"`` adds the
    design as VHDL.  Returns the files."""
    if not re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*", top) or top in VERILOG_KEYWORDS:
        raise CompileError(f"top '{top}'", "is not a legal Verilog module name "
                           "(a letter, then letters, digits or '_'; not a keyword)")
    if clock_period is not None and not clock_period > 0:
        raise CompileError("clock period", f"must be positive, got {clock_period} ns")
    if hdl not in HDLS:
        raise CompileError("hdl", f"unknown language '{hdl}' (known: {', '.join(HDLS)})")
    period = clock_period or DEFAULT_CLOCK_PERIOD
    module = single_module(hardware)
    sources = [f"{top}.v", f"{top}_wrapper.v"]
    inputs, expected = reference_vectors(module, vectors)
    in_bits = sum(w for _, _, w in flat_layout(module.inputs))
    out_bits = sum(w for _, _, w in flat_layout(module.outputs))
    clocked = module.clock is not None
    files: dict[str, str | bytes] = {
        f"{top}.v": emit_verilog(module, {module.sym_name.data: top}),
        f"{top}_wrapper.v": wrapper_verilog(module, top),
        f"{top}_tb.v": testbench_verilog(module, top, vectors),
        f"{top}_inputs.hex": hex_lines(inputs, in_bits),
        f"{top}_expected.hex": hex_lines(expected, out_bits),
        "Makefile": makefile(top, sources),
        f"{top}.xdc": constraints(period, clocked),
        f"{top}.sdc": constraints(period, clocked),
        "build_vivado.tcl": vivado_script(top, sources, part),
        "build_quartus.tcl": quartus_script(top, sources, part),
        **(report or {}),
    }
    if hdl == "vhdl":
        files[f"{top}.vhd"] = vhdl_design(module, top)
    folder = Path(directory)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        written = []
        for name, content in files.items():
            path = folder / name
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content)
            written.append(path)
    except OSError as e:
        raise CompileError(str(directory), f"cannot write the project: {e.strerror}") from None
    return written


def vhdl_design(module, top: str) -> str:
    """The VHDL of ``module`` (an rtl.ModuleOp) with its entity named ``top``."""
    renamed = module.clone()
    renamed.sym_name = StringAttr(top)
    return print_vhdl(renamed)


def constraints(period: float, clocked: bool) -> str:
    """The timing constraints of the wrapper, valid as XDC and as SDC: a clock of
    ``period`` ns on ``clk`` (virtual when combinational), I/O delays of 0 against it."""
    comment = "# Generated by fpga-opt: " + (
        f"the clock on port {WRAPPER_CLOCK}" if clocked else
        "a virtual clock; input to output is one combinational path")
    clock = f"create_clock -name {WRAPPER_CLOCK} -period {period:.3f}"
    if clocked:
        clock += f" [get_ports {WRAPPER_CLOCK}]"
    return "\n".join([
        comment,
        clock,
        f"set_input_delay -clock {WRAPPER_CLOCK} 0 [get_ports {{{WRAPPER_INPUT}[*]}}]",
        f"set_output_delay -clock {WRAPPER_CLOCK} 0 [get_ports {{{WRAPPER_OUTPUT}[*]}}]",
        "",
    ])


def vivado_script(top: str, sources: list[str], part: str) -> str:
    return f"""# Generated by fpga-opt.  Out-of-context synthesis and implementation of {top}_wrapper:
#   vivado -mode batch -source build_vivado.tcl
set part {part}
set top {top}_wrapper
cd [file dirname [info script]]
read_verilog {{{" ".join(sources)}}}
read_xdc -mode out_of_context {top}.xdc
synth_design -top $top -part $part -mode out_of_context
opt_design
place_design
route_design
report_utilization -file {top}_utilization.rpt
report_timing_summary -file {top}_timing.rpt
write_checkpoint -force {top}_routed.dcp
"""


def quartus_script(top: str, sources: list[str], part: str) -> str:
    xilinx = part.lower().startswith("xc")
    device = DEFAULT_QUARTUS_DEVICE if xilinx else part
    note = (f"# --part {part} is a Xilinx device: set an Intel one here.\n" if xilinx else "")
    files = "\n".join(f"set_global_assignment -name VERILOG_FILE {s}" for s in sources)
    return f"""# Generated by fpga-opt.  Quartus Prime compilation of {top}_wrapper:
#   quartus_sh -t build_quartus.tcl
{note}set device {device}
load_package flow
cd [file dirname [info script]]
project_new {top} -overwrite
set_global_assignment -name DEVICE $device
set_global_assignment -name TOP_LEVEL_ENTITY {top}_wrapper
{files}
set_global_assignment -name SDC_FILE {top}.sdc
execute_flow -compile
project_close
"""


def write_design_project(design, directory: str | os.PathLike, *, top: str | None = None,
                         part: str | None = None, clock_period: float | None = None) -> list[str]:
    """``Design.write``: the project of a compiled ``design``, its report included."""
    from .report import report_files

    top = top or verilog_identifier(Path(design.source).stem)
    report = report_files(design.hardware, design.network, title=Path(design.source).name,
                          clock_period=clock_period)
    return [str(p) for p in write_project(design.hardware, directory, top, part=part or DEFAULT_PART,
                                          clock_period=clock_period, report=report)]
