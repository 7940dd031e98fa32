"""How fixedpoint-to-cmvm lowers the sliding-window ops and shared step tables.

``conv``: the input is unfolded into one row of scalars per output position (im2col, zero
padding as the constant 0) and the kernel, one weight matrix per group, is applied to the
rows by ``Scalarizer.shared_matrix``: padding drops out with its weight columns, and all
positions whose windows reach the same inputs (the interior; each edge and corner) share
one kernel function, so the optimizer solves each such matrix once and those positions
instantiate the same adder graph.  (Keeping the padded inputs would cost a border
position the full kernel's adders: conv2d_small_keras 4176 adders against 3835.)  ``maxpool``: a balanced tree of ``cmvm.max`` over the
window's real elements.  ``avgpool``: per position a one-row matrix whose entries are the
scale (``scale * sum`` exactly).  ``lookup``: the step table of every element, as a
threshold.
"""

from __future__ import annotations

import numpy as np
from xdsl.ir import Operation

from ...dialects.cmvm import ops as cmvm
from ...dialects.fixedpoint import ops as fp
from ...dialects.fixedpoint.nn_ops import (
    AvgPoolOp,
    ConvOp,
    LookupOp,
    MaxPoolOp,
    gather_windows,
)
from .scalarizer import Lowering, Scalarizer
from .thresholds import threshold_scalar

PADDING = None
"""The fill of a gathered window position that lies in the padding."""


def lower_conv(s: Scalarizer, op: ConvOp) -> np.ndarray:
    x = s.scalars(op.input)
    rank = op.window().rank
    image_shape = x.shape[len(x.shape) - rank - 1:]
    lead = x.shape[: len(x.shape) - rank - 1]
    images = x.reshape((-1,) + image_shape)
    zero = s.constant(0, 0)
    cols = op.grouped_columns(images, zero)  # (L, G, P, K)
    w, f_w = op.grouped_weight()  # (G, K, O/G)
    n_images, groups, positions, _ = cols.shape
    o_g = w.shape[2]
    out = np.empty((n_images, groups * o_g, positions), dtype=object)
    for g in range(groups):
        rows = cols[:, g].reshape(n_images * positions, -1)
        y = s.shared_matrix(rows, w[g].T, -f_w).reshape(n_images, positions, o_g)
        out[:, g * o_g:(g + 1) * o_g, :] = y.transpose(0, 2, 1)
    if op.bias is not None:
        b, f_b = fp.constant_values(op.bias, "bias", op)
        for channel, m in enumerate(b):
            if m:
                c = s.constant(m, f_b)
                for index in np.ndindex(n_images, positions):
                    image, p = index
                    out[image, channel, p] = s.emit(cmvm.AddOp(out[image, channel, p], c)).results[0]
    spatial = op.window().output_shape(op.spatial_shape())
    return out.reshape(lead + (groups * o_g,) + spatial)


def _windows(s: Scalarizer, op) -> tuple[np.ndarray, tuple[int, ...]]:
    x = s.scalars(op.input)
    window = op.window()
    lead = x.shape[: x.ndim - window.rank]
    return gather_windows(x, window.rank, window, PADDING), lead + window.output_shape(op.spatial_shape())


def _balanced(s: Scalarizer, values: list, combine) -> object:
    while len(values) > 1:
        pairs = [s.emit(combine(a, b)).results[0] for a, b in zip(values[::2], values[1::2])]
        values = pairs + ([values[-1]] if len(values) % 2 else [])
    return values[0]


def lower_maxpool(s: Scalarizer, op: MaxPoolOp) -> np.ndarray:
    windows, shape = _windows(s, op)
    out = np.empty(windows.shape[:-1], dtype=object)
    for index in np.ndindex(out.shape):
        real = [v for v in windows[index] if v is not PADDING]
        out[index] = _balanced(s, real, cmvm.MaxOp)
    return out.reshape(shape)


def lower_avgpool(s: Scalarizer, op: AvgPoolOp) -> np.ndarray:
    windows, shape = _windows(s, op)
    scales, f_s = op.scales(), op.scale.data.f
    out = np.empty(windows.shape[:-1], dtype=object)
    for index in np.ndindex(out.shape):
        real = [v for v in windows[index] if v is not PADDING]
        row = np.array([[int(scales[index[-1]])] * len(real)], dtype=object)
        out[index] = s.matrix(real, row, -f_s)[0]
    return out.reshape(shape)


def lower_lookup(s: Scalarizer, op: LookupOp) -> np.ndarray:
    x = s.scalars(op.input)
    breaks = np.array(op.breaks.data.mantissas, dtype=object)
    values = np.array(op.values.data.mantissas, dtype=object)
    f_b, f_v = op.breaks.data.f, op.values.data.f
    out = np.empty(x.shape, dtype=object)
    for index in np.ndindex(x.shape):
        out[index] = threshold_scalar(s.emit, x[index], breaks, f_b, values, f_v)
    return out


WINDOW_LOWERINGS: dict[type[Operation], Lowering] = {
    ConvOp: lower_conv,
    MaxPoolOp: lower_maxpool,
    AvgPoolOp: lower_avgpool,
    LookupOp: lower_lookup,
}
