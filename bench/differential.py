"""Differential testing at scale: N random quantized MLPs, 10^5 random input vectors each,
through every interpreter, pass, pipeline cutoff and Verilator; prints a table.

    /work/venv/bin/python bench/differential.py [--models 20] [--vectors 100000] [--seed 0]
                                                [--no-verilator] [--max-width 16]

Each model is drawn by ``fpga_opt.testing.networks`` (random shapes, weight bit-widths,
sparsity, biases, activations, rounding and overflow modes, per-element formats, leading
axes) and checked by ``fpga_opt.testing.differential.run_differential``: the fixedpoint
interpreter is the reference; cmvm (before and after cmvm-optimize), rtl (combinational
and rtl-pipeline at cutoffs 1, 2, 3) and Verilator (combinational and cutoff 2) must give
the same bits for every vector.  Exit status 1 when any stage mismatches.
"""

from __future__ import annotations

import argparse
import sys
import time

import numpy as np
from xdsl.context import Context

from fpga_opt.verification.verilator_sim import verilator_available
from fpga_opt.testing.differential import run_differential
from fpga_opt.testing.networks import NetworkSpec, random_cnn, random_inputs, random_mlp
from fpga_opt.transforms.fixedpoint_infer_precision import FixedPointInferPrecision


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", type=int, default=20)
    parser.add_argument("--vectors", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--max-width", type=int, default=16)
    parser.add_argument("--max-layers", type=int, default=4)
    parser.add_argument("--cnns", type=int, default=0, help="also this many small CNNs")
    parser.add_argument("--no-verilator", action="store_true")
    args = parser.parse_args()
    verilator = () if args.no_verilator or not verilator_available() else (0, 2)
    header = f"{'model':>5}  {'shape':<28} {'wbits':>5} {'sparse':>6} {'het':>3}  {'vectors':>8}  {'stages':>6}  {'mismatches':>10}  {'latency c1/c2/c3':>16}  {'time':>6}"
    print(header)
    print("-" * len(header))
    total_vectors = total_mismatches = 0
    start = time.monotonic()
    for index in range(args.models + args.cnns):
        rng = np.random.default_rng([args.seed, index])
        spec = NetworkSpec.random(rng, max_width=args.max_width, max_layers=args.max_layers)
        module = random_mlp(rng, spec) if index < args.models else random_cnn(rng)
        FixedPointInferPrecision().apply(Context(), module)
        x = random_inputs(rng, module, args.vectors)
        t = time.monotonic()
        results = run_differential(module, x, cutoffs=(1, 2, 3), verilator=verilator)
        mismatches = sum(r.mismatches for r in results)
        latency = "/".join(str(r.latency) for r in results if r.stage.startswith("rtl-cutoff"))
        shape = ("x".join(map(str, spec.widths)) + (f" @{spec.positions}" if spec.positions > 1 else ""))
        if index >= args.models:
            shape = "cnn " + "x".join(map(str, next(iter(module.ops)).args[0].type.shape))
        mlp = index < args.models
        wbits, sparse, het = ((spec.weight_bits, f"{spec.sparsity:.1f}", "y" if spec.heterogeneous else "n")
                              if mlp else ("-", "-", "-"))
        print(f"{index:>5}  {shape:<28} {wbits:>5} {sparse:>6} {het:>3}  "
              f"{args.vectors:>8}  {len(results):>6}  {mismatches:>10}  {latency:>16}  {time.monotonic() - t:>5.1f}s",
              flush=True)
        for r in results:
            if r.mismatches:
                print(f"       stage {r.stage}: {r.mismatches} mismatching vectors", flush=True)
        total_vectors += args.vectors * len(results)
        total_mismatches += mismatches
    stages = "cmvm, cmvm-optimized, rtl, rtl-cutoff1/2/3" + (", verilator, verilator-cutoff2" if verilator else "")
    print(f"\n{args.models} MLPs + {args.cnns} CNNs x {args.vectors} vectors x stages ({stages}): "
          f"{total_vectors} stage-vector comparisons, {total_mismatches} mismatches, "
          f"{time.monotonic() - start:.0f} s")
    return 1 if total_mismatches else 0


if __name__ == "__main__":
    sys.exit(main())
