"""The readable report of a design: ``-t report``, ``design.report()`` and ``report.md`` in a
project.

A Markdown summary (ports, latency in cycles and ns, estimated Fmax from the delay model
of dialects/rtl/delay.py) and a per-layer table: adders, adder bits, LUT and FF estimates
(the model of dialects/rtl/area.py), adder levels and adder widths, with a total row.  The
LUTs of the layers add up to the design's total: every live operation belongs to exactly
one layer.  The FF column counts each layer's register bits; the total counts distinct
bits (synthesis merges registers holding the same bit), so it can be lower than the sum.

What a layer is, read from the rtl graph alone: a layer's arithmetic starts where it
combines results of nonlinear operations (comparison, multiplexer, table: activations,
saturation, pooling) and ends with the nonlinear operations on its sums; arithmetic on a
single activation (its rounding) stays in that activation's layer, and wiring is an
activation only when all its sources are.  Where an activation needs no nonlinear
operation (a ReLU on a value that is never negative, a quantizer that is only wiring)
the boundary cannot be seen and two weight layers share a row; when the network
(fixedpoint IR) is given and has as many weight layers as rows, the rows are named after
them (``dense 16x64``, the jet tagger's four), otherwise ``segment k``.  Figures (PNG, with matplotlib, the ``report`` extra):
LUTs per layer, weight bit-widths and CSD digits, adders per adder level.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import IO, ClassVar

import numpy as np
from xdsl.context import Context
from xdsl.dialects import builtin
from xdsl.ir import Operation, SSAValue
from xdsl.utils.target import Target

from ..dialects import rtl
from ..dialects.rtl import width_of
from ..dialects.rtl.area import estimated_luts
from ..dialects.rtl.delay import level_cost, slowest_stage_ns
from ..dialects.rtl.liveness import distinct_register_bits, live_bits
from ..errors import CompileError
from ..interpreters.rtl import single_module

_ARITHMETIC = (rtl.AddOp, rtl.SubOp)
_NONLINEAR = (rtl.ICmpOp, rtl.MuxOp, rtl.RomOp)


@dataclass
class LayerRow:
    name: str
    adders: int = 0
    adder_bits: int = 0
    luts: int = 0
    ffs: int = 0
    levels: int = 0
    widths: list[int] = field(default_factory=list)


@dataclass
class Timing:
    latency_cycles: int
    stage_ns: float
    """Estimated delay of the slowest register-to-register path."""
    clock_period: float | None

    @property
    def fmax_mhz(self) -> float:
        return 1000.0 / self.stage_ns

    @property
    def latency_ns(self) -> float:
        """The cycles at the target clock (or at Fmax when none), or the combinational path."""
        period = max(self.clock_period or 0, self.stage_ns)
        return self.latency_cycles * period if self.latency_cycles else self.stage_ns


def design_timing(module: rtl.ModuleOp, clock_period: float | None = None) -> Timing:
    return Timing(module.latency_cycles, slowest_stage_ns(module), clock_period)


def layer_rows(module: rtl.ModuleOp, network: builtin.ModuleOp | None = None) -> list[LayerRow]:
    """The per-layer figures of ``module`` (see the module docstring)."""
    masks = live_bits(module)
    layer: dict[SSAValue, int] = {arg: 1 for arg in module.block.args}
    # closed: the value is (wiring or rounding of) an activation, ``root`` that activation
    closed: dict[SSAValue, bool] = {arg: False for arg in module.block.args}
    root: dict[SSAValue, SSAValue | None] = {arg: None for arg in module.block.args}
    level: dict[SSAValue, int] = {arg: 0 for arg in module.block.args}
    rows: dict[int, LayerRow] = {}
    for op in module.block.ops:
        if isinstance(op, rtl.OutputOp) or not op.results:
            continue
        timed = [v for v in op.operands if v in layer]
        if not timed:
            continue  # static: computed from constants alone
        result = op.results[0]
        roots = {root[v] for v in timed}
        one_activation = roots.pop() if len(roots) == 1 and all(closed[v] for v in timed) else None
        index = max(layer[v] for v in timed)
        if isinstance(op, _ARITHMETIC) and one_activation is None:
            index = max(layer[v] + closed[v] for v in timed)
            closed[result], root[result] = False, None
        elif isinstance(op, _NONLINEAR):
            closed[result], root[result] = True, one_activation or result
        else:  # wiring: a partial sum's high bits joined to an activation's low bits is a sum
            closed[result] = all(closed[v] for v in timed)
            root[result] = one_activation
        start = max((level[v] for v in timed if layer[v] == index and not closed[v]), default=0)
        layer[result] = index
        level[result] = start + level_cost(op) if isinstance(op, _ARITHMETIC) else start
        live = masks.get(result, 0)
        if not live:
            continue
        row = rows.setdefault(index, LayerRow(f"segment {index}"))
        row.luts += estimated_luts(op, live)
        if isinstance(op, rtl.RegOp):
            row.ffs += live.bit_count()
        if isinstance(op, _ARITHMETIC):
            row.adders += 1
            row.adder_bits += live.bit_length()
            row.widths.append(live.bit_length())
            row.levels = max(row.levels, level[result])
    ordered = [rows[k] for k in sorted(rows)]
    names = _layer_names(network) if network is not None else []
    if len(names) == len(ordered):
        for row, name in zip(ordered, names):
            row.name = name
    return ordered


def _weight_ops(network: builtin.ModuleOp) -> list[Operation]:
    from ..dialects.fixedpoint.nn_ops import ConvOp
    from ..dialects.fixedpoint.ops import DenseOp

    return [op for op in network.walk() if isinstance(op, DenseOp | ConvOp)]


def _layer_names(network: builtin.ModuleOp) -> list[str]:
    names = []
    for op in _weight_ops(network):
        shape = "x".join(str(n) for n in op.weight.type.shape)
        names.append(f"{op.name.split('.')[-1]} {shape}")
    return names


def weight_integers(network: builtin.ModuleOp) -> np.ndarray:
    """Every non-zero weight of the network's dense and conv layers, as an integer."""
    from ..dialects.fixedpoint.ops import constant_values

    values = [constant_values(op.weight, "weight", op)[0].ravel() for op in _weight_ops(network)]
    flat = np.concatenate(values) if values else np.zeros(0, dtype=np.int64)
    return np.array([int(v) for v in flat if v != 0], dtype=object)


