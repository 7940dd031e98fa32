"""The ``qonnx.custom_op.channels_last`` domain: Conv, MaxPool, AveragePool and
BatchNormalization on channels-last tensors, as qonnx's ``to_channels_last`` writes them.

Each such node is its standard op between two transposes of the feature axes, which are
wiring: the input (H, W, C) is permuted to (C, H, W), the standard converter runs with the
node's own attributes, and its result is permuted back::

    qonnx.custom_op.channels_last.Conv(x: [N, H, W, C], w: [O, C, kh, kw])
      -> fixedpoint.transpose x [2, 0, 1]; fixedpoint.conv ...; fixedpoint.transpose [1, 2, 0]
"""

from __future__ import annotations

import numpy as np

from ...dialects.fixedpoint import ops
from .context import ConversionContext, converter, find_converter
from .values import Const, HostInput, Pending, Tensor, Value

CHANNELS_LAST_DOMAIN = "qonnx.custom_op.channels_last"


def transposed(ctx: ConversionContext, value: Value, perm: list[int]) -> Value:
    """A value with its feature axes permuted (``perm`` over the feature axes)."""
    if isinstance(value, HostInput):
        shape = tuple(value.shape[p] for p in perm)
        return value.then("transpose", np.array(perm, dtype=np.int64), shape)
    if isinstance(value, Const):
        return value.map_shape(lambda a: np.transpose(a, [0] + [p + 1 for p in perm]))
    if isinstance(value, Tensor):
        return Tensor(ctx.emit(ops.TransposeOp(value.value, perm)).results[0])
    if isinstance(value, Pending):
        base = ctx.emit(ops.TransposeOp(value.base, perm)).results[0]
        return Pending(base, tuple(s.map_shape(lambda a: np.transpose(a, perm)) for s in value.steps))
    raise ctx.error("unsupported input kind")


@converter("Conv", domains=(CHANNELS_LAST_DOMAIN,))
@converter("MaxPool", domains=(CHANNELS_LAST_DOMAIN,))
@converter("AveragePool", domains=(CHANNELS_LAST_DOMAIN,))
@converter("BatchNormalization", domains=(CHANNELS_LAST_DOMAIN,))
def channels_last(ctx: ConversionContext) -> list[Value]:
    x = ctx.input(0, "data")
    rank = len(x.array.shape) - 1 if isinstance(x, Const) else len(x.shape)
    if rank < 2:
        raise ctx.error(f"a channels-last {ctx.node.op_type} needs a channel and a spatial axis")
    to_first = [rank - 1] + list(range(rank - 1))
    to_last = list(range(1, rank)) + [0]
    standard = find_converter("", ctx.node.op_type)
    inner = ConversionContext(ctx.importer, ctx.node, [transposed(ctx, x, to_first)] + ctx.inputs[1:])
    outputs = list(standard(inner))
    return [transposed(ctx, outputs[0], to_last)] + outputs[1:]
