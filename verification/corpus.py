"""The model corpus: every real model with a reference, compiled and checked by its kind.

Two folders hold the corpus (see their README.md): ``shared/models`` (ONNX/QONNX and HGQ2
files whose ``<name>_reference.npz`` holds inputs ``x`` and outputs ``y``; the options
each needs are in ``SHARED_MODELS`` below) and ``shared/models/wild`` (``manifest.json``
gives each file's kind, options and inputs; references hold ``x0, x1, ...`` and
``y0, y1, ...``).  A compiled design must agree with a reference by the entry's kind:

- ``quantized``: every value equal, to float32 rounding of a host-side float tail
  (``FLOAT32_TAIL`` times max(1, |reference|): a float32 tail of a few ops rounds a few
  times; a wrong hardware integer is off by a whole output step, far more);
- ``quantized_softmax``: the logits are exact and the table softmax's probabilities lie
  within ``SoftmaxTables.error_bound`` of the reference (plus float32 rounding);
- ``float``: within ``FLOAT_TOLERANCE`` of the float reference (the fixed-point error of
  the chosen precision, hls4ml's fixed<16,6>: 10 fraction bits) and the same argmax on all
  but ``FLOAT_ARGMAX_SLACK`` of the inputs;
- ``out_of_scope``: compiling fails with a CompileError whose message contains
  ``expect_error``.

``check(entry)`` returns a ``Result`` (what bench/corpus.py tabulates and
tests/system/test_corpus.py asserts on).
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import CompileError

FLOAT32_TAIL = 2.0 ** -16
FLOAT_TOLERANCE = 0.05
FLOAT_ARGMAX_SLACK = 0.02

SHARED_MODELS: dict[str, dict[str, Any]] = {
    # name: (compile options, kind) for the shared/models files that have a reference
    "qkeras_jettagging": {"options": {"input_precision": "fixed<1,3,24>", "softmax": "table"},
                          "kind": "quantized_softmax"},
    "TFC_2W2A": {"options": {}, "kind": "quantized"},
    "unsw_nb15_mlp_w2a2": {"options": {"input_precision": "fixed<0,1,0>"}, "kind": "quantized"},
    "bnn_model_fc_1layer": {"options": {}, "kind": "quantized"},
    "hgq2_jsc_openml_0.758": {"options": {}, "kind": "quantized", "suffix": ".keras"},
    "hgq2_jsc_openml_0.771": {"options": {}, "kind": "quantized", "suffix": ".keras"},
}


@dataclass
class Entry:
    name: str
    path: Path
    kind: str
    options: dict[str, Any] = field(default_factory=dict)
    reference: Path | None = None
    expect_error: str = ""
    ci: str = "compile"  # tests/data/manifest.json: "network" checks only the imported network

    def inputs_and_outputs(self, rows: int | None = None) -> tuple[list[np.ndarray], list[np.ndarray]]:
        """The reference's inputs and outputs (the first ``rows`` of them, if given)."""
        assert self.reference is not None
        ref = np.load(self.reference)
        xs = [ref[k] for k in sorted(ref.files, key=_order) if k[0] == "x" and k[1:].isdigit()]
        ys = [ref[k] for k in sorted(ref.files, key=_order) if k[0] == "y" and k[1:].isdigit()]
        if not xs:  # shared/models references: one input x, one output y
            xs, ys = [ref["x"]], [ref["y"]]
        return [x[:rows] for x in xs], [y[:rows] for y in ys]


def _order(key: str) -> tuple[int, str]:
    return (int(key[1:]) if key[1:].isdigit() else -1, key)


def wild_entries(folder: Path) -> list[Entry]:
    """The entries of ``folder/manifest.json`` (in its order)."""
    manifest = json.loads((folder / "manifest.json").read_text())
    entries = []
    for name, spec in manifest.items():
        reference = folder / f"{name}_reference.npz"
        entries.append(Entry(name, folder / spec["file"], spec["kind"], dict(spec.get("options", {})),
                             reference if reference.exists() else None, spec.get("expect_error", ""),
                             spec.get("ci", "compile")))
    return entries


def shared_entries(folder: Path) -> list[Entry]:
    """The shared/models files with a reference (``SHARED_MODELS``) that are present."""
    entries = []
    for name, spec in SHARED_MODELS.items():
        path = folder / f"{name}{spec.get('suffix', '.onnx')}"
        reference = folder / f"{name}_reference.npz"
        if path.exists() and reference.exists():
            entries.append(Entry(name, path, spec["kind"], dict(spec["options"]), reference))
    return entries


@dataclass
class Result:
    name: str
    ok: bool
    summary: str  # "0 of 2000 differ", "max error 0.004", or the error message
    layers: int = 0
    stats: dict[str, Any] = field(default_factory=dict)
    seconds: float = 0.0
    design: Any = field(default=None, repr=False)  # the compiled design, if it compiled


