"""How fixedpoint-to-cmvm lowers conv, maxpool, avgpool and lookup (dialects/fixedpoint/nn_ops).

A convolution is one matrix per group applied at every output position.  Positions whose
window lies inside the input share one kernel function (the optimizer solves the matrix
once); a border position drops the taps that fall on the zero padding, and border
positions with the same padded taps share a kernel of their own, so no adder ever sees a
padding zero:

    conv 1x4 input, kernel 3, pads [1, 1]  ->  positions 1, 2: call @kernel_0 (3 taps)
                                               position 0: @kernel_1 (taps 1, 2)
                                               position 3: @kernel_2 (taps 0, 1)

Max pooling is a balanced tree of ``cmvm.max`` over the window's elements inside the
input.  Average pooling is ``scale * sum`` over those elements: a one-row matrix whose
entries are the scale's mantissa, shared by every (channel, position) with the same taps
and scale.  A lookup is, per element, the table ``threshold_to_lookup`` builds for a step
function (truncate to the breaks' grid, clamp, ``cmvm.lookup``).
"""

from __future__ import annotations

import numpy as np

from ..dialects.cmvm import ops as cmvm
from ..dialects.fixedpoint import nn_ops
from ..dialects.fixedpoint.ops import constant_values
from .fixedpoint_to_cmvm import Scalarizer, lowers
from .threshold_to_lookup import threshold_scalar


def _by_tap_pattern(valid: np.ndarray) -> dict[bytes, np.ndarray]:
    """Positions grouped by which taps are inside the input: pattern -> position indices."""
    groups: dict[bytes, list[int]] = {}
    for p, row in enumerate(valid):
        groups.setdefault(row.tobytes(), []).append(p)
    return {key: np.array(positions) for key, positions in groups.items()}


@lowers(nn_ops.ConvOp)
def lower_conv(s: Scalarizer, op: nn_ops.ConvOp) -> np.ndarray:
    window = op.window()
    x = s.scalars(op.input)
    lead_shape = x.shape[: x.ndim - window.rank - 1]
    cols = op.grouped_columns(x.reshape((-1,) + x.shape[len(lead_shape):]), None)
    n, groups, positions, k = cols.shape
    w, f_w = op.grouped_weight()  # (G, K, O/G)
    o_g = w.shape[2]
    channels = k // int(np.prod(window.kernel))
    inside = np.tile(window.gather_indices(op.spatial_shape()) >= 0, (1, channels))  # (P, K)
    y = np.empty((n, groups, positions, o_g), dtype=object)
    for pattern in _by_tap_pattern(inside).values():
        taps = inside[pattern[0]]
        if not taps.any():  # the whole window is padding: only the bias remains
            y[:, :, pattern] = s.constant(0, 0)
            continue
        for g in range(groups):
            rows = cols[:, g][:, pattern][:, :, taps].reshape(-1, int(taps.sum()))
            out = s.shared_matrix(rows, w[g][taps].T, -f_w)
            y[:, g, pattern] = out.reshape(n, len(pattern), o_g)
    y = y.transpose(0, 1, 3, 2).reshape(n, groups * o_g, positions)
    if op.bias is not None:
        b, f_b = constant_values(op.bias, "bias", op)
        for o, m in enumerate(b):
            if m:
                c = s.constant(m, f_b)
                for index in np.ndindex(n, positions):
                    y[index[0], o, index[1]] = s.emit(cmvm.AddOp(y[index[0], o, index[1]], c)).results[0]
    out_spatial = window.output_shape(op.spatial_shape())
    return y.reshape(lead_shape + (groups * o_g,) + out_spatial)


def _windows(op: nn_ops.PoolOp, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``(..., positions, taps)`` scalars (None on padding) and the in-input tap mask."""
    window = op.window()
    gathered = nn_ops.gather_windows(x, window.rank, window, None)
    return gathered, window.gather_indices(op.spatial_shape()) >= 0


def _result_shape(op: nn_ops.PoolOp, x: np.ndarray) -> tuple[int, ...]:
    window = op.window()
    return x.shape[: x.ndim - window.rank] + window.output_shape(op.spatial_shape())


@lowers(nn_ops.MaxPoolOp)
def lower_maxpool(s: Scalarizer, op: nn_ops.MaxPoolOp) -> np.ndarray:
    x = s.scalars(op.input)
    gathered, inside = _windows(op, x)
    out = np.empty(gathered.shape[:-1], dtype=object)
    for index in np.ndindex(*out.shape):
        items = list(gathered[index][inside[index[-1]]])
        while len(items) > 1:  # a balanced tree: depth log2(window)
            pairs = [s.emit(cmvm.MaxOp(a, b)).results[0] for a, b in zip(items[::2], items[1::2])]
            items = pairs + items[len(pairs) * 2:]
        out[index] = items[0]
    return out.reshape(_result_shape(op, x))


@lowers(nn_ops.AvgPoolOp)
def lower_avgpool(s: Scalarizer, op: nn_ops.AvgPoolOp) -> np.ndarray:
    x = s.scalars(op.input)
    gathered, inside = _windows(op, x)
    flat = gathered.reshape(-1, *gathered.shape[-2:])  # (channels, positions, taps)
    scales = op.scales()
    out = np.empty(flat.shape[:2], dtype=object)
    keys = {}
    for p in range(flat.shape[1]):
        keys.setdefault((inside[p].tobytes(), int(scales[p])), []).append(p)
    for (_, scale), positions in keys.items():
        taps = inside[positions[0]]
        rows = flat[:, positions][:, :, taps].reshape(-1, int(taps.sum()))
        w = np.full((1, rows.shape[1]), scale, dtype=object)
        out[:, positions] = s.shared_matrix(rows, w, -op.scale.data.f).reshape(
            flat.shape[0], len(positions))
    return out.reshape(_result_shape(op, x))


@lowers(nn_ops.LookupOp)
def lower_lookup(s: Scalarizer, op: nn_ops.LookupOp) -> np.ndarray:
    x = s.scalars(op.input)
    breaks = np.array(op.breaks.data.mantissas, dtype=object)
    values = np.array(op.values.data.mantissas, dtype=object)
    f_b, f_v = op.breaks.data.f, op.values.data.f
    out = np.empty(x.size, dtype=object)
    out[:] = [threshold_scalar(s.emit, xe, breaks, f_b, values, f_v) for xe in x.ravel()]
    return out.reshape(x.shape)
