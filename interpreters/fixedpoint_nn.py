"""Bit-exact execution of the fixedpoint convolution and pooling ops, batched.

Convolution is an im2col gather followed by one exact matrix product per group; the
product runs in int64 when a bound on every partial sum shows it cannot overflow, and on
Python integers otherwise, so results are exact either way.
"""

from __future__ import annotations

import numpy as np
from xdsl.interpreter import Interpreter, InterpreterFunctions, impl, register_impls

from ..dialects.fixedpoint import nn_ops
from ..dialects.fixedpoint.ops import constant_values, tensor_type
from .fixed import Fixed

INT64_SAFE = 1 << 62


def exact_matmul(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """``a @ b`` for integer object arrays, exactly, as an object array."""
    if a.size == 0 or b.size == 0:
        return (a @ b).astype(object)
    largest = int(np.max(np.abs(a)))
    column_sum = int(np.max(np.sum(np.abs(b), axis=0)))
    if largest * column_sum < INT64_SAFE:
        return (a.astype(np.int64) @ b.astype(np.int64)).astype(object)
    return a @ b


def _leading_flat(x: Fixed, inner_rank: int) -> tuple[np.ndarray, tuple[int, ...]]:
    """Mantissas as ``(everything else, *inner)`` and the shape of everything else."""
    m = x.mantissas
    outer = m.shape[: m.ndim - inner_rank]
    return m.reshape((-1,) + m.shape[m.ndim - inner_rank:]), outer


@register_impls
class FixedPointNNFunctions(InterpreterFunctions):
    @impl(nn_ops.ConvOp)
    def run_conv(self, interpreter: Interpreter, op: nn_ops.ConvOp, args: tuple[Fixed, ...]):
        x = args[0]
        window = op.window()
        xm, outer = _leading_flat(x, window.rank + 1)
        cols = op.grouped_columns(xm, 0)  # (N, G, P, C/G * taps)
        w, f_w = op.grouped_weight()  # (G, C/G * taps, O/G)
        y = np.stack([exact_matmul(cols[:, g], w[g]) for g in range(len(w))], axis=1)
        n, groups, positions, o_g = y.shape
        y = y.transpose(0, 1, 3, 2).reshape(n, groups * o_g, positions)
        f = x.f + f_w
        if op.bias is not None:
            b, f_b = constant_values(op.bias, "bias", op)
            f_all = max(f, f_b)
            y = y * (1 << (f_all - f)) + (b.astype(object) * (1 << (f_all - f_b)))[None, :, None]
            f = f_all
        out_spatial = window.output_shape(op.spatial_shape())
        return (Fixed(y.reshape(outer + (groups * o_g,) + out_spatial), f),)

    @impl(nn_ops.MaxPoolOp)
    def run_maxpool(self, interpreter: Interpreter, op: nn_ops.MaxPoolOp, args: tuple[Fixed]):
        (x,) = args
        window = op.window()
        lowest = np.min(x.mantissas) if x.mantissas.size else 0  # padding never wins
        y = nn_ops.gather_windows(x.mantissas, window.rank, window, lowest).max(axis=-1)
        return (Fixed(_unflatten_positions(y, op, x), x.f),)

    @impl(nn_ops.AvgPoolOp)
    def run_avgpool(self, interpreter: Interpreter, op: nn_ops.AvgPoolOp, args: tuple[Fixed]):
        (x,) = args
        window = op.window()
        sums = nn_ops.gather_windows(x.mantissas, window.rank, window, 0).sum(axis=-1)
        y = sums * op.scales().astype(object)
        return (Fixed(_unflatten_positions(y, op, x), x.f + op.scale.data.f),)


    @impl(nn_ops.LookupOp)
    def run_lookup(self, interpreter: Interpreter, op: nn_ops.LookupOp, args: tuple[Fixed]):
        (x,) = args
        values = op.values.array((len(op.values.data.mantissas),))
        return (Fixed(values[op.counts(x.mantissas, x.f)], op.values.data.f),)


def _unflatten_positions(y: np.ndarray, op: nn_ops.PoolOp, x: Fixed) -> np.ndarray:
    """``(batch, ..., positions)`` -> ``(batch, *result shape)`` (verified to match)."""
    return np.asarray(y, dtype=object).reshape((x.mantissas.shape[0],) + tensor_type(op.result).shape)