def network_layers(design) -> int:
    """The compute ops of the imported network (constants and data movement not counted)."""
    from ..interpreters.fixedpoint import find_function

    skipped = ("fixedpoint.constant", "fixedpoint.reshape", "fixedpoint.transpose", "func.return")
    return sum(op.name not in skipped for op in find_function(design.network).body.block.ops)


def imported_network(path: Path, options: dict[str, Any]):
    """The imported fixedpoint network alone (no passes): what ``network_only`` checks."""
    from ..importers.onnx.model_io import predict
    from ..registry import get_all_frontends

    module = get_all_frontends()[path.suffix.lstrip(".")](path.read_bytes(), str(path), **options)
    module.verify()
    return _Network(module, predict)


@dataclass
class _Network:
    network: Any
    run: Any
    stats: dict[str, Any] = field(default_factory=dict)

    def predict(self, x):
        outputs = self.run(self.network, x)
        return outputs[0] if len(outputs) == 1 else outputs


def check(entry: Entry, rows: int | None = None, network_only: bool = False) -> Result:
    """Compile the entry and compare it with its reference (its first ``rows`` rows);
    ``network_only``: import it and run the imported network (the fixedpoint
    interpreter) without compiling, for a quick check of a large model."""
    import fpga_opt

    start = time.perf_counter()
    try:
        design = (imported_network(entry.path, entry.options) if network_only
                  else fpga_opt.compile(entry.path, **entry.options))
    except CompileError as e:
        seconds = time.perf_counter() - start
        if entry.kind == "out_of_scope":
            ok = entry.expect_error in str(e)
            return Result(entry.name, ok, f"refused: {e}", seconds=seconds)
        return Result(entry.name, False, f"CompileError: {e}", seconds=seconds)
    except (MemoryError, RecursionError, ArithmeticError, LookupError, TypeError,
            ValueError, AttributeError) as e:  # a compiler bug: one failed row, not a crash
        return Result(entry.name, False, f"internal error ({type(e).__name__}: {e})",
                      seconds=time.perf_counter() - start)
    seconds = time.perf_counter() - start
    base = {"layers": network_layers(design), "stats": design.stats, "seconds": seconds,
            "design": design}
    if entry.kind == "out_of_scope":
        return Result(entry.name, False, "compiled, but should have been refused", **base)
    xs, ys = entry.inputs_and_outputs(rows)
    predicted = design.predict(xs if len(xs) > 1 else xs[0])
    predicted = predicted if isinstance(predicted, list) else [predicted]
    if len(predicted) != len(ys):
        return Result(entry.name, False, f"{len(predicted)} outputs, reference has {len(ys)}", **base)
    ok, summary = compare(entry, design, predicted, ys)
    return Result(entry.name, ok, summary, **base)


def compare(entry: Entry, design, predicted: list[np.ndarray], ys: list[np.ndarray]) -> tuple[bool, str]:
    pairs = [(np.asarray(p, dtype=np.float64).reshape(y.shape), y) for p, y in zip(predicted, ys)]
    if entry.kind == "quantized":
        differ = sum(int(np.count_nonzero(_beyond_float32(p, y))) for p, y in pairs)
        total = sum(y.size for _, y in pairs)
        return differ == 0, f"{differ} of {total} differ"
    error = max(float(np.max(np.abs(p - y.astype(np.float64)))) for p, y in pairs)
    if entry.kind == "quantized_softmax":
        bound = softmax_bound(entry, ys[0].shape[-1])
        return error <= bound, f"max error {error:.4f} (bound {bound:.4f})"
    if entry.kind == "float":
        agree = min(float(np.mean(np.argmax(p, axis=-1) == np.argmax(y, axis=-1))) for p, y in pairs)
        ok = error <= FLOAT_TOLERANCE and agree >= 1 - FLOAT_ARGMAX_SLACK
        return ok, f"max error {error:.4f}, argmax agrees {100 * agree:.1f} %"
    return False, f"unknown kind '{entry.kind}'"


def _beyond_float32(p: np.ndarray, y: np.ndarray) -> np.ndarray:
    tolerance = FLOAT32_TAIL * np.maximum(1.0, np.abs(y.astype(np.float64)))
    return np.abs(p - y.astype(np.float64)) > tolerance


def softmax_bound(entry: Entry, n: int) -> float:
    """The table softmax's documented error bound for the entry's options (+ float32)."""
    from ..importers.onnx.softmax import DEFAULT_SOFTMAX_PRECISION, DEFAULT_TABLE_SIZE, SoftmaxTables
    from ..precision_syntax import parse_precision_string

    size = entry.options.get("softmax_table_size") or DEFAULT_TABLE_SIZE
    precision = parse_precision_string(entry.options.get("softmax_precision")
                                       or DEFAULT_SOFTMAX_PRECISION, "softmax_precision")
    tables = SoftmaxTables.design(n, (size - 1).bit_length(), precision)
    return tables.error_bound(n) + 1e-6
