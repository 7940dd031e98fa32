"""Benchmark the compiler on the real models of ``shared/models``, side by side with da4ml.

    /work/venv/bin/python bench/models.py [--yosys [--yosys-limit LUTS]] [--cutoff N]
        [--arch xc7] [--alkaid] [--only NAME] [--models-dir DIR] [--no-da4ml] [--json FILE]
        [--markdown FILE]
    /work/venv/bin/python bench/models.py --tables-from run1.json run2.json

For every model (found in ``<repo>/../shared/models`` unless ``--models-dir``):

- ours: ``fpga_opt.compile`` -> adders, adder bits, the estimated LUTs, with ``--yosys``
  the cells Yosys counts in the emitted Verilog, latency in cycles at ``--cutoff`` and the
  deepest stage, compile seconds, and how many outputs of ``predict`` on the reference
  inputs differ from ``*_reference.npz`` (beyond float32 rounding of the float tail);
- da4ml (0.6.0, the ``bench`` extra): the imported network (``design.network``: the same
  quantized weights, biases and quantizers) traced through da4ml's own API by
  ``bench/da4ml_trace.py``; its adders, its cost figure, its Yosys cells, its seconds,
  and whether its own interpreter equals ours on the reference inputs.  A model with ops
  its tracer cannot express prints 'n/a' and the reason.

- alkaid (0.8.2, the ``bench`` extra, with ``--alkaid``; ``.keras`` models only): its own
  converter, ``alkaid convert FILE OUT --flavor verilog -lc -1`` (combinational, ternary
  adders fused), its cost estimate (``metadata.json``), its own bit-exactness check
  against the Keras model (the mismatch count it logs) and the Yosys cells of its Verilog.

``--arch xc7`` compiles ours with ``arch="xc7"``: three-input adders, printed as LUT6_2 +
CARRY4 primitives (backends/xilinx_primitives.py).

All netlists are synthesized by one function (``backends.stats.yosys_synthesize``), exactly the same way:
``synth_xilinx -family xc7 -flatten`` (combinational).  ``LUT`` is LUT1..LUT6; Yosys 0.23
leaves inverters as ``INV`` cells, reported on their own.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

import fpga_opt
from fpga_opt.backends.stats import yosys_synthesize
from fpga_opt.errors import CompileError
from fpga_opt.dialects import rtl
from fpga_opt.interpreters.fixedpoint import run_function

REPO = Path(__file__).resolve().parents[1]
DEFAULT_MODELS = REPO.parent / "shared" / "models"
FLOAT_PRECISION = "fixed<16,6>"  # hls4ml's default Precision (W=16, I=6)


@dataclass(frozen=True)
class Case:
    label: str
    file: str
    options: dict[str, str] = field(default_factory=dict)


CASES = [
    Case("HGQ2 jsc 0.771", "hgq2_jsc_openml_0.771.keras"),
    Case("HGQ2 jsc 0.758", "hgq2_jsc_openml_0.758.keras"),
    Case("BNN fc 1 layer", "bnn_model_fc_1layer.onnx"),
    Case("UNSW-NB15 w2a2", "unsw_nb15_mlp_w2a2.onnx", {"input_precision": "fixed<0,1,0>"}),
    Case("jet QKeras, in fixed<1,5,10>", "qkeras_jettagging.onnx", {"input_precision": "fixed<1,5,10>"}),
    Case("jet QKeras, in fixed<1,3,24>", "qkeras_jettagging.onnx", {"input_precision": "fixed<1,3,24>"}),
    Case("TFC_2W2A", "TFC_2W2A.onnx"),
    *[Case(f"{name} (float, {FLOAT_PRECISION})", f"{name}.onnx", {"default_precision": FLOAT_PRECISION})
      for name in ("two_layer_keras", "conv1d_small_keras", "conv2d_small_keras",
                   "conv2d_small_mp_keras", "three_layer_keras", "three_layer_pytorch")],
]


# --------------------------------------------------------------------------- Yosys


# --------------------------------------------------------------------------- measuring


def reference_mismatches(y: Any, expected: np.ndarray) -> int:
    """Outputs that differ from the reference by more than float32 rounding of the float
    arithmetic the host does after the last quantizer (|d| > 2^-20 max(1, |ref|))."""
    y = np.asarray(y[0] if isinstance(y, list) else y, dtype=np.float64).reshape(expected.shape)
    ref = expected.astype(np.float64)
    return int(np.count_nonzero(np.abs(y - ref) > 2.0**-20 * np.maximum(1.0, np.abs(ref))))


def expected_outputs(reference: Any) -> np.ndarray:
    """What the compiled model must reproduce: the logits where the reference has them
    (the jet tagger's Softmax stays on the host), else the outputs."""
    return reference["logits"] if "logits" in reference.files else reference["y"]


def measure_ours(case: Case, path: Path, cutoff: int, yosys_limit: int | None,
                 reference: Any, arch: str = "generic") -> tuple[Any, dict[str, Any]]:
    start = time.perf_counter()
    design = fpga_opt.compile(path, cutoff=cutoff, arch=arch, **case.options)
    row: dict[str, Any] = {"seconds": time.perf_counter() - start, **design.stats}
    yosys = yosys_limit is not None and design.stats["luts"] <= yosys_limit
    if reference is not None:
        row["ref_mismatches"] = reference_mismatches(design.predict(reference["x"]),
                                                     expected_outputs(reference))
        row["ref_values"] = int(expected_outputs(reference).size)
    if yosys:
        top = next(m.sym_name.data for m in design.hardware.ops if isinstance(m, rtl.ModuleOp))
        start = time.perf_counter()
        row["yosys"] = yosys_synthesize({f"{top}.v": design.verilog}, top, 3600)
        row["yosys_seconds"] = time.perf_counter() - start
    return design, row


def measure_alkaid(path: Path, yosys: bool) -> dict[str, Any] | str:
    """alkaid's own flow on a ``.keras`` model: convert (combinational Verilog, ternary
    adders fused, its bit-exactness check on its test samples), its cost estimate, and
    with ``yosys`` the cells of its Verilog (the modules its top instantiates)."""
    if path.suffix != ".keras":
        return "alkaid converts Keras models only"
    executable = shutil.which("alkaid") or str(Path(sys.executable).with_name("alkaid"))
    with tempfile.TemporaryDirectory(prefix="alkaid-") as tmp:
        out = Path(tmp) / "prj"
        env = {**os.environ, "KERAS_BACKEND": os.environ.get("KERAS_BACKEND", "jax")}
        start = time.perf_counter()
        run = subprocess.run([executable, "convert", str(path), str(out), "--flavor", "verilog", "-lc", "-1"],
                             capture_output=True, text=True, env=env, timeout=3600)
        row: dict[str, Any] = {"seconds": time.perf_counter() - start}
        if run.returncode != 0:
            return f"alkaid convert failed: {(run.stderr or run.stdout).strip()[-160:]}"
        meta = json.loads((out / "metadata.json").read_text())
        row["cost"] = meta["cost"]
        checked = re.search(r"\[(\d+)/(\d+)\] mismatches", run.stdout + run.stderr)
        if checked:
            row["self_check_mismatches"], row["self_check_values"] = int(checked[1]), int(checked[2])
        if yosys:
            sources = {p.name: p.read_text() for p in sorted((out / "src").glob("*.v")) if "wrapper" not in p.name}
            body = "".join(sources.values())
            sources |= {p.name: p.read_text() for p in sorted((out / "src" / "static").glob("*.v"))
                        if f"{p.stem} #(" in body}
            start = time.perf_counter()
            row["yosys"] = yosys_synthesize(sources, meta["top_module"], 3600)
            row["yosys_seconds"] = time.perf_counter() - start
    return row


def measure_da4ml(da4ml_trace: Any, design: Any, yosys: bool, reference: Any,
                  x_random: np.ndarray | None) -> dict[str, Any]:
    start = time.perf_counter()
    traced = da4ml_trace.trace(design.network)
    row: dict[str, Any] = {"seconds": time.perf_counter() - start}
    counts = traced.adders()
    row["adders"] = counts.get("add", 0) + counts.get("sub", 0) + counts.get("const_add", 0)
    row["ops"] = counts
    row["cost"] = traced.logic.cost
    row["adder_levels"] = adder_levels(traced.logic)
    x = reference["x"] if reference is not None else x_random
    if x is not None:
        inputs = design.host.to_hardware(x)
        ours = run_function(design.network, inputs)
        theirs = traced.evaluate(inputs)
        row["vs_ours_mismatches"] = sum(_differing(a, b) for a, b in zip(ours, theirs))
        row["evaluator"] = traced.evaluator
        row["vs_ours_values"] = sum(a.mantissas.size for a in ours)
        if reference is not None:
            row["ref_mismatches"] = reference_mismatches(design.host.to_model(theirs),
                                                         expected_outputs(reference))
    if yosys:
        start = time.perf_counter()
        try:
            row["yosys"] = yosys_synthesize({"da4ml_top.v": traced.verilog("da4ml_top")},
                                            "da4ml_top", 3600, traced.memory_files())
            row["yosys_seconds"] = time.perf_counter() - start
        except CompileError as e:  # Yosys 0.23 cannot map da4ml's lookup-table ROMs
            row["yosys_error"] = str(e)[-160:]
    return row


def _differing(a: Any, b: Any) -> int:
    f = max(a.f, b.f)
    return int(np.count_nonzero(a.at(f) != b.at(f)))


def adder_levels(logic: Any) -> int:
    """The longest chain of add/sub/constant-add ops in da4ml's CombLogic."""
    depth: list[int] = []
    for op in logic.ops:
        operands = [i for i in (op.id0, op.id1) if i >= 0] if op.opcode != -1 else []
        if abs(op.opcode) == 6:
            operands.append(op.data & 0xFFFFFFFF)
        level = max((depth[i] for i in operands), default=0)
        depth.append(level + (op.opcode in (0, 1, 4)))
    return max((depth[i] for i in logic.out_idxs if i >= 0), default=0)


def random_float_inputs(design: Any, n: int = 200) -> np.ndarray | None:
    """Inputs for a model without a reference: uniform over the declared input range."""
    from fpga_opt.interpreters.fixedpoint import find_function

    (arg, *rest) = find_function(design.network).args
    if rest:
        return None
    intervals = arg.type.interval_array()
    lo = np.vectorize(lambda iv: iv.lo * 2.0**-iv.f)(intervals)
    hi = np.vectorize(lambda iv: iv.hi * 2.0**-iv.f)(intervals)
    rng = np.random.default_rng(0)
    return (lo + (hi - lo) * rng.random((n,) + lo.shape)).astype(np.float32)


def load_da4ml_trace() -> Any:
    if importlib.util.find_spec("da4ml") is None:
        return None
    spec = importlib.util.spec_from_file_location("da4ml_trace", REPO / "bench" / "da4ml_trace.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["da4ml_trace"] = module
    spec.loader.exec_module(module)
    return module


# --------------------------------------------------------------------------- tables


def _num(v: Any, digits: int = 0) -> str:
    if v is None:
        return "-"
    return f"{v:.{digits}f}" if isinstance(v, float) else str(v)


def _ratio(a: Any, b: Any) -> str:
    return f"{a / b:.2f}" if isinstance(a, (int, float)) and isinstance(b, (int, float)) and b else "-"


def print_tables(rows: list[tuple[Case, dict, dict | str | None]], yosys: bool, cutoff: int,
                 out: Any = sys.stdout) -> None:
    def print(line: str = "") -> None:
        out.write(line + "\n")

    print(f"\n### Ours (cutoff {cutoff})\n")
    head = ["model", "adders", "adder bits", "est. LUTs"]
    if yosys:
        head += ["Yosys LUT", "INV", "CARRY4", "FF"]
    head += ["FF (est.)", "latency (cycles)", "deepest stage (levels / carry bits)", "compile s",
             "ref. mismatches"]
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    for case, ours, _ in rows:
        if "error" in ours:
            print(f"| {case.label} | n/a: {ours['error']} |" + " |" * (len(head) - 2))
            continue
        cells = [case.label, _num(ours["adders"]), _num(ours["adder_bits"]), _num(ours["luts"])]
        if yosys:
            y = ours.get("yosys", {})
            cells += [_num(y.get(k)) for k in ("luts", "inv", "carry4", "ffs")]
        stage = ours["deepest_stage"]
        ref = (f"{ours['ref_mismatches']} / {ours['ref_values']}" if "ref_mismatches" in ours
               else "no reference")
        cells += [_num(ours["ffs"]), _num(ours["latency"]), f"{stage['adder_levels']} / {stage['carry_bits']}",
                  _num(ours["seconds"], 1), ref]
        print("| " + " | ".join(cells) + " |")

    print("\n### da4ml 0.6.0 on the same quantized network (combinational)\n")
    head = ["model", "adders (add+sub+const)", "cost"]
    if yosys:
        head += ["Yosys LUT", "INV", "CARRY4"]
    head += ["adder levels", "trace s", "vs ours (values differing)", "ref. mismatches",
             "ours/da4ml adders"]
    if yosys:
        head += ["ours/da4ml Yosys LUT"]
    head += ["ours/da4ml s"]
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    for case, ours, theirs in rows:
        if not isinstance(theirs, dict):
            reason = theirs or ("our compile failed" if "error" in ours else "not run")
            print(f"| {case.label} | n/a: {reason} |" + " |" * (len(head) - 2))
            continue
        ops = theirs["ops"]
        cells = [case.label,
                 f"{theirs['adders']} ({ops.get('add', 0)}+{ops.get('sub', 0)}+{ops.get('const_add', 0)})",
                 _num(theirs["cost"], 0)]
        if yosys:
            y = theirs.get("yosys", {})
            cells += [_num(y.get(k)) for k in ("luts", "inv", "carry4")]
            if "yosys_error" in theirs:
                cells[-3] = "Yosys failed (see JSON)"
        vs = (f"{theirs['vs_ours_mismatches']} / {theirs['vs_ours_values']}"
              if "vs_ours_mismatches" in theirs else "-")
        if theirs.get("evaluator") == "__call__":
            vs += " (by `__call__`)"
        cells += [_num(theirs["adder_levels"]), _num(theirs["seconds"], 1), vs,
                  _num(theirs.get("ref_mismatches")), _ratio(ours["adders"], theirs["adders"])]
        if yosys:
            cells += [_ratio(ours.get("yosys", {}).get("luts"), theirs.get("yosys", {}).get("luts"))]
        cells += [_ratio(ours["seconds"], theirs["seconds"])]
        print("| " + " | ".join(cells) + " |")

    if not any("alkaid" in ours for _, ours, _ in rows):
        return
    print("\n### alkaid 0.8.2 (`alkaid convert FILE OUT --flavor verilog -lc -1`, combinational)\n")
    head = ["model", "alkaid est. LUTs", "Yosys LUT", "INV", "CARRY4", "its self-check mismatches",
            "convert s", "ours Yosys LUT+INV / alkaid", "ours / best of da4ml, alkaid (LUT+INV)"]
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    for case, ours, theirs in rows:
        alk = ours.get("alkaid")
        if not isinstance(alk, dict):
            print(f"| {case.label} | n/a: {alk or 'not run'} |" + " |" * (len(head) - 2))
            continue
        y, mine = alk.get("yosys", {}), ours.get("yosys", {})
        ours_total = _sum(mine.get("luts"), mine.get("inv"))
        alk_total = _sum(y.get("luts"), y.get("inv"))
        da4ml_y = theirs.get("yosys", {}) if isinstance(theirs, dict) else {}
        anchors = [v for v in (alk_total, _sum(da4ml_y.get("luts"), da4ml_y.get("inv"))) if v is not None]
        checked = (f"{alk['self_check_mismatches']} / {alk['self_check_values']}"
                   if "self_check_mismatches" in alk else "-")
        cells = [case.label, _num(alk["cost"], 0), _num(y.get("luts")), _num(y.get("inv")), _num(y.get("carry4")),
                 checked, _num(alk["seconds"], 1), _ratio(ours_total, alk_total),
                 _ratio(ours_total, min(anchors) if anchors else None)]
        print("| " + " | ".join(cells) + " |")


def _sum(a: Any, b: Any) -> int | None:
    return a + b if isinstance(a, int) and isinstance(b, int) else None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models-dir", type=Path, default=DEFAULT_MODELS)
    parser.add_argument("--yosys", action="store_true", help="synthesize both netlists with Yosys")
    parser.add_argument("--yosys-limit", type=int, default=None, metavar="LUTS",
                        help="with --yosys: skip synthesis of designs we estimate above LUTS")
    parser.add_argument("--markdown", type=Path, help="rewrite the tables here after every model")
    parser.add_argument("--cutoff", type=int, default=0, help="our pipeline cutoff (adder levels)")
    parser.add_argument("--only", action="append", default=[], help="models whose label contains this")
    parser.add_argument("--no-da4ml", action="store_true")
    parser.add_argument("--arch", choices=["generic", "xc7", "xcu"], default="generic",
                        help="our Verilog flavour (xc7: three-input adders as LUT6_2 + CARRY4)")
    parser.add_argument("--alkaid", action="store_true", help="also run alkaid 0.8.2 on .keras models")
    parser.add_argument("--json", type=Path, help="also write every measurement here")
    parser.add_argument("--tables-from", type=Path, nargs="+", metavar="JSON",
                        help="only print the tables of saved --json files (a later file's row "
                             "replaces an earlier one of the same model)")
    args = parser.parse_args(argv)
    if args.tables_from:
        saved: dict[str, tuple] = {}
        for path in args.tables_from:
            for r in json.loads(path.read_text()):
                saved[r["model"]] = (Case(r["model"], r["file"], r["options"]), r["ours"], r["da4ml"])
        order = {c.label: n for n, c in enumerate(CASES)}
        rows = sorted(saved.values(), key=lambda row: order.get(row[0].label, len(order)))
        print_tables(rows, any("yosys" in o for _, o, _ in rows), args.cutoff)
        return 0
    if args.yosys and shutil.which("yosys") is None:
        parser.error("--yosys needs yosys on PATH")
    da4ml_trace = None if args.no_da4ml else load_da4ml_trace()
    rows = []
    for case in CASES:
        if args.only and not any(o in case.label for o in args.only):
            continue
        path = args.models_dir / case.file
        if not path.exists():
            print(f"{case.label}: {path} is missing, skipped", file=sys.stderr)
            continue
        ref_path = path.with_name(path.stem + "_reference.npz")
        reference = np.load(ref_path) if ref_path.exists() else None
        print(f"{case.label} ...", file=sys.stderr, flush=True)
        try:
            limit = (args.yosys_limit or sys.maxsize) if args.yosys else None
            design, ours = measure_ours(case, path, args.cutoff, limit, reference, args.arch)
        except Exception as e:  # a model we cannot compile yet is a row, not a crash
            rows.append((case, {"error": f"{type(e).__name__}: {e}"[:200]}, None))
            save(rows, args)
            continue
        theirs: dict | str | None = None
        if da4ml_trace is None:
            theirs = "not run (--no-da4ml)" if args.no_da4ml else "da4ml is not installed"
        if da4ml_trace is not None:
            try:
                x = None if reference is not None else random_float_inputs(design)
                theirs = measure_da4ml(da4ml_trace, design, "yosys" in ours, reference, x)
            except da4ml_trace.Untraceable as e:
                theirs = str(e)
            except Exception as e:
                traceback.print_exc()
                theirs = f"da4ml failed: {type(e).__name__}: {e}"[:200]
        if args.alkaid:
            ours["alkaid"] = measure_alkaid(path, "yosys" in ours)
        rows.append((case, ours, theirs))
        print(f"  ours {json.dumps({k: v for k, v in ours.items() if k != 'yosys'}, default=str)}",
              file=sys.stderr, flush=True)
        print(f"  da4ml {theirs if not isinstance(theirs, dict) else {k: v for k, v in theirs.items() if k != 'yosys'}}",
              file=sys.stderr, flush=True)
        save(rows, args)
    print_tables(rows, args.yosys, args.cutoff)
    return 0


def save(rows: list, args: argparse.Namespace) -> None:
    """Everything measured so far (a long run can be read while it goes on)."""
    if args.json:
        args.json.write_text(json.dumps([{"model": c.label, "file": c.file, "options": c.options,
                                          "ours": o, "da4ml": t} for c, o, t in rows],
                                        indent=1, default=str))
    if args.markdown:
        with open(args.markdown, "w") as out:
            print_tables(rows, args.yosys, args.cutoff, out)


if __name__ == "__main__":
    sys.exit(main())
