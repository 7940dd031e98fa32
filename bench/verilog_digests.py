"""Digests of the HDL every shared model compiles to: the before/after check of a refactoring.

    python bench/verilog_digests.py [--skip-slow] [--only TEXT] [--json OUT.json]
    python bench/verilog_digests.py [--skip-slow] --check bench/verilog_digests.json

Every model at the top level of ``<repo>/../shared/models`` (``*.onnx``, ``*.keras``) is
compiled by the command line, ``fpga-opt MODEL -t verilog`` and ``fpga-opt MODEL -t vhdl``,
with the options ``bench/models.py`` gives it (its ``CASES``: a float model gets
``--default-precision 'fixed<16,6>'``, the jet tagger its two input precisions), plus a
few variants that reach the other printers: a pipelined ``--cutoff 2`` and ``--arch xc7``
(LUT6_2 + CARRY4 primitives).  A model file no case names is compiled without options.
The sha256 of each output is printed and, with ``--json``, written; ``--check FILE``
compares with a saved run and exits 1 on any difference.  A move that must not change
behaviour ("move, don't rewrite") leaves every digest as it was.

``--skip-slow`` leaves out the cases that take minutes (``SLOW``, measured on the 2-core
development machine); ``--check`` then names them as not checked.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_MODELS = REPO.parent / "shared" / "models"
OPTION_FLAGS = {"default_precision": "--default-precision", "input_precision": "--input-precision"}
# Cases that took five minutes or more at the baseline run (both targets, 2 cores shared by
# six engineers): about 300 s, 300 s, 570 s and over 30 min (conv2d_small_mp's VHDL alone
# over 20 min); the others took 20 to 100 s.  Alone on the machine they are much faster.
SLOW = {"HGQ2 jsc 0.771", "three_layer_keras (float, fixed<16,6>)", "TFC_2W2A",
        "conv2d_small_mp_keras (float, fixed<16,6>)"}
# (label suffix, extra command-line arguments, labels of the base cases it applies to)
VARIANTS = [
    (", cutoff 2", ["--cutoff", "2"], ["BNN fc 1 layer", "UNSW-NB15 w2a2", "jet QKeras, in fixed<1,5,10>"]),
    (", arch xc7", ["--arch", "xc7"], ["UNSW-NB15 w2a2", "jet QKeras, in fixed<1,5,10>"]),
]
TARGETS = ("verilog", "vhdl")


def benchmark_cases() -> list[tuple[str, str, list[str]]]:
    """(label, model file name, fpga-opt options) of bench/models.py's cases and variants."""
    spec = importlib.util.spec_from_file_location("bench_models", REPO / "bench" / "models.py")
    if spec is None or spec.loader is None:
        sys.exit("bench/verilog_digests.py: cannot load bench/models.py")
    models = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = models  # its dataclasses look their module up
    spec.loader.exec_module(models)
    cases = []
    for case in models.CASES:
        args = []
        for key, value in case.options.items():
            args += [OPTION_FLAGS[key], value]
        cases.append((case.label, case.file, args))
    for suffix, extra, labels in VARIANTS:
        cases += [(label + suffix, file, args + extra) for label, file, args in cases if label in labels]
    return cases


def all_cases(models_dir: Path) -> list[tuple[str, str, list[str]]]:
    """The benchmark cases whose model is present, and every other top-level model."""
    present = {p.name for p in models_dir.iterdir() if p.suffix in (".onnx", ".keras")}
    cases = [c for c in benchmark_cases() if c[1] in present]
    named = {file for _, file, _ in cases}
    cases += [(name, name, []) for name in sorted(present - named)]
    return cases


def digest(command: list[str], timeout: float) -> str:
    """sha256 of what ``command`` prints, or ``error: <last line>`` if it fails."""
    try:
        run = subprocess.run(command, capture_output=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return f"error: timed out after {timeout:.0f} s"
    if run.returncode != 0:
        lines = run.stderr.decode(errors="replace").strip().splitlines() or ["(no message)"]
        return f"error: exit {run.returncode}: {lines[-1]}"
    return hashlib.sha256(run.stdout).hexdigest()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--models-dir", type=Path, default=DEFAULT_MODELS)
    parser.add_argument("--skip-slow", action="store_true", help="leave out the cases that take minutes")
    parser.add_argument("--only", action="append", default=[], help="cases whose label contains this")
    parser.add_argument("--json", type=Path, help="write the digests here")
    parser.add_argument("--check", type=Path, help="compare with the digests saved in this file")
    parser.add_argument("--timeout", type=float, default=3600, help="seconds per compile")
    parser.add_argument("--target", action="append", choices=TARGETS, help="only these outputs (default: both)")
    args = parser.parse_args()

    if not args.models_dir.is_dir():
        sys.exit(f"bench/verilog_digests.py: no models directory {args.models_dir}")
    fpga_opt = shutil.which("fpga-opt", path=str(Path(sys.executable).parent)) or shutil.which("fpga-opt")
    if fpga_opt is None:
        sys.exit("bench/verilog_digests.py: the fpga-opt command is not installed")
    cases = [c for c in all_cases(args.models_dir)
             if not (args.skip_slow and c[0] in SLOW)
             and (not args.only or any(text in c[0] for text in args.only))]

    targets = args.target or list(TARGETS)
    digests: dict[str, dict[str, str]] = {}
    seconds: dict[str, float] = {}
    for label, file, options in cases:
        start = time.perf_counter()
        digests[label] = {target: digest([fpga_opt, str(args.models_dir / file), *options, "-t", target],
                                         args.timeout)
                          for target in targets}
        seconds[label] = round(time.perf_counter() - start, 1)
        print(f"{label:48s} {seconds[label]:7.1f} s  "
              + "  ".join(f"{t} {d[:16]}" for t, d in digests[label].items()), flush=True)

    if args.json:
        commit = subprocess.run(["git", "-C", str(REPO), "rev-parse", "HEAD"],
                                capture_output=True, text=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(REPO), "status", "--porcelain", "--untracked-files=no"],
                               capture_output=True, text=True).stdout.strip()
        args.json.write_text(json.dumps({"commit": commit + ("+changes" if dirty else ""),
                                         "seconds": seconds, "digests": digests}, indent=1) + "\n")
    if args.check is None:
        return 0
    saved = json.loads(args.check.read_text())["digests"]
    differ = [f"{label} {target}: {saved[label][target][:16]} -> {new[:16]}"
              for label, outputs in digests.items() if label in saved
              for target, new in outputs.items() if target in saved[label] and saved[label][target] != new]
    unknown = [label for label in digests if label not in saved]
    unchecked = [label for label in saved if label not in digests]
    unchecked += [f"{label} {target} (not saved)" for label, outputs in digests.items() if label in saved
                  for target in outputs if target not in saved[label]]
    for line in differ:
        print("DIFFERS", line)
    for label in unknown:
        print("NOT IN", args.check, label)
    for label in unchecked:
        print("not checked:", label)
    checked = len(digests) - len(unknown)
    print(f"{checked} cases checked, {len(differ)} outputs differ, {len(unknown)} unknown, "
          f"{len(unchecked)} not checked")
    return 1 if differ or unknown else 0


if __name__ == "__main__":
    sys.exit(main())
