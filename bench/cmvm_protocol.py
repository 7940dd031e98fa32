"""The CMVM literature's protocol: random N x N matrices, ours beside da4ml and alkaid.

    python bench/cmvm_protocol.py [--sizes 4,8,12,16,32] [--draws 100] [--seed 0]
                                  [--depth 16:8 --depth 16:6] [--no-anchors] [--markdown]
                                  [--depth-tolerance 0.01] [--log draws.jsonl]

The protocol of H_cmvm (Aksoy et al. 2012) and of da4ml's paper: N x N matrices with
entries drawn uniformly from the integers [129, 255], means over many draws.  Inputs are
8-bit signed integers (``Format(1, 7, 0)``).  Draw ``d`` of size ``N`` comes from
``numpy.random.default_rng([seed, N, d])``, so a draw is the same whatever else runs.

Every tool's graph is checked to compute exactly W @ x (``realized_matrix``) and measured
by the same function (``cmvm.graph.stats``): adders are two-operand additions and
subtractions; shifts and negations are wiring and not counted (the anchors' graphs are
rebuilt as ``AdderGraph`` by bench/cmvm.py, where a pure shift or negation is not a node).
Depth is adder levels.  Seconds are CPU time of this process (``time.process_time``);
OpenMP in the anchors is held to one thread (``OMP_NUM_THREADS=1``) so they compare.

A row ``N:L`` of ``--depth`` solves the same draws under the hard limit of L adder levels:
ours with ``max_depth=L`` (draws where some row has more CSD digits than L levels can
sum, ``least_depth > L``, are left out of that row and its draw count), the anchors with ``hard_dc = L - least depth`` (their limit is
relative to the least depth of summing every row's CSD digits, the same least depth as
ours), lowered until their graph fits in L levels (``within``; the time of every try
counts); an anchor graph still deeper than L is counted in its "over limit" column.

Ours runs with solve's defaults; ``--depth-tolerance`` sets solve's ``depth_tolerance``
(by default the shallowest graph within 1 % of the fewest adders is kept; 0 keeps the
fewest adders whatever the depth, as the protocol counts them).

Columns: mean / min / max adders, mean depth, mean seconds per draw, and how many draws
ours needs more adders than each anchor.  The literature's published means stand beside.
"""

from __future__ import annotations

import os

os.environ.setdefault("OMP_NUM_THREADS", "1")  # before the anchors load their OpenMP runtime

import argparse  # noqa: E402
import importlib.util  # noqa: E402
import json  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

from fpga_opt.cmvm import solve, stats  # noqa: E402
from fpga_opt.cmvm.graph import depth as graph_depth  # noqa: E402
from fpga_opt.cmvm.graph import realized_matrix  # noqa: E402
from fpga_opt.cmvm.solver import least_depth  # noqa: E402
from fpga_opt.errors import CompileError  # noqa: E402
from fpga_opt.numerics import Format  # noqa: E402

LOW, HIGH = 129, 255
INPUT = Format(1, 7, 0)
PUBLISHED = {  # (N, depth limit): (H_cmvm, da4ml's paper) mean adders
    (4, None): (27.6, None),
    (8, None): (96.3, 98.1),
    (12, None): (200.4, None),
    (16, None): (338.3, 343.2),
    (16, 8): (353.3, None),
    (16, 6): (423.2, None),
}


