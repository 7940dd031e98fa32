"""The model corpus table: every model of shared/models and shared/models/wild compiled
and checked against its reference (fpga_opt.verification.corpus says how, per kind).

    python bench/corpus.py                      # every model, markdown table on stdout
    python bench/corpus.py --only onnx          # the ONNX/QONNX files only
    python bench/corpus.py -k finn -k brevitas --rows 100   # names containing either; 100 rows

Columns: model, its kind, the network's compute ops (layers), adders and estimated LUTs
of the compiled design, compile seconds (import + every pass + Verilog), and the result
(mismatching values for quantized models, the largest error for float and softmax ones, the
message for a refused one).  A model whose check fails is marked FAIL.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from fpga_opt.verification.corpus import Entry, check, shared_entries, wild_entries

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "models"


def corpus(folder: Path) -> list[Entry]:
    return shared_entries(folder) + wild_entries(folder / "wild")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", type=Path, default=SHARED, help="the shared/models folder")
    parser.add_argument("--only", choices=("onnx", "keras"), help="one kind of file")
    parser.add_argument("-k", action="append", default=[],
                        help="only models whose name contains this (repeatable: any of them)")
    parser.add_argument("--rows", type=int, default=None, help="reference rows used (default all)")
    args = parser.parse_args(argv)
    if not args.models.exists():
        print(f"{args.models} is absent", file=sys.stderr)
        return 1
    entries = [e for e in corpus(args.models) if any(k in e.name for k in args.k or [""])
               and (args.only is None or e.path.suffix == f".{args.only}")]
    print("| model | kind | layers | adders | est. LUTs | compile s | result |")
    print("|---|---|---:|---:|---:|---:|---|")
    failed = 0
    for entry in entries:
        result = check(entry, args.rows)
        failed += not result.ok
        stats = result.stats
        cells = [entry.name, entry.kind, str(result.layers or ""), str(stats.get("adders", "")),
                 str(stats.get("luts", "")), f"{result.seconds:.1f}",
                 ("" if result.ok else "FAIL: ") + result.summary.replace("|", "/")]
        print("| " + " | ".join(cells) + " |", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
