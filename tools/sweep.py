"""Compile many models x options on Dask and collect every design's report.

    rows = fpga_opt.sweep(["a.onnx", "checkpoints/"], [{"cutoff": 0}, {"cutoff": 2}])
    print(markdown_table(rows))

    fpga-opt sweep checkpoints/ --cutoff 0 2 --objective adders adder_bits \
        [--scheduler tcp://host:8786 | --workers 2] [--table sweep.md] [--csv sweep.csv] \
        [--plot pareto.png]

A folder stands for the ``.onnx`` / ``.keras`` files in it (an HGQ2 Pareto front of
checkpoints, say).  Every (model, options) pair is one task: ``fpga_opt.compile(model,
jobs=1, **options)`` on a Dask worker (``dask.distributed``, the ``sweep`` extra), on a
``LocalCluster`` of ``workers`` single-threaded processes unless a ``scheduler`` address
is given.  A row holds the model, its options, the ``key=value`` numbers of its file name
(``epoch=12-val_acc=0.771-ebops=13285.keras`` gives ``epoch``, ``val_acc``, ``ebops``), the
compile seconds and the design's stats (``adders``, ``luts``, ``latency`` ...), or
``error`` with the compiler's message; rows come in task order whatever the workers do.
``plot_front`` draws LUTs against each file-name figure (matplotlib, optional).
"""

from __future__ import annotations

import argparse
import csv
import itertools
import os
import re
import sys
import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from ..errors import CompileError

MODEL_EXTENSIONS = (".onnx", ".keras")
REPORTED = ("adders", "adder_bits", "luts", "ffs", "latency")
NAME_FIGURE = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)=([-+]?\d+(?:\.\d*)?(?:[eE][-+]?\d+)?)")


def model_files(paths: Iterable[str | os.PathLike]) -> list[str]:
    """The model files named, a folder standing for its model files (sorted)."""
    out = []
    for path in map(Path, paths):
        if path.is_dir():
            out += sorted(str(p) for p in path.iterdir() if p.suffix in MODEL_EXTENSIONS)
        elif path.exists():
            out.append(str(path))
        else:
            raise CompileError(str(path), "no such model file or folder")
    return out


def name_figures(path: str) -> dict[str, float]:
    """The ``key=number`` fields of a file name (see the module docstring)."""
    stem = Path(path).name
    for extension in MODEL_EXTENSIONS:
        stem = stem.removesuffix(extension)
    return {key: float(value) for key, value in NAME_FIGURE.findall(stem)}


def compile_row(model: str, options: dict[str, Any]) -> dict[str, Any]:
    """One task: compile and report (runs on a worker; one process, so ``jobs=1``)."""
    from ..design import compile as compile_design

    row: dict[str, Any] = {"model": model, **options, **name_figures(model)}
    start = time.perf_counter()
    try:
        stats = compile_design(model, jobs=1, **options).stats
    except CompileError as err:
        row["error"] = str(err)
        return row
    row["seconds"] = round(time.perf_counter() - start, 2)
    if all(isinstance(v, dict) for v in stats.values()):  # several modules: their sums
        stats = {key: sum(s.get(key, 0) for s in stats.values()) for key in REPORTED}
    row.update({key: stats[key] for key in REPORTED if key in stats})
    return row


def sweep(models: Sequence[str | os.PathLike], configs: Sequence[dict[str, Any]] = ({},), *,
          scheduler: str | None = None, workers: int | None = None) -> list[dict[str, Any]]:
    """Every model (files or folders) with every options dict, on Dask (see the module
    docstring); the rows in model-major order."""
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError:
        raise CompileError("sweep", "needs dask.distributed: pip install 'fpga-opt[sweep]'") from None
    tasks = [(model, dict(config)) for model in model_files(models) for config in configs]
    if not tasks:
        return []
    if scheduler is not None:
        client = Client(scheduler)
        cluster = None
    else:
        cluster = LocalCluster(n_workers=workers or os.cpu_count() or 1, threads_per_worker=1,
                               processes=True, dashboard_address=None)
        client = Client(cluster)
    try:
        futures = [client.submit(compile_row, model, config, pure=False) for model, config in tasks]
        return client.gather(futures)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def columns(rows: Sequence[dict[str, Any]]) -> list[str]:
    """Every key of the rows, in the order they first appear."""
    return list(dict.fromkeys(key for row in rows for key in row))