def _bench_cmvm():
    """bench/cmvm.py (the anchors' adapters), loaded from its file."""
    path = Path(__file__).resolve().parent / "cmvm.py"
    spec = importlib.util.spec_from_file_location("bench_cmvm", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def draw(seed: int, n: int, d: int) -> np.ndarray:
    return np.random.default_rng([seed, n, d]).integers(LOW, HIGH + 1, size=(n, n))


def measure(name: str, fn, W: np.ndarray) -> dict:
    t0 = time.process_time()
    graph = fn(W)
    seconds = time.process_time() - t0
    if not np.array_equal(realized_matrix(graph).astype(object), W.astype(object)):
        raise SystemExit(f"bench/cmvm_protocol.py: {name} computed a different matrix")
    s = stats(graph, [INPUT.interval()] * W.shape[1])
    return {"adders": s["adders"], "adder_bits": s["adder_bits"], "depth": s["depth"], "seconds": seconds}


def tools_for(limit: int | None, anchors: dict, depth_tolerance: float = 0.01):
    """``{name: W -> AdderGraph}`` for one row of the table."""
    fmts = lambda W: [INPUT] * W.shape[1]  # noqa: E731
    tools = {"ours": lambda W: solve(W, fmts(W), max_depth=limit, depth_tolerance=depth_tolerance)}
    for name, run in anchors.items():
        if limit is None:
            tools[name] = lambda W, run=run: run(W, fmts(W))
        else:
            tools[name] = lambda W, run=run: within(run, W, fmts(W), limit)
    return tools


def within(run, W: np.ndarray, fmts: list[Format], limit: int):
    """An anchor's graph under ``limit`` levels: its ``hard_dc`` from ``limit - least
    depth`` down to 0 until the graph fits (its latency model may count levels
    differently), the last one tried if none does."""
    for hard_dc in range(max(0, limit - least_depth(W)), -1, -1):
        graph = run(W, fmts, hard_dc=hard_dc)
        if graph_depth(graph) <= limit:
            break
    return graph


def run_row(n: int, limit: int | None, draws: int, seed: int, anchors: dict, log=None,
            depth_tolerance: float = 0.01) -> tuple[dict, int]:
    tools = tools_for(limit, anchors, depth_tolerance)
    per_draw = []
    skipped = 0
    for d in range(draws):
        W = draw(seed, n, d)
        if limit is not None and least_depth(W) > limit:
            skipped += 1  # summing some row's CSD digits needs more levels
            continue
        res = {name: measure(name, fn, W) for name, fn in tools.items()}
        per_draw.append(res)
        if log is not None:
            log.write(json.dumps({"n": n, "limit": limit, "draw": d, **res}) + "\n")
            log.flush()
    if not per_draw:
        raise CompileError("cmvm", f"no draw of N={n} can be summed in {limit} levels")
    return summarize(per_draw, list(tools), limit), skipped


def summarize(per_draw: list[dict], tools: list[str], limit: int | None) -> dict:
    out = {}
    for t in tools:
        adders = np.array([r[t]["adders"] for r in per_draw])
        out[t] = {
            "mean": float(adders.mean()), "min": int(adders.min()), "max": int(adders.max()),
            "depth": float(np.mean([r[t]["depth"] for r in per_draw])),
            "seconds": float(np.mean([r[t]["seconds"] for r in per_draw])),
            "over_limit": sum(limit is not None and r[t]["depth"] > limit for r in per_draw),
        }
        if t != "ours":
            out[t]["ours_worse"] = sum(r["ours"]["adders"] > r[t]["adders"] for r in per_draw)
            out[t]["ours_better"] = sum(r["ours"]["adders"] < r[t]["adders"] for r in per_draw)
    return out


def table_lines(rows: list[tuple[int, int | None, int, dict]], markdown: bool) -> list[str]:
    head = ["N", "depth", "draws", "tool", "mean adders", "min", "max", "mean depth", "mean s", "ours worse / better", "published mean"]
    lines = []
    if markdown:
        lines += ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    else:
        lines.append(f"{'N':>3} {'depth':>5} {'draws':>5} {'tool':7} {'mean':>8} {'min':>5} {'max':>5} {'depth':>6} {'s':>7} {'worse/better':>12}  published")
    for n, limit, draws, summary in rows:
        depth = "-" if limit is None else str(limit)
        published = PUBLISHED.get((n, limit))
        for t, s in summary.items():
            vs = f"{s['ours_worse']} / {s['ours_better']}" if t != "ours" else ""
            if s["over_limit"]:
                vs += f" ({s['over_limit']} over limit)"
            pub = ""
            if published is not None and t == "ours":
                pub = f"H_cmvm {published[0]}" + (f", da4ml paper {published[1]}" if published[1] else "")
            cells = [str(n), depth, str(draws), t, f"{s['mean']:.1f}", str(s["min"]), str(s["max"]),
                     f"{s['depth']:.2f}", f"{s['seconds']:.3f}", vs, pub]
            if markdown:
                lines.append("| " + " | ".join(cells) + " |")
            else:
                lines.append(f"{cells[0]:>3} {cells[1]:>5} {cells[2]:>5} {cells[3]:7} {cells[4]:>8} {cells[5]:>5} {cells[6]:>5} {cells[7]:>6} {cells[8]:>7} {cells[9]:>12}  {cells[10]}")
    return lines


def parse_depth(text: str) -> tuple[int, int]:
    try:
        n, limit = (int(v) for v in text.split(":"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected N:LIMIT, got {text!r}") from None
    return n, limit


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="4,8,12,16,32", help="comma-separated N (default 4,8,12,16,32)")
    ap.add_argument("--draws", type=int, default=100)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--depth", type=parse_depth, action="append", help="N:LIMIT, a depth-limited row (default 16:8 16:6)")
    ap.add_argument("--no-depth", action="store_true", help="no depth-limited rows")
    ap.add_argument("--no-anchors", action="store_true", help="skip da4ml and alkaid")
    ap.add_argument("--markdown", action="store_true")
    ap.add_argument("--log", type=Path, help="write every draw's figures here (JSON lines)")
    ap.add_argument("--depth-tolerance", type=float, default=0.01,
                    help="ours: solve's depth_tolerance (default 0.01, solve's own; 0 = fewest adders at any depth)")
    args = ap.parse_args(argv)
    try:
        sizes = [int(v) for v in args.sizes.split(",") if v]
    except ValueError:
        ap.error(f"--sizes: expected comma-separated integers, got {args.sizes!r}")
    if args.draws < 1 or any(n < 1 for n in sizes):
        ap.error("--draws and every size must be positive")
    depth_rows = [] if args.no_depth else (args.depth or [(16, 8), (16, 6)])
    anchors = {} if args.no_anchors else _bench_cmvm().available_anchors()
    plan = [(n, None) for n in sizes] + [(n, lim) for n, lim in depth_rows]
    rows = []
    log = open(args.log, "w") if args.log else None
    try:
        for n, limit in plan:
            try:
                summary, skipped = run_row(n, limit, args.draws, args.seed, anchors, log, args.depth_tolerance)
            except CompileError as e:
                print(f"bench/cmvm_protocol.py: N={n}, depth {limit}: {e}", file=sys.stderr)
                return 1
            rows.append((n, limit, args.draws - skipped, summary))
            print("\n".join(table_lines([rows[-1]], False)), file=sys.stderr, flush=True)
    finally:
        if log is not None:
            log.close()
    print("\n".join(table_lines(rows, args.markdown)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
