"""Synthesis benchmark: our CMVM Verilog against da4ml's and alkaid's, all through the
same Yosys run.

For each instance of the shared CMVM suite (by default the 16x16 ones) it prints our LUT
estimate (``-t stats``), the LUTs, INV cells and CARRY4s Yosys maps our combinational
Verilog to (``synth_xilinx -family xc7 -flatten``), how far the estimate is from Yosys,
and -- with da4ml installed (the ``bench`` extra) -- the same Yosys counts for the
combinational Verilog da4ml 0.6.0 emits for the same matrix and input formats (traced by
``bench/da4ml_trace.py``, whose tests check da4ml's netlist bit for bit).  ``--arch xc7``
builds ours with three-input adders printed as LUT6_2 + CARRY4 primitives; ``--alkaid``
adds alkaid 0.8.2 (its tracer and CMVM solver, its ternary-adder fusion and its Verilog,
checked against W x on random inputs by its own interpreter), with its own LUT estimate.

    python bench/synth.py [--only NAME ...] [--all] [--arch xc7] [--alkaid]
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
from fpga_opt.dialects.fixedpoint import ops as fp  # noqa: E402
from fpga_opt.dialects.fixedpoint.types import FixedTensorType  # noqa: E402
from fpga_opt.interpreters.rtl import single_module  # noqa: E402
from fpga_opt.lowering.cmvm_to_rtl import CmvmToRtl  # noqa: E402
from fpga_opt.lowering.optimizer_ir import optimize  # noqa: E402
from fpga_opt.numerics import Format  # noqa: E402
from fpga_opt.transforms.cmvm_fuse_ternary import CmvmFuseTernary  # noqa: E402


def ours(W: np.ndarray, in_bits: int, arch: str = "generic") -> tuple[dict, dict, float]:
    start = time.perf_counter()
    result = optimize(W, [(1, in_bits - 1, 0)] * W.shape[1])
    module = result.module
    if arch != "generic":
        CmvmFuseTernary().apply(Context(), module)
    CmvmToRtl().apply(Context(), module)
    CommonSubexpressionElimination().apply(Context(), module)
    seconds = time.perf_counter() - start
    hardware = single_module(module)
    (estimate,) = design_stats(module).values()
    verilog = emit_verilog(hardware, arch=arch)
    return estimate, yosys_synthesize({"ours.v": verilog}, hardware.sym_name.data), seconds


def alkaid(W: np.ndarray, in_bits: int) -> tuple[float, dict]:
    """alkaid 0.8.2 on ``y = W x`` (signed ``in_bits``-bit inputs) as its RTL flow builds it:
    trace, CMVM solve, ternary fusion, its cost estimate and its combinational Verilog
    (with the helper modules it instantiates), synthesized like ours."""
    from alkaid.codegen.rtl.verilog import comb_logic_gen
    from alkaid.trace import FVArrayInput, trace
    from alkaid.trace.passes import fuse_ternary_adders
    from alkaid.trace.passes.surrogate import add_surrogate
    from alkaid.trace.passes import dead_code_elimin

    x = FVArrayInput(W.shape[1]).quantize(1, in_bits - 1, 0)
    logic = trace(x, x @ np.ascontiguousarray(W.T).astype(np.float32))
    comb = add_surrogate(dead_code_elimin(fuse_ternary_adders(logic)), _skip_op8_cost=True)
    rng = np.random.default_rng(0)
    probe = rng.integers(-(1 << (in_bits - 1)), 1 << (in_bits - 1), size=(200, W.shape[1]))
    if not np.array_equal(np.asarray(comb.predict(probe.astype(np.float64))), probe @ W.T):
        raise RuntimeError("alkaid's logic does not compute W x")
    body = comb_logic_gen(comb, "alkaid_top")
    helpers = Path(comb_logic_gen.__code__.co_filename).parent / "source"
    sources = {"alkaid_top.v": body}
    sources |= {p.name: p.read_text() for p in sorted(helpers.glob("*.v")) if f"{p.stem} #(" in body}
    return comb.cost, yosys_synthesize(sources, "alkaid_top")


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
    parser.add_argument("--arch", choices=["generic", "xc7"], default="generic",
                        help="our Verilog flavour (xc7: three-input adders as LUT6_2 + CARRY4)")
    parser.add_argument("--alkaid", action="store_true", help="add alkaid 0.8.2's Verilog")
    args = parser.parse_args()
    if not yosys_available():
        sys.exit("yosys is not on PATH (apt-get install yosys)")
    suite = load_suite(Path(args.suite) if args.suite else DEFAULT_SUITE)
    names = args.only or [n for n in suite if args.all or "16x16" in n]
    anchor = importlib.util.find_spec("da4ml") is not None
    with_alkaid = args.alkaid and importlib.util.find_spec("alkaid") is not None
    head = ["instance", "our LUT estimate", "our Yosys LUTs + INV", "estimate / Yosys", "our CARRY4",
            "da4ml Yosys LUTs + INV", "da4ml CARRY4", "LUTs ours / da4ml"]
    if with_alkaid:
        head += ["alkaid estimate", "alkaid Yosys LUTs + INV", "LUTs ours / best anchor"]
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    totals = np.zeros(5)
    for name in names:
        W, in_bits = suite[name]
        estimate, synth, _ = ours(W, in_bits, args.arch)
        ours_luts = synth["luts"] + synth["inv"]
        row = [name, str(estimate["luts"]), f"{synth['luts']} + {synth['inv']}",
               f"{estimate['luts'] / ours_luts:.3f}", str(synth["carry4"])]
        their_luts = None
        if anchor:
            synth_theirs = theirs(W, in_bits)
            their_luts = synth_theirs["luts"] + synth_theirs["inv"]
            row += [f"{synth_theirs['luts']} + {synth_theirs['inv']}", str(synth_theirs["carry4"]),
                    f"{ours_luts / their_luts:.3f}"]
            totals[:4] += [estimate["luts"], ours_luts, their_luts, 1]
        else:
            row += ["n/a", "n/a", "n/a"]
        if with_alkaid:
            cost, synth_alkaid = alkaid(W, in_bits)
            alkaid_luts = synth_alkaid["luts"] + synth_alkaid["inv"]
            best = min(v for v in (their_luts, alkaid_luts) if v is not None)
            totals[4] += best
            row += [f"{cost:.0f}", f"{synth_alkaid['luts']} + {synth_alkaid['inv']}", f"{ours_luts / best:.3f}"]
        print("| " + " | ".join(row) + " |", flush=True)
    if anchor and totals[3]:
        total = (f"| **total** | {totals[0]:.0f} | {totals[1]:.0f} | {totals[0] / totals[1]:.3f} | "
                 f"| {totals[2]:.0f} | | {totals[1] / totals[2]:.3f} |")
        if with_alkaid:
            total += f" | | {totals[4]:.0f} (best) | {totals[1] / totals[4]:.3f} |"
        print(total)


if __name__ == "__main__":
    main()