def markdown_report(hardware: builtin.ModuleOp | rtl.ModuleOp, network: builtin.ModuleOp | None = None,
                    *, title: str = "design", clock_period: float | None = None,
                    rows: list[LayerRow] | None = None) -> str:
    """The report as Markdown text (``rows``: the module's ``layer_rows``, when known)."""
    module = single_module(hardware)
    rows = layer_rows(module, network) if rows is None else rows
    timing = design_timing(module, clock_period)
    total = LayerRow("total", sum(r.adders for r in rows), sum(r.adder_bits for r in rows),
                     sum(r.luts for r in rows), distinct_register_bits(module),
                     max((r.levels for r in rows), default=0),
                     [w for r in rows for w in r.widths])
    in_bits = sum(width_of(a) for a in module.block.args)
    out_bits = sum(width_of(v) for v in module.output_op.outputs)
    target = f" (target {clock_period:g} ns)" if clock_period else ""
    lines = [
        f"# {title}",
        "",
        f"- ports: {len(module.block.args)} inputs ({in_bits} bits), "
        f"{len(module.output_op.outputs)} outputs ({out_bits} bits)",
        f"- latency: {timing.latency_cycles} cycle(s), about {timing.latency_ns:.2f} ns{target}",
        f"- slowest stage: about {timing.stage_ns:.2f} ns, estimated Fmax {timing.fmax_mhz:.0f} MHz",
        f"- resources (estimates, 7-series LUT6/CARRY4 model): {total.luts} LUTs, {total.ffs} FFs",
        "",
        "| layer | adders | adder bits | LUTs | FFs | adder levels | adder widths |",
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    for row in [*rows, total]:
        widths = f"{min(row.widths)}-{max(row.widths)}" if row.widths else "-"
        bold = "**" if row is total else ""
        lines.append(f"| {bold}{row.name}{bold} | {row.adders} | {row.adder_bits} | {row.luts} | "
                     f"{row.ffs} | {row.levels} | {widths} |")
    lines += [
        "",
        "LUTs and FFs are estimates from the IR (dialects/rtl/area.py); the total FFs count "
        "distinct register bits.  Delays are the estimate of dialects/rtl/delay.py; the "
        "project's Vivado script measures both.",
        "",
    ]
    return "\n".join(lines)


def report_figures(hardware: builtin.ModuleOp | rtl.ModuleOp,
                   network: builtin.ModuleOp | None = None,
                   rows: list[LayerRow] | None = None) -> dict[str, bytes]:
    """PNG figures by file name: ``luts_per_layer.png``, ``adder_levels.png`` and, given the
    network, ``weights.png``; empty when matplotlib is not installed.  ``rows``: the
    module's ``layer_rows``, when known."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return {}
    module = single_module(hardware)
    rows = layer_rows(module, network) if rows is None else rows
    figures: dict[str, bytes] = {}

    def save(name: str, figure) -> None:
        buffer = io.BytesIO()
        figure.tight_layout()
        figure.savefig(buffer, format="png", dpi=100)
        plt.close(figure)
        figures[name] = buffer.getvalue()

    figure, axes = plt.subplots(figsize=(6, 3.5))
    axes.bar([r.name for r in rows], [r.luts for r in rows])
    axes.set_ylabel("LUTs (estimate)")
    axes.set_title("LUTs per layer")
    axes.tick_params(axis="x", labelrotation=30)
    save("luts_per_layer.png", figure)

    profile = adders_per_level(module)
    figure, axes = plt.subplots(figsize=(6, 3.5))
    axes.bar(list(range(1, len(profile) + 1)), profile)
    axes.set_xlabel("adder level (from the inputs)")
    axes.set_ylabel("adders")
    axes.set_title("Adder-depth profile")
    save("adder_levels.png", figure)

    if network is not None and (weights := weight_integers(network)).size:
        from ..cmvm.csd import csd_count

        bits = [abs(int(w)).bit_length() + 1 for w in weights]
        digits = csd_count(np.array([int(w) for w in weights], dtype=object)).tolist()
        figure, (left, right) = plt.subplots(1, 2, figsize=(8, 3.5))
        left.hist(bits, bins=range(1, max(bits) + 2), align="left")
        left.set_xlabel("bits (signed)")
        left.set_title("Non-zero weight widths")
        right.hist(digits, bins=range(1, max(digits) + 2), align="left")
        right.set_xlabel("non-zero CSD digits")
        right.set_title("Adders a weight costs, before CSE")
        save("weights.png", figure)
    return figures


def adders_per_level(module: rtl.ModuleOp) -> list[int]:
    """How many live adders sit at each adder level from the inputs (registers pass
    through), index 0 = level 1."""
    masks = live_bits(module)
    level: dict[SSAValue, int] = {arg: 0 for arg in module.block.args}
    counts: dict[int, int] = {}
    for op in module.block.ops:
        timed = [v for v in op.operands if v in level]
        if isinstance(op, rtl.OutputOp) or not op.results or not timed:
            continue
        result = op.results[0]
        level[result] = max(level[v] for v in timed) + level_cost(op)
        if isinstance(op, _ARITHMETIC) and masks.get(result, 0):
            counts[level[result]] = counts.get(level[result], 0) + 1
    return [counts.get(k, 0) for k in range(1, max(counts, default=0) + 1)]


@dataclass(frozen=True)
class ReportTarget(Target):
    """``-t report``: the Markdown report of every rtl module."""

    name: ClassVar[str] = "report"

    def emit(self, ctx: Context, module: builtin.ModuleOp, output: IO[str]) -> None:
        modules = [m for m in module.ops if isinstance(m, rtl.ModuleOp)]
        if not modules:
            raise CompileError("report target", "the input holds no rtl.module "
                               "(lower to rtl first, e.g. with -p compile)")
        output.write("\n".join(markdown_report(m, title=m.sym_name.data) for m in modules))




def report_files(hardware: builtin.ModuleOp | rtl.ModuleOp, network: builtin.ModuleOp | None = None,
                 *, title: str = "design", clock_period: float | None = None) -> dict[str, str | bytes]:
    """``report.md`` and the figures (when matplotlib is installed), by file name; the
    Markdown links the figures."""
    rows = layer_rows(single_module(hardware), network)  # once, for the text and the figures
    figures = report_figures(hardware, network, rows)
    text = markdown_report(hardware, network, title=title, clock_period=clock_period, rows=rows)
    text += "".join(f"![{name[:-4]}]({name})\n" for name in figures)
    return {"report.md": text, **figures}


def summary_line(hardware: builtin.ModuleOp | rtl.ModuleOp) -> str:
    """One line: ports, adders, LUT and FF estimates, latency and estimated Fmax."""
    from .stats import module_stats

    module = single_module(hardware)
    stats = module_stats(module)
    timing = design_timing(module)
    return (f"{stats['inputs']} inputs -> {stats['outputs']} outputs, {stats['adders']} adders, "
            f"~{stats['luts']} LUTs, {stats['ffs']} FFs, latency {timing.latency_cycles} cycles, "
            f"~{timing.fmax_mhz:.0f} MHz")
