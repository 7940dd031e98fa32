"""Synthesis benchmark: our CMVM Verilog against da4ml's, both through the same Yosys run.

For each instance of the shared CMVM suite (by default the 16x16 ones) it prints our LUT
estimate (``-t stats``), the LUTs, INV cells and CARRY4s Yosys maps our combinational
Verilog to (``synth_xilinx -family xc7 -flatten``), how far the estimate is from Yosys,
and -- with da4ml installed (the ``bench`` extra) -- the same Yosys counts for the
combinational Verilog da4ml 0.6.0 emits for the same matrix and input formats.

    python bench/synth.py [--only NAME ...] [--all]
"""

from __future__ import annotations

import argparse
import importlib.util
import re
import sys
import time
from pathlib import Path

import numpy as np
from xdsl.context import Context
from xdsl.transforms.common_subexpression_elimination import CommonSubexpressionElimination

sys.path.insert(0, str(Path(__file__).resolve().parent))
from cmvm import DEFAULT_SUITE, load_suite  # noqa: E402  (bench/cmvm.py, beside this file)

from fpga_opt.backends.stats import design_stats, yosys_available, yosys_synthesize  # noqa: E402
from fpga_opt.backends.verilog import emit_verilog  # noqa: E402
from fpga_opt.cmvm import optimize  # noqa: E402
from fpga_opt.interpreters.rtl import single_module  # noqa: E402
from fpga_opt.lowering.cmvm_to_rtl import CmvmToRtl  # noqa: E402


def ours(W: np.ndarray, in_bits: int) -> tuple[dict, dict, float]:
    start = time.perf_counter()
    result = optimize(W, [(1, in_bits - 1, 0)] * W.shape[1])
    module = result.module
    CmvmToRtl().apply(Context(), module)
    CommonSubexpressionElimination().apply(Context(), module)
    seconds = time.perf_counter() - start
    hardware = single_module(module)
    (estimate,) = design_stats(module).values()
    verilog = emit_verilog(hardware)
    return estimate, yosys_synthesize({"ours.v": verilog}, hardware.sym_name.data), seconds


def da4ml_verilog(W: np.ndarray, in_bits: int) -> tuple[dict[str, str], str, float]:
    """da4ml's combinational stages as Verilog, chained by a top module."""
    import da4ml
    from da4ml.cmvm import solve
    from da4ml.codegen.rtl.verilog.comb import comb_logic_gen

    step = 1.0
    low, high = -(2.0 ** (in_bits - 1)), 2.0 ** (in_bits - 1) - 1
    start = time.perf_counter()
    pipeline = solve(np.ascontiguousarray(W.T.astype(np.float32)),
                     qintervals=[(low, high, step)] * W.shape[1])
    seconds = time.perf_counter() - start
    sources = {}
    library = Path(da4ml.__file__).parent / "codegen" / "rtl" / "verilog" / "source"
    for path in sorted(library.glob("*.v")):
        if path.name != "lookup_table.v":  # reads a table file; a CMVM has no tables
            sources[path.name] = path.read_text()
    wires, body = [], []
    previous = "model_inp"
    for index, stage in enumerate(pipeline.solutions):
        name = f"stage{index}"
        sources[f"{name}.v"] = comb_logic_gen(stage, name)
        width = _port_width(sources[f"{name}.v"], "model_out")
        out = "model_out" if index == len(pipeline.solutions) - 1 else f"s{index}"
        if out != "model_out":
            wires.append(f"wire [{width - 1}:0] {out};")
        body.append(f"{name} u{index} ({previous}, {out});")
        previous = out
    in_width = _port_width(sources["stage0.v"], "model_inp")
    out_width = _port_width(sources[f"stage{len(pipeline.solutions) - 1}.v"], "model_out")
    sources["top.v"] = "\n".join(
        [f"module top (input [{in_width - 1}:0] model_inp, output [{out_width - 1}:0] model_out);"]
        + wires + body + ["endmodule"]
    )
    return sources, "top", seconds


def _port_width(verilog: str, port: str) -> int:
    match = re.search(rf"(?:input|output) \[(\d+):0\] {port}", verilog)
    assert match, f"no port {port} in da4ml's Verilog"
    return int(match.group(1)) + 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="*", help="instance names")
    parser.add_argument("--all", action="store_true", help="every suite instance, not only 16x16")
    parser.add_argument("--suite", help="path of cmvm_suite.py")
    args = parser.parse_args()
    if not yosys_available():
        sys.exit("yosys is not on PATH (apt-get install yosys)")
    suite = load_suite(Path(args.suite) if args.suite else DEFAULT_SUITE)
    names = args.only or [n for n in suite if args.all or "16x16" in n]
    anchor = importlib.util.find_spec("da4ml") is not None
    print("| instance | our LUT estimate | our Yosys LUTs + INV | estimate / Yosys | our CARRY4 "
          "| da4ml Yosys LUTs + INV | da4ml CARRY4 | LUTs ours / da4ml |")
    print("|---|---|---|---|---|---|---|---|")
    totals = np.zeros(4)
    for name in names:
        W, in_bits = suite[name]
        estimate, synth, _ = ours(W, in_bits)
        ours_luts = synth["luts"] + synth["inv"]
        row = [name, str(estimate["luts"]), f"{synth['luts']} + {synth['inv']}",
               f"{estimate['luts'] / ours_luts:.3f}", str(synth["carry4"])]
        if anchor:
            sources, top, _ = da4ml_verilog(W, in_bits)
            theirs = yosys_synthesize(sources, top)
            their_luts = theirs["luts"] + theirs["inv"]
            row += [f"{theirs['luts']} + {theirs['inv']}", str(theirs["carry4"]),
                    f"{ours_luts / their_luts:.3f}"]
            totals += [estimate["luts"], ours_luts, their_luts, 1]
        else:
            row += ["n/a", "n/a", "n/a"]
        print("| " + " | ".join(row) + " |", flush=True)
    if anchor and totals[3]:
        print(f"| **total** | {totals[0]:.0f} | {totals[1]:.0f} | {totals[0] / totals[1]:.3f} | "
              f"| {totals[2]:.0f} | | {totals[1] / totals[2]:.3f} |")


if __name__ == "__main__":
    main()
