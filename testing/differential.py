"""Differential testing: one fixedpoint network, every execution of it, the same bits.

``run_differential(module, x)`` compiles a (precision-inferred) fixedpoint module step by
step and runs the input batch ``x`` through

    fixedpoint          the fixedpoint interpreter: the reference
    cmvm                after fixedpoint-to-cmvm, the cmvm interpreter
    cmvm-optimized      after cmvm-optimize (adder graphs)
    rtl                 after cmvm-to-rtl, the rtl interpreter (combinational)
    rtl-cutoff<c>       after rtl-pipeline{cutoff=c}, cycle by cycle, for each c
    verilator[-cutoff<c>] the emitted Verilog under Verilator (when asked and installed)

and returns, per stage, how many input vectors gave an output that differs from the
reference in any bit.  Outputs are compared as exact values (mantissa times 2^-f).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from xdsl.context import Context
from xdsl.dialects import builtin

from ..interpreters import cmvm as cmvm_interp
from ..interpreters import rtl as rtl_interp
from ..interpreters.fixedpoint import Fixed, run_function
from ..lowering.cmvm_to_rtl import CmvmToRtl
from ..lowering.fixedpoint_to_cmvm import FixedPointToCmvm
from ..transforms.cmvm_optimize import CmvmOptimize
from ..transforms.rtl_pipeline import RtlPipeline


@dataclass
class StageResult:
    stage: str
    vectors: int
    mismatches: int
    latency: int | None = None


def _exact(columns: Sequence[tuple[np.ndarray, int]], f: int) -> np.ndarray:
    """(batch, n) Python-integer mantissas at resolution ``f`` (finer than every input)."""
    return np.stack([np.asarray(m).astype(object) * (1 << (f - mf)) for m, mf in columns], axis=1)


def _mismatching_rows(got: Sequence[tuple[np.ndarray, int]], want: Sequence[tuple[np.ndarray, int]]) -> int:
    if len(got) != len(want):
        raise AssertionError(f"{len(got)} outputs, expected {len(want)}")
    f = max(mf for _, mf in [*got, *want])
    return int(np.any(_exact(got, f) != _exact(want, f), axis=1).sum())


def _fixed_columns(outputs: Sequence[Fixed]) -> list[tuple[np.ndarray, int]]:
    columns = []
    for out in outputs:
        flat = np.asarray(out.mantissas).reshape(out.mantissas.shape[0], -1)
        columns.extend((flat[:, j], out.f) for j in range(flat.shape[1]))
    return columns


def _rescale(m: np.ndarray, from_f: int, to_f: int) -> np.ndarray:
    m = np.asarray(m).astype(object)
    if to_f >= from_f:
        return m * (1 << (to_f - from_f))
    step = 1 << (from_f - to_f)
    assert not np.any(m % step), "an input value is finer than its port"
    return m // step


def _rtl_inputs(hardware, columns: Sequence[tuple[np.ndarray, int]]) -> np.ndarray:
    ports = [fmt for _, _, fmt in hardware.inputs]
    cols = [_rescale(m, mf, fmt.f) for (m, mf), fmt in zip(columns, ports)]
    wide = any(fmt.width > 62 for fmt in ports)
    array = np.stack(cols, axis=1) if cols else np.zeros((len(columns[0][0]) if columns else 0, 0))
    return array if wide else array.astype(np.int64)


def _rtl_columns(hardware, outputs: np.ndarray) -> list[tuple[np.ndarray, int]]:
    return [(outputs[:, j], fmt.f) for j, (_, _, fmt) in enumerate(hardware.outputs)]


def run_differential(module: builtin.ModuleOp, x: Fixed, cutoffs: Sequence[int] = (1, 2, 3),
                     verilator: Sequence[int] = ()) -> list[StageResult]:
    """Compare every stage on the batch ``x`` (see the module docstring).  ``module`` must
    have one public function and be precision-inferred; it is not modified.
    ``verilator`` lists the cutoffs (0 = combinational) to co-simulate with Verilator."""
    batch = x.mantissas.shape[0]
    module = module.clone()
    (reference,) = [run_function(module, [x])]
    want = _fixed_columns(reference)
    flat = np.asarray(x.mantissas).reshape(batch, -1)
    in_columns = [(flat[:, j], x.f) for j in range(flat.shape[1])]
    results: list[StageResult] = []

    def record(stage: str, got, latency=None):
        results.append(StageResult(stage, batch, _mismatching_rows(got, want), latency))

    ctx = Context()
    FixedPointToCmvm().apply(ctx, module)
    module.verify()
    scalars = [Fixed(m, f) for m, f in in_columns]
    record("cmvm", _fixed_columns(cmvm_interp.run_function(module, scalars)))
    CmvmOptimize().apply(ctx, module)
    module.verify()
    record("cmvm-optimized", _fixed_columns(cmvm_interp.run_function(module, scalars)))
    CmvmToRtl().apply(ctx, module)
    module.verify()
    hardware = rtl_interp.single_module(module)
    inputs = _rtl_inputs(hardware, in_columns)
    record("rtl", _rtl_columns(hardware, rtl_interp.simulate(hardware, inputs)), 0)
    designs = {0: module}
    for cutoff in cutoffs:
        pipelined = module.clone()
        RtlPipeline(cutoff=cutoff).apply(ctx, pipelined)
        pipelined.verify()
        designs[cutoff] = pipelined
        piped = rtl_interp.single_module(pipelined)
        record(f"rtl-cutoff{cutoff}", _rtl_columns(piped, rtl_interp.simulate(piped, inputs)),
               piped.latency_cycles)
    for cutoff in verilator:
        from ..verification.verilator_sim import simulate_verilog

        if cutoff not in designs:
            designs[cutoff] = module.clone()
            RtlPipeline(cutoff=cutoff).apply(ctx, designs[cutoff])
        design = rtl_interp.single_module(designs[cutoff])
        name = "verilator" + (f"-cutoff{cutoff}" if cutoff else "")
        record(name, _rtl_columns(design, simulate_verilog(design, inputs)), design.latency_cycles)
    return results

