"""The Python API: compile a model file and use the result like hls4ml's compiled model.

    import fpga_opt
    design = fpga_opt.compile("qkeras_jettagging.onnx", input_precision="fixed<1,3,12>")
    open("jet.v", "w").write(design.verilog)
    design.stats                  # the `-t stats` report of the design
    y = design.predict(x)         # bit-exact, by the fixedpoint interpreter
    y = design.simulate(x)        # the emitted Verilog, run by Verilator

Both ``predict`` and ``simulate`` take the model's float inputs, batch first (one array, or
a list for several inputs), and return its outputs in its own real units: the importer
records how the host quantizes inputs and which float arithmetic after the last quantizer
stays off the hardware, and both are applied here exactly as the source model does.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from xdsl.context import Context
from xdsl.dialects import builtin

from .errors import CompileError
from .gc_paused import collector_paused
from .interpreters.fixedpoint import Fixed, find_function, run_function
from .registry import get_all_frontends
from .transforms.compile import Compile

Arrays = np.ndarray | Sequence[np.ndarray]


@dataclass
class Design:
    """A compiled model: its network (fixedpoint IR), its hardware (rtl IR) and Verilog."""

    source: str
    network: builtin.ModuleOp
    hardware: builtin.ModuleOp
    verilog: str
    stats: dict[str, Any]
    host: HostInterface = field(repr=False)
    """How float data becomes hardware values and back (``to_hardware``, ``to_model``)."""

    def hdl(self, language: str = "verilog") -> str:
        """The hardware as text: ``"verilog"``, ``"vhdl"`` (VHDL-2008) or ``"circt"``
        (CIRCT's hw/comb/seq IR)."""
        from .backends.circt import print_circt
        from .backends.vhdl import print_vhdl

        printers = {"verilog": lambda _: self.verilog, "vhdl": print_vhdl, "circt": print_circt}
        if language not in printers:
            raise CompileError(self.source, f"unknown HDL '{language}' (known: {', '.join(printers)})")
        return printers[language](self.hardware)

    def predict(self, x: Arrays) -> np.ndarray | list[np.ndarray]:
        """The model's outputs for float inputs, by the bit-exact fixedpoint interpreter."""
        outputs = run_function(self.network, self.host.to_hardware(x))
        return self.host.to_model(outputs)

    def simulate(self, x: Arrays) -> np.ndarray | list[np.ndarray]:
        """The model's outputs for float inputs, by running the Verilog in Verilator."""
        from .verification.verilator_sim import simulate_verilog
        from .interpreters.rtl import single_module

        module = single_module(self.hardware)
        scalars = [(column, a.f) for a in self.host.to_hardware(x)
                   for column in a.mantissas.reshape(a.mantissas.shape[0], -1).T]
        if len(scalars) != len(module.inputs):
            raise CompileError(self.source, f"the hardware has {len(module.inputs)} input "
                               f"ports, the inputs give {len(scalars)} values")
        # each input port holds its value at its own resolution
        columns = np.stack([_rescale(m, f, fmt.f) for (m, f), (_, _, fmt)
                            in zip(scalars, module.inputs)], axis=1)
        raw = simulate_verilog(module, columns)
        outputs, position = [], 0
        for shape in self.host.output_shapes:
            size = int(np.prod(shape))
            fmts = [fmt for _, _, fmt in module.outputs[position:position + size]]
            f = max((fmt.f for fmt in fmts), default=0)
            block = np.stack([_rescale(raw[:, position + j], fmt.f, f) for j, fmt in enumerate(fmts)], axis=1)
            outputs.append(Fixed(block.reshape((raw.shape[0],) + shape), f))
            position += size
        return self.host.to_model(outputs)

    def report(self, clock_period: float | None = None) -> str:
        """The readable report (Markdown): ports, latency, estimated Fmax, a per-layer
        table of adders, LUT/FF estimates, adder levels and widths, and the total."""
        from .backends.report import markdown_report

        return markdown_report(self.hardware, self.network, title=os.path.basename(self.source),
                               clock_period=clock_period)

    def write(self, directory: str | os.PathLike, *, top: str | None = None,
              part: str | None = None, clock_period: float | None = None) -> list[str]:
        """Write the hardware project (Verilog with the top module ``top``, default: named
        after the model file; wrapper, testbench, Makefile, Vivado and Quartus scripts
        for ``part`` at ``clock_period`` ns, the report with figures) into ``directory``;
        returns the paths written.  See backends/project.py."""
        from .backends.project import write_design_project

        return write_design_project(self, directory, top=top, part=part, clock_period=clock_period)

    def __repr__(self) -> str:
        from .backends.report import summary_line

        return f"<Design {os.path.basename(self.source)}: {summary_line(self.hardware)}>"


def _rescale(m: np.ndarray, f_from: int, f_to: int) -> np.ndarray:
    """Mantissas at resolution f_from re-expressed at f_to (exact: the caller knows)."""
    m = np.asarray(m).astype(object)
    return m * (1 << (f_to - f_from)) if f_to >= f_from else m // (1 << (f_from - f_to))


@dataclass
class HostInterface:
    """How float data meets the hardware: the importer's ``fpga.inputs`` / ``fpga.outputs``
    records (``importers.onnx.model_io``, one convention for every importer)."""

    network: builtin.ModuleOp
    output_shapes: list[tuple[int, ...]]

    def to_hardware(self, x: Arrays) -> list[Fixed]:
        from .importers.onnx.model_io import hardware_inputs

        return hardware_inputs(self.network, [x] if isinstance(x, np.ndarray) else list(x))

    def to_model(self, outputs: list[Fixed]) -> np.ndarray | list[np.ndarray]:
        from .importers.onnx.model_io import model_outputs

        values = model_outputs(self.network, outputs)
        return values[0] if len(values) == 1 else values


IMPORT_OPTIONS = ("input_precision", "default_precision", "softmax", "softmax_precision", "weights",
                  "softmax_table_size")


def compile(path: str | os.PathLike, *, cutoff: int = 0, objective: str = "adders",
            max_depth: int | None = None, jobs: int | None = None, clock_period: float = 0,
            arch: str = "generic", **import_options: Any) -> Design:
    """Compile an ``.onnx`` or ``.keras`` model file into a design.

    ``cutoff``: pipeline registers every ``cutoff`` adder levels (0: combinational);
    ``clock_period``: registers placed by the delay model for this period in ns (0: by
    ``cutoff`` only); ``objective``/``max_depth``: the CMVM optimizer's; ``jobs``: worker
    processes for its solves (default: the machine's cores; the design is the same for any
    number); ``arch`` ``xc7``/``xcu``: three-input adders, printed as Xilinx primitives
    (backends/xilinx_primitives.py); other keyword arguments go to the importer
    (``IMPORT_OPTIONS``); any other name is a TypeError.
    """
    from .backends.stats import design_stats
    from .backends.verilog import emit_verilog

    _check_import_options(import_options)
    path = os.fspath(path)
    extension = os.path.splitext(path)[1].lstrip(".")
    frontends = get_all_frontends()
    if extension not in frontends:
        raise CompileError(path, f"unknown model file type '.{extension}' (known: "
                                 f"{', '.join('.' + e for e in frontends)})")
    with open(path, "rb") as f:
        data = f.read()
    with collector_paused():
        network = frontends[extension](data, path, **import_options)
        network.verify()
        hardware = network.clone()
        Compile(cutoff=cutoff, objective=objective, max_depth=max_depth, jobs=jobs,
                clock_period=clock_period, ternary=arch != "generic").apply(Context(), hardware)
        hardware.verify()
        function = find_function(network)
        shapes = [tuple(t.shape) for t in function.function_type.outputs.data]
        stats = design_stats(hardware)
        return Design(path, network, hardware, emit_verilog(hardware, arch=arch),
                      next(iter(stats.values())) if len(stats) == 1 else stats,
                      HostInterface(network, shapes))


def _check_import_options(options: dict[str, Any]) -> None:
    """A misspelled keyword argument (``cutof=2``) is an error, not silently ignored."""
    import difflib

    for name in options:
        if name not in IMPORT_OPTIONS:
            known = ["cutoff", "objective", "max_depth", "clock_period", *IMPORT_OPTIONS]
            close = difflib.get_close_matches(name, known, n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else f" (known: {', '.join(known)})"
            raise TypeError(f"compile() got an unexpected keyword argument '{name}'{hint}")
