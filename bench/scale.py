"""Compile time and peak memory on big models: a generated dense layer and the shared models.

    python bench/scale.py [--dense N M B] [--only NAME] [--no-anchors] [-j JOBS] [--markdown FILE]
    python bench/scale.py --emit-dense 1000 1000 8 --out dense.mlir   # the IR only
    python bench/scale.py --only 'dense 1000x1000 8-bit:' -j 2          # the solves only

The generated layer is ``y = W x`` with W an N_OUT x N_IN matrix of random signed B-bit
integers (numpy seed 0) and x signed 8-bit integers, written as fixedpoint IR (``mlp``);
a kwsmlp-like MLP (the QONNX zoo's keyword-spotting widths, 3-bit weights and
activations, random weights) is generated the same way.
Every row of the table is compiled in a fresh child process (``measure``) so that its
peak resident memory is its own (``ru_maxrss`` of the child); the dense matrix is also
given to our ``cmvm.parallel.solve_many`` alone (the solve without the IR stages) and to
da4ml 0.6.0's and alkaid 0.8.2's ``cmvm_solve`` (the ``bench`` extra) when they are
installed, as in ``bench/cmvm.py``.  Every child's address space is capped
(``--memory-limit``, default 8 GiB): a case that needs more ends in a MemoryError
instead of the machine's out-of-memory killer.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
from xdsl.builder import Builder, InsertPoint
from xdsl.dialects import builtin, func
from xdsl.ir import Block, Region

sys.path.insert(0, str(Path(__file__).resolve().parent))  # bench/cmvm.py's anchor adapters

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared" / "models"
FLOAT_PRECISION = "fixed<16,6>"
INPUT_FORMAT = (1, 7, 0)  # signed 8-bit integers


def dense_matrix(n_in: int, n_out: int, bits: int, seed: int = 0) -> np.ndarray:
    """The n_out x n_in matrix of random signed ``bits``-bit integers (the layer's W^T)."""
    rng = np.random.default_rng(seed)
    low = -(1 << (bits - 1))
    return rng.integers(low, -low, (n_out, n_in), dtype=np.int64)


def mlp(widths: tuple[int, ...], weight_bits: int, activation_bits: int = 0, seed: int = 0) -> builtin.ModuleOp:
    """``func.func @mlp``: dense layers of random signed ``weight_bits``-bit integer weights
    (layer k seeded ``seed + k``) on an int8 input vector; between them relu and a
    quantizer to ``activation_bits`` unsigned bits (TRN, SAT).  ``mlp((1000, 1000), 8)``
    is the single 1000x1000 8-bit dense layer."""
    from fpga_opt.dialects.fixedpoint import ops as fp
    from fpga_opt.dialects.fixedpoint.types import FixedTensorType
    from fpga_opt.numerics import Format, Overflow, Rounding

    block = Block(arg_types=[FixedTensorType((widths[0],), [Format(*INPUT_FORMAT)] * widths[0])])
    block.args[0].name_hint = "x"
    b = Builder(InsertPoint.at_end(block))
    x = block.args[0]
    for k, (n_in, n_out) in enumerate(zip(widths, widths[1:])):
        weight = b.insert(fp.ConstantOp(dense_matrix(n_in, n_out, weight_bits, seed + k).T, 0)).result
        x = b.insert(fp.DenseOp(x, weight)).result
        if k + 2 < len(widths):
            x = b.insert(fp.ReluOp(x)).result
            x = b.insert(fp.QuantizeOp(x, [Format(0, activation_bits, 0)] * n_out, Rounding.TRN, Overflow.SAT)).result
    b.insert(func.ReturnOp(x))
    return builtin.ModuleOp([func.FuncOp("mlp", ([block.args[0].type], [x.type]), Region(block))])


KWS_MLP = (490, 256, 256, 256, 12)
"""The layer widths of the QONNX zoo's keyword-spotting MLP (kwsmlp_w3a3)."""


# ----------------------------------------------------------------------------- one row


def _usage() -> tuple[float, float]:
    """(CPU seconds, peak RSS in MiB) of this process and its finished workers (the peak
    of the largest one)."""
    own, workers = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = own.ru_utime + own.ru_stime + workers.ru_utime + workers.ru_stime
    return cpu, max(own.ru_maxrss, workers.ru_maxrss) / 1024


def run_case(kind: str, arg: str, jobs: int | None) -> dict:
    """Compile one case in this process; its seconds, peak RSS and figures."""
    start = time.perf_counter()
    if kind in ("dense", "mlp"):
        from xdsl.context import Context

        from fpga_opt.backends.stats import design_stats
        from fpga_opt.transforms.compile import Compile

        if kind == "dense":
            module = mlp(tuple(int(v) for v in arg.split("x")[:2]), int(arg.split("x")[2]))
        else:
            module = mlp(KWS_MLP, 3, 3)
        Compile(jobs=jobs).apply(Context(), module)
        stats = next(iter(design_stats(module).values()))
    elif kind in ("da4ml", "alkaid"):
        n_in, n_out, bits = (int(v) for v in arg.split("x"))
        stats = _anchor(kind, dense_matrix(n_in, n_out, bits))
    elif kind == "solve":
        stats = _own_solve(dense_matrix(*(int(v) for v in arg.split("x"))), jobs)
    else:
        import fpga_opt

        options = json.loads(kind)
        stats = fpga_opt.compile(arg, jobs=jobs, **options).stats
    seconds = time.perf_counter() - start
    cpu, peak = _usage()
    return {"seconds": round(seconds, 1), "cpu_seconds": round(cpu, 1),
            "peak_rss_mib": round(peak), "adders": stats.get("adders"), "depth": stats.get("depth"),
            "luts": stats.get("luts")}


def _anchor(name: str, w: np.ndarray) -> dict:
    """An anchor's ``cmvm_solve`` on W with int8 inputs, through bench/cmvm.py's adapters
    (its graph checked by ``check_computes``, its adders counted as ours)."""
    from cmvm import run_alkaid, run_da4ml

    from fpga_opt.cmvm.graph import depth
    from fpga_opt.numerics import Format

    graph = (run_da4ml if name == "da4ml" else run_alkaid)(w, [Format(*INPUT_FORMAT)] * w.shape[1])
    check_computes(graph, w, name)
    return {"adders": len(graph.nodes), "depth": depth(graph)}


def _own_solve(w: np.ndarray, jobs: int | None) -> dict:
    """Our solver alone on W with int8 inputs (blocks shared out among ``jobs`` workers),
    its graph checked by ``check_computes``."""
    from fpga_opt.cmvm.graph import depth
    from fpga_opt.cmvm.parallel import solve_many
    from fpga_opt.numerics import Format

    graph = solve_many([(w, [Format(*INPUT_FORMAT).interval()] * w.shape[1])], jobs)[0]
    check_computes(graph, w, "cmvm.solve")
    return {"adders": len(graph.nodes), "depth": depth(graph)}


def check_computes(graph, w: np.ndarray, name: str) -> None:
    """Exit unless the graph computes W on random int8 inputs and the extremes
    (``graph.realized_matrix`` would build a dense linear form of every value: 10^9
    integers for the 1000x1000 layer's graph)."""
    from fpga_opt.cmvm.graph import evaluate

    x = np.random.default_rng(1).integers(-128, 128, (8, w.shape[1]))
    x[0], x[1] = -128, 127
    if not np.array_equal(evaluate(graph, x), x @ w.T):
        raise SystemExit(f"{name} computed a different matrix")


def measure(kind: str, arg: str, jobs: int | None, timeout: float, memory_limit: int | None = None) -> dict:
    """``run_case`` in a fresh interpreter (its own peak RSS, its address space capped at
    ``memory_limit`` bytes); errors and timeouts as text."""
    command = [sys.executable, __file__, "--case", kind, arg] + ([] if jobs is None else ["-j", str(jobs)])

    def cap():
        if memory_limit:
            resource.setrlimit(resource.RLIMIT_AS, (memory_limit, memory_limit))

    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, preexec_fn=cap)
    except subprocess.TimeoutExpired:
        return {"error": f"> {timeout:.0f} s"}
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["exit %d" % done.returncode])[-1]
        return {"error": last[:120]}
    return json.loads(done.stdout.strip().splitlines()[-1])