def markdown_table(rows: Sequence[dict[str, Any]]) -> str:
    keys = columns(rows)
    lines = ["| " + " | ".join(keys) + " |", "|" + "---|" * len(keys)]
    lines += ["| " + " | ".join(str(row.get(key, "")) for key in keys) + " |" for row in rows]
    return "\n".join(lines)


def write_csv(rows: Sequence[dict[str, Any]], path: str) -> None:
    with open(path, "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=columns(rows))
        writer.writeheader()
        writer.writerows(rows)


def plot_front(rows: Sequence[dict[str, Any]], path: str) -> list[str]:
    """LUTs against every file-name figure but the epoch, one panel each, saved to
    ``path``; the figures plotted."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        raise CompileError(path, "a plot needs matplotlib (pip install matplotlib)") from None
    done = [row for row in rows if "luts" in row]
    figures = [key for key in columns(done) if key != "epoch" and all(
        key in name_figures(row["model"]) for row in done)]
    if not figures:
        raise CompileError(path, "no file-name figure (such as val_acc=0.77) to plot the LUTs against")
    fig, axes = plt.subplots(1, len(figures), figsize=(5 * len(figures), 4), squeeze=False)
    for ax, key in zip(axes[0], figures):
        ax.scatter([row[key] for row in done], [row["luts"] for row in done])
        ax.set_xlabel(key)
        ax.set_ylabel("LUTs (estimate)")
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
    return figures


def option_grid(args: argparse.Namespace) -> list[dict[str, Any]]:
    """Every combination of the option values given on the command line."""
    axes = {key: values for key, values in (("cutoff", args.cutoff), ("objective", args.objective),
                                            ("default_precision", args.default_precision),
                                            ("input_precision", args.input_precision)) if values}
    return [dict(zip(axes, combination)) for combination in itertools.product(*axes.values())]


def main(argv: Sequence[str]) -> int:
    """``fpga-opt sweep ...`` (see the module docstring); the driver reports errors."""
    parser = argparse.ArgumentParser(prog="fpga-opt sweep", description="compile many models x options on Dask")
    parser.add_argument("models", nargs="+", help="model files, or folders of them")
    parser.add_argument("--cutoff", nargs="+", type=int)
    parser.add_argument("--objective", nargs="+", choices=("adders", "adder_bits"))
    parser.add_argument("--default-precision", nargs="+")
    parser.add_argument("--input-precision", nargs="+")
    parser.add_argument("--scheduler", help="a Dask scheduler address (default: a LocalCluster)")
    parser.add_argument("--workers", type=int, help="LocalCluster worker processes (default: the cores)")
    parser.add_argument("--table", help="write the markdown table here (default: standard output)")
    parser.add_argument("--csv", help="also write the rows as CSV")
    parser.add_argument("--plot", help="also plot LUTs against the file-name figures (matplotlib)")
    args = parser.parse_args(argv)
    rows = sweep(args.models, option_grid(args), scheduler=args.scheduler, workers=args.workers)
    table = markdown_table(rows)
    if args.table:
        Path(args.table).write_text(table + "\n")
    else:
        print(table)
    if args.csv:
        write_csv(rows, args.csv)
    if args.plot:
        plot_front(rows, args.plot)
    failed = sum("error" in row for row in rows)
    if failed:
        print(f"fpga-opt sweep: {failed} of {len(rows)} compiles failed (see 'error')", file=sys.stderr)
    return 0
