"""Benchmark the CMVM optimizer against da4ml and alkaid on the public suite.

    /work/venv/bin/python bench/cmvm.py [--only NAME] [--no-anchors] [--objective adders]

Every instance of ``shared/bench/cmvm_suite.py`` (found next to the repository, or
``--suite PATH``) is solved by ``fpga_opt.cmvm.solve`` and, when they are installed (the
``bench`` extra), by da4ml 0.6.0 and alkaid 0.8.2.  The anchors' results are converted
into our ``AdderGraph`` and every graph is checked to compute exactly W @ x, then measured
by the same function (``cmvm.graph.stats``): adders, adder bits (sum of the widths of the
exact output ranges of all adders) and depth (adder levels), so the columns compare.
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
import time
from pathlib import Path

import numpy as np

from fpga_opt.cmvm import solve, stats
from fpga_opt.cmvm.graph import ZERO_OUTPUT, AdderGraph, AdderNode, OutputTerm, realized_matrix
from fpga_opt.numerics import Format

REPO = Path(__file__).resolve().parents[1]
DEFAULT_SUITE = REPO.parent / "shared" / "bench" / "cmvm_suite.py"

Ref = tuple[int, int, int] | None  # (value, shift, sign) in the graph being assembled


def load_suite(path: Path) -> dict[str, tuple[np.ndarray, int]]:
    spec = importlib.util.spec_from_file_location("cmvm_suite", path)
    if spec is None or spec.loader is None:
        sys.exit(f"bench/cmvm.py: cannot load the suite {path}")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod.suite()


# --------------------------------------------------------------------------- anchors


class _Assembler:
    """Rebuilds a cascade of da4ml / alkaid combinational stages as one AdderGraph."""

    def __init__(self, n_inputs: int):
        self.graph = AdderGraph(n_inputs, [], [])

    def add(self, r0: Ref, r1: Ref, shift: int, subtract: bool) -> Ref:
        if r1 is None:
            return r0
        v1, s1, g1 = r1
        g1 = -g1 if subtract else g1
        if r0 is None:
            return (v1, s1 + shift, g1)
        v0, s0, g0 = r0
        self.graph.nodes.append(AdderNode(v0, v1, s1 + shift - s0, g0 * g1 < 0))
        return (self.graph.n_inputs + len(self.graph.nodes) - 1, s0, g0)

    def stage(self, logic, inputs: list[Ref], operands) -> list[Ref]:
        buf: list[Ref] = []
        for op in logic.ops:
            kind, args = operands(op)
            if kind == "input":
                ref = inputs[args]
                s = int(logic.inp_shifts[args])
                buf.append(None if ref is None else (ref[0], ref[1] + s, ref[2]))
            elif kind == "add":
                a, b, shift, subtract = args
                buf.append(self.add(buf[a], buf[b], shift, subtract))
            elif kind == "sum":
                acc: Ref = None
                for addr, plus, shift in args:
                    acc = self.add(acc, buf[addr], shift, not plus)
                buf.append(acc)
            else:
                raise ValueError(f"unsupported anchor opcode {op.opcode}")
        outs: list[Ref] = []
        for idx, s, neg in zip(logic.out_idxs, logic.out_shifts, logic.out_negs):
            ref = buf[idx] if idx >= 0 else None
            outs.append(None if ref is None else (ref[0], ref[1] + int(s), -ref[2] if neg else ref[2]))
        return outs

    def finish(self, outs: list[Ref]) -> AdderGraph:
        self.graph.outputs = [ZERO_OUTPUT if r is None else OutputTerm(r[0], r[1], r[2] < 0) for r in outs]
        return self.graph


def _da4ml_operands(op):
    if op.opcode == -1:
        return "input", op.id0
    if op.opcode in (0, 1):
        return "add", (op.id0, op.id1, op.data, op.opcode == 1)
    return "other", None


def _alkaid_operands(op):
    if op.opcode == -1:
        return "input", op.data[0]
    if op.opcode in (0, 1):
        return "add", (op.addr[0], op.addr[1], op.data[0], op.opcode == 1)
    if op.opcode == 11:
        return "sum", [(a, bool(op.data[2 * i]), op.data[2 * i + 1]) for i, a in enumerate(op.addr)]
    return "other", None


def _assemble(stages, n_in: int, operands) -> AdderGraph:
    asm = _Assembler(n_in)
    refs: list[Ref] = [(j, 0, 1) for j in range(n_in)]
    for logic in stages:
        refs = asm.stage(logic, refs, operands)
    return asm.finish(refs)


def _qintervals(fmts: list[Format]):
    out = []
    for f in fmts:
        iv = f.interval()
        step = 2.0**-iv.f
        out.append((iv.lo * step, iv.hi * step, step))
    return out


def run_da4ml(W: np.ndarray, fmts: list[Format], hard_dc: int = -1) -> AdderGraph:
    """da4ml's graph; ``hard_dc``: adder levels allowed beyond its least depth (-1: any)."""
    from da4ml.cmvm import solve as da4ml_solve

    kernel = np.ascontiguousarray(W.T.astype(np.float32))
    pipeline = da4ml_solve(kernel, qintervals=_qintervals(fmts), hard_dc=hard_dc)
    return _assemble(pipeline.solutions, W.shape[1], _da4ml_operands)


