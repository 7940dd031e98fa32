"""Synthesis benchmark: our CMVM Verilog against da4ml's, both through the same Yosys run.

For each instance of the shared CMVM suite (by default the 16x16 ones) it prints our LUT
estimate (``-t stats``), the LUTs, INV cells and CARRY4s Yosys maps our combinational
Verilog to (``synth_xilinx -family xc7 -flatten``), how far the estimate is from Yosys,
and -- with da4ml installed (the ``bench`` extra) -- the same Yosys counts for the
combinational Verilog da4ml 0.6.0 emits for the same matrix and input formats (traced by
``bench/da4ml_trace.py``, whose tests check da4ml's netlist bit for bit).

    python bench/synth.py [--only NAME ...] [--all]
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
import time
from pathlib import Path

import numpy as np
from xdsl.context import Context
from xdsl.dialects import builtin, func
from xdsl.ir import Block, Region
from xdsl.transforms.common_subexpression_elimination import CommonSubexpressionElimination

sys.path.insert(0, str(Path(__file__).resolve().parent))
from cmvm import DEFAULT_SUITE, load_suite  # noqa: E402  (bench/cmvm.py, beside this file)

from fpga_opt.backends.stats import design_stats, yosys_available, yosys_synthesize  # noqa: E402
from fpga_opt.backends.verilog import emit_verilog  # noqa: E402
from fpga_opt.cmvm import optimize  # noqa: E402
from fpga_opt.dialects.fixedpoint import ops as fp  # noqa: E402
from fpga_opt.dialects.fixedpoint.types import FixedTensorType  # noqa: E402
from fpga_opt.interpreters.rtl import single_module  # noqa: E402
from fpga_opt.lowering.cmvm_to_rtl import CmvmToRtl  # noqa: E402
from fpga_opt.numerics import Format  # noqa: E402


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


def dense_network(W: np.ndarray, in_bits: int) -> builtin.ModuleOp:
    """``y = W x`` as a fixedpoint network over signed ``in_bits``-bit inputs."""
    block = Block(arg_types=[FixedTensorType((W.shape[1],), Format(1, in_bits - 1, 0))])
    weight = fp.ConstantOp(np.ascontiguousarray(W.T).astype(object), 0)
    dense = fp.DenseOp(block.args[0], weight.result)
    block.add_ops([weight, dense, func.ReturnOp(dense.result)])
    function = func.FuncOp("cmvm", ([block.args[0].type], [dense.result.type]), Region(block))
    return builtin.ModuleOp([function])


def theirs(W: np.ndarray, in_bits: int) -> dict:
    """da4ml's combinational Verilog for the same matrix (traced through bench/da4ml_trace,
    whose tests check its netlists bit for bit), synthesized like ours."""
    from da4ml_trace import trace

    traced = trace(dense_network(W, in_bits))
    return yosys_synthesize({"da4ml_top.v": traced.verilog("da4ml_top")}, "da4ml_top",
                            data_files=traced.memory_files())


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
            synth_theirs = theirs(W, in_bits)
            their_luts = synth_theirs["luts"] + synth_theirs["inv"]
            row += [f"{synth_theirs['luts']} + {synth_theirs['inv']}", str(synth_theirs["carry4"]),
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
