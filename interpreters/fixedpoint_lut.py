"""Bit-exact execution of the step-function ops (dialects/fixedpoint/lut_ops.py)."""

from __future__ import annotations

from typing import Any

import numpy as np
from xdsl.interpreter import Interpreter, InterpreterFunctions, impl, register_impls

from ..dialects.fixedpoint import lut_ops
from .fixed import Fixed, as_python_ints

_INT64_SAFE = 1 << 62


def _small(*arrays: np.ndarray) -> bool:
    return all(a.size == 0 or max(abs(int(a.max())), abs(int(a.min()))) < _INT64_SAFE for a in arrays)


@register_impls
class FixedPointLutFunctions(InterpreterFunctions):
    @impl(lut_ops.ThresholdOp)
    def run_threshold(self, interpreter: Interpreter, op: lut_ops.ThresholdOp,
                      args: tuple[Fixed]) -> tuple[Any, ...]:
        (x,) = args
        f = max(x.f, op.thresholds.data.f)
        xm = x.at(f)
        t = op.threshold_array() * (1 << (f - op.thresholds.data.f))
        v = op.value_array()
        if _small(xm, t, v):
            xm, t, v = xm.astype(np.int64), t.astype(np.int64), v.astype(np.int64)
        counts = np.zeros(xm.shape, dtype=np.int64)
        for j in range(t.shape[-1]):
            counts += xm >= t[..., j]
        table = np.broadcast_to(v, xm.shape + v.shape[-1:])
        y = np.take_along_axis(table, counts[..., None], axis=-1)[..., 0]
        return (Fixed(as_python_ints(y) if y.dtype != object else y, op.values.data.f),)