def _anchor_installed(name: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(name) is not None


def rows(dense: tuple[int, int, int], only: str | None, anchors: bool) -> list[tuple[str, str, str]]:
    """(label, kind, argument) of every row."""
    size = "x".join(str(v) for v in dense)
    label = f"dense {dense[0]}x{dense[1]} {dense[2]}-bit"
    out = [(label, "dense", size), (f"{label}: cmvm solve", "solve", size)]
    if anchors:
        out += [(f"{label}: {name} cmvm_solve", name, size) for name in ("da4ml", "alkaid") if _anchor_installed(name)]
    out.append(("kwsmlp-like MLP 490-256-256-256-12 w3a3 (generated)", "mlp", "kws"))
    models = [("TFC_2W2A", "TFC_2W2A.onnx", {}),
              ("conv2d_small_mp", "conv2d_small_mp_keras.onnx", {"default_precision": FLOAT_PRECISION}),
              ("hgq2_jsc_plf_32-16 (alkaid convert: docs/profile.md)", "wild/hgq2_jsc_plf_32-16.keras", {})]
    for name, file, options in models:
        if (SHARED / file).exists():
            out.append((name, json.dumps(options), str(SHARED / file)))
    return [r for r in out if only is None or only in r[0]]


def markdown(results: list[tuple[str, dict]]) -> str:
    lines = ["| case | seconds (wall) | CPU seconds | peak RSS (MiB) | adders | depth | LUTs (estimate) |",
             "|---|---:|---:|---:|---:|---:|---:|"]
    for label, r in results:
        if "error" in r:
            lines.append(f"| {label} | {r['error']} | | | | | |")
        else:
            lines.append(f"| {label} | {r['seconds']} | {r['cpu_seconds']} | {r['peak_rss_mib']} "
                         f"| {r.get('adders', '')} | {r.get('depth') or ''} | {r.get('luts') or ''} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dense", nargs=3, type=int, default=(1000, 1000, 8), metavar=("N_IN", "N_OUT", "BITS"))
    parser.add_argument("--emit-dense", nargs=3, type=int, metavar=("N_IN", "N_OUT", "BITS"))
    parser.add_argument("--out", help="with --emit-dense: the IR file (default: standard output)")
    parser.add_argument("--only", help="rows whose label contains this")
    parser.add_argument("--no-anchors", action="store_true")
    parser.add_argument("-j", "--jobs", type=int)
    parser.add_argument("--timeout", type=float, default=1800)
    parser.add_argument("--memory-limit", type=float, default=8.0, help="GiB of address space per case (0: none)")
    parser.add_argument("--markdown", help="also write the table to this file")
    parser.add_argument("--case", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.case:
        print(json.dumps(run_case(args.case[0], args.case[1], args.jobs)))
        return
    if args.emit_dense:
        n_in, n_out, bits = args.emit_dense
        text = str(mlp((n_in, n_out), bits))
        if args.out:
            Path(args.out).write_text(text + "\n")
        else:
            print(text)
        return
    results = []
    load = [os.getloadavg()[0]]
    for label, kind, arg in rows(tuple(args.dense), args.only, not args.no_anchors):
        results.append((label, measure(kind, arg, args.jobs, args.timeout, int(args.memory_limit * (1 << 30)))))
        load.append(os.getloadavg()[0])
        print(label, results[-1][1], flush=True)
    table = markdown(results) + f"\n\nLoad average (1 min) before and after each row: {', '.join(f'{v:.1f}' for v in load)}"
    print(table)
    if args.markdown:
        Path(args.markdown).write_text(table + "\n")


if __name__ == "__main__":
    main()