def run_alkaid(W: np.ndarray, fmts: list[Format], hard_dc: int = -1) -> AdderGraph:
    """alkaid's graph; ``hard_dc`` as for ``run_da4ml``."""
    from alkaid._binary import cmvm_solve

    kernel = np.ascontiguousarray(W.T.astype(np.float32))
    stages = cmvm_solve(kernel, qintervals=_qintervals(fmts), hard_dc=hard_dc)
    return _assemble(stages, W.shape[1], _alkaid_operands)


def available_anchors() -> dict:
    anchors = {}
    for name, fn, module in (("da4ml", run_da4ml, "da4ml"), ("alkaid", run_alkaid, "alkaid")):
        if importlib.util.find_spec(module) is not None:
            anchors[name] = fn
    return anchors


# --------------------------------------------------------------------------- run


def measure(name: str, fn, W: np.ndarray, fmts: list[Format]) -> dict:
    t0 = time.perf_counter()
    graph = fn(W, fmts)
    seconds = time.perf_counter() - t0
    if not np.array_equal(realized_matrix(graph).astype(object), W.astype(object)):
        raise SystemExit(f"bench/cmvm.py: {name} computed a different matrix")
    return {**stats(graph, [f.interval() for f in fmts]), "seconds": seconds}


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--suite", type=Path, default=DEFAULT_SUITE)
    ap.add_argument("--only", help="run the instances whose name contains this")
    ap.add_argument("--no-anchors", action="store_true", help="skip da4ml and alkaid")
    ap.add_argument("--objective", default="adders", choices=("adders", "adder_bits"))
    ap.add_argument("--extra-depth", type=int, default=None, help="fixed extra depth instead of the automatic choice")
    ap.add_argument("--markdown", action="store_true", help="print a markdown table")
    args = ap.parse_args(argv)

    anchors = {} if args.no_anchors else available_anchors()
    tools = ["ours", *anchors]
    ours = lambda W, fmts: solve(W, fmts, objective=args.objective, extra_depth=args.extra_depth)  # noqa: E731

    results: dict[str, dict[str, dict]] = {}
    for name, (W, bits) in load_suite(args.suite).items():
        if args.only and args.only not in name:
            continue
        fmts = [Format(1, bits - 1, 0)] * W.shape[1]
        results[name] = {"ours": measure("ours", ours, W, fmts)}
        for tool, fn in anchors.items():
            results[name][tool] = measure(tool, fn, W, fmts)
        print_row(name, W.shape, results[name], tools, args.markdown, header=len(results) == 1)
    print_totals(results, tools, args.markdown)


def _cells(res: dict[str, dict], tools: list[str], key: str, fmt: str = "{}") -> str:
    return "/".join(fmt.format(res[t][key]) for t in tools)


def _ratio(res: dict[str, dict], tools: list[str], key: str) -> str:
    if len(tools) < 2:
        return "-"
    best = min(res[t][key] for t in tools[1:])
    return f"{res['ours'][key] / best:.3f}" if best else "-"


def print_row(name, shape, res, tools, markdown, header) -> None:
    head = ["instance", "shape", f"adders ({'/'.join(tools)})", "ratio", "adder bits", "ratio", "depth", "seconds"]
    cells = [
        name,
        f"{shape[0]}x{shape[1]}",
        _cells(res, tools, "adders"),
        _ratio(res, tools, "adders"),
        _cells(res, tools, "adder_bits"),
        _ratio(res, tools, "adder_bits"),
        _cells(res, tools, "depth"),
        _cells(res, tools, "seconds", "{:.2f}"),
    ]
    if markdown:
        if header:
            print("| " + " | ".join(head) + " |")
            print("|" + "---|" * len(head))
        print("| " + " | ".join(cells) + " |", flush=True)
    else:
        if header:
            print(f"{head[0]:24s} {head[1]:7s} {head[2]:22s} {head[3]:6s} {head[4]:22s} {head[5]:6s} {head[6]:10s} {head[7]}")
        print(f"{cells[0]:24s} {cells[1]:7s} {cells[2]:22s} {cells[3]:6s} {cells[4]:22s} {cells[5]:6s} {cells[6]:10s} {cells[7]}", flush=True)


def print_totals(results, tools, markdown) -> None:
    if not results:
        return
    total = {t: {k: sum(r[t][k] for r in results.values()) for k in ("adders", "adder_bits", "seconds")} for t in tools}
    line = [f"TOTAL ({len(results)})", "", _cells(total, tools, "adders"), _ratio(total, tools, "adders"), _cells(total, tools, "adder_bits"), _ratio(total, tools, "adder_bits"), "", _cells(total, tools, "seconds", "{:.1f}")]
    if len(tools) > 1:
        for t in tools[1:]:
            worse = [n for n, r in results.items() if r["ours"]["adders"] > r[t]["adders"] or r["ours"]["adder_bits"] > r[t]["adder_bits"]]
            deeper = [n for n, r in results.items() if r["ours"]["depth"] > r[t]["depth"]]
            note = f"worse than {t} on {len(worse)} ({', '.join(worse) or '-'}); deeper than {t} on {len(deeper)} ({', '.join(deeper) or '-'})"
            print(("| " + note + " |") if markdown else note)
    if markdown:
        print("| " + " | ".join(f"**{c}**" if c else "" for c in line) + " |")
    else:
        print(f"{line[0]:24s} {line[1]:7s} {line[2]:22s} {line[3]:6s} {line[4]:22s} {line[5]:6s} {line[6]:10s} {line[7]}")


if __name__ == "__main__":
    main()
