"""``TopK`` with k = 1 (FINN's argmax output) as a comparator tree.

The index of the largest element along the last axis comes out of one max tree: each
element x_i (exact, at resolution 2^-f) gets the code ``(N-1-i) * 2^-(f+b)`` (2^b >= N)
added below its last bit, so the encoded values order first by x and, on ties, by the
lower index (ONNX's rule).  The max pool over the N encoded values is the tree of N-1
comparators; its low b bits are the winner's code, wired out by a wrapping quantize, and
``index = N-1 - code``:

    %codes = fixedpoint.constant [3, 2, 1, 0] f=f+2          (N = 4, b = 2)
    %e = fixedpoint.add %x, %codes
    %m = fixedpoint.maxpool %e kernel [4] strides [4] pads [0, 0]
    %c = fixedpoint.quantize %m to fixed<0,-f,f+2> TRN WRAP   the low 2 bits: wiring
    %i = (N-1) - %c * 2^(f+2)                                 exact, small

The Values output is the max pool of x itself.  A float factor still pending on x (one
for the whole tensor, as the dequantizing scale and bias before FINN's TopK) does not
change the order (a negative one reverses it); ``largest=0`` selects the minimum.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
from xdsl.ir import SSAValue

from ...dialects.fixedpoint import nn_ops, ops
from ...numerics import Format, Overflow, Rounding
from .build import apply_affine, inferred
from .context import ConversionContext, converter
from .exact import Real, dyadic, exact_array
from .values import Affine, Pending, Tensor, Value


def _uniform(values: np.ndarray) -> bool:
    flat = values.ravel()
    return all(v == flat[0] for v in flat[1:])


def _ordered_input(ctx: ConversionContext) -> tuple[SSAValue, Affine | None]:
    """Input 0 as a hardware tensor whose order is the input's, and the one affine map
    (uniform scale and offset) that gives the input's values, or None if exact.

    A pending ``s * x + o`` with one scale s has the order of ``x + (o - o_0) / s``: when
    those offsets are binary fractions (a bipolar activation's -sum of weights, times the
    dequantizing scale), they are added exactly and ``s * . + o_0`` stays pending."""
    x = ctx.value(0, "data")
    if isinstance(x, Pending) and x.affine() is not None:
        affine = x.affine()
        scale = affine.scale.flat[0]
        if _uniform(affine.scale) and scale != 0:
            relative = (affine.offset - affine.offset.flat[0]) * scale.inverse()
            if all(dyadic(v) is not None for v in relative.ravel()):
                ones = exact_array(np.ones(relative.shape, dtype=np.int64))
                base = apply_affine(x.base, Affine(ones, relative), ctx.emit, ctx.where)
                uniform = Affine(affine.scale, np.full(relative.shape, affine.offset.flat[0], dtype=object))
                return base, uniform
    if not isinstance(x, Tensor | Pending):
        raise ctx.error("TopK of a constant or an unquantized graph input is not supported")
    return ctx.tensor(0), None


def _used(ctx: ConversionContext, name: str) -> bool:
    graph = ctx.importer.model.graph
    return bool(name) and (any(name in node.input for node in graph.node)
                           or any(out.name == name for out in graph.output))


def _negated(ctx: ConversionContext, x: SSAValue) -> SSAValue:
    shape = ops.tensor_type(x).shape
    zero = ctx.emit(ops.ConstantOp(np.zeros(shape, dtype=np.int64), 0)).results[0]
    return ctx.emit(inferred(ops.SubOp, zero, x)).results[0]


def _max_along_last(ctx: ConversionContext, x: SSAValue) -> SSAValue:
    n = ops.tensor_type(x).shape[-1]
    op = nn_ops.MaxPoolOp(x, [n], [n], [0, 0], result_type=nn_ops.UNINFERRED)
    ops.set_inferred_type(op)
    return ctx.emit(op).results[0]


@converter("TopK")
def top_k(ctx: ConversionContext) -> list[Value]:
    k = np.asarray(ctx.const(1, "k").array).ravel()
    if k.size != 1 or int(k[0]) != 1:
        raise ctx.error(f"only k = 1 (an argmax) is supported, got k = {k.tolist()}")
    base, affine = _ordered_input(ctx)
    shape = ops.tensor_type(base).shape
    if not shape:
        raise ctx.error("TopK needs a feature axis")
    axis = int(ctx.attr("axis", -1))
    if axis not in (-1, len(shape)):
        raise ctx.error(f"only TopK along the last axis is supported (axis {axis} of a tensor of "
                        f"rank {len(shape) + 1})")
    descending = bool(ctx.attr("largest", 1)) == (affine is None or affine.scale.flat[0].sign() > 0)
    ordered = base if descending else _negated(ctx, base)
    lead = shape[:-1] or (1,)
    n = shape[-1]
    ordered = ctx.emit(ops.ReshapeOp(ordered, lead + (n,))).results[0]
    f = max(iv.f for iv in ops.tensor_type(ordered).interval_array().ravel())
    b = max(1, (n - 1).bit_length())
    codes = np.broadcast_to(np.arange(n - 1, -1, -1, dtype=np.int64), lead + (n,))
    code_op = ctx.emit(ops.ConstantOp(np.ascontiguousarray(codes), f + b)).results[0]
    encoded = ctx.emit(inferred(ops.AddOp, ordered, code_op)).results[0]
    winner = _max_along_last(ctx, encoded)
    code = ctx.emit(ops.QuantizeOp(winner, Format(0, -f, f + b), Rounding.TRN,
                                   Overflow.WRAP)).results[0]
    out_shape = shape[:-1] + (1,)
    ones = exact_array(np.ones(lead + (1,), dtype=np.int64))
    index = Pending(code, (Affine(ones * Real(-Fraction(2) ** (f + b)), ones * Real(n - 1)),))
    index_value = ctx.importer.materialize(index, ctx)
    index_value = ctx.emit(ops.ReshapeOp(index_value, out_shape)).results[0]
    values: Value | None = None  # the Values output costs a second tree: only if read
    if _used(ctx, ctx.node.output[0]):
        best = _max_along_last(ctx, ctx.emit(ops.ReshapeOp(ordered, lead + (n,))).results[0])
        best = best if descending else _negated(ctx, best)
        best = ctx.emit(ops.ReshapeOp(best, out_shape)).results[0]
        values = Tensor(best) if affine is None else Pending(best, (Affine(
            np.full(out_shape, affine.scale.flat[0], dtype=object),
            np.full(out_shape, affine.offset.flat[0], dtype=object)),))
    # an unread Values output is bound to the index tensor, which nothing then reads
    return [values if values is not None else Tensor(index_value), Tensor(index_value)]
