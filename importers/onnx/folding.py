"""Constant folding with numpy: nodes whose inputs are all compile-time constants.

This evaluates shape-computing subgraphs (Shape -> Gather -> Unsqueeze -> Concat ->
Reshape, as Brevitas exports them) and arithmetic on initializers (e.g. ``Pow(var, 0.5)``)
in numpy with the ONNX dtypes, so float32 stays float32 as in the reference execution.
Data-movement ops keep a constant's exact factorization (see values.Const).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import onnx
from onnx import numpy_helper

from ..weight_values import check_integer_folding
from .context import ConversionContext
from .values import Const, Value


def _attr_or_input(ctx: ConversionContext, name: str, index: int, since: int):
    """An operand that moved from an attribute to an input at opset ``since``."""
    if ctx.opset >= since:
        value = ctx.optional(index)
        return None if value is None else [int(v) for v in np.ravel(value.array)]
    return ctx.attr(name)


def _axis(axis: int, rank: int) -> int:
    return axis + rank if axis < 0 else axis


def unsqueeze_shape(shape: tuple[int, ...], axes: list[int]) -> tuple[int, ...]:
    rank = len(shape) + len(axes)
    axes = sorted(_axis(a, rank) for a in axes)
    out = list(shape)
    for a in axes:
        out.insert(a, 1)
    return tuple(out)


def squeeze_shape(shape: tuple[int, ...], axes: list[int] | None) -> tuple[int, ...]:
    if axes is None:
        return tuple(d for d in shape if d != 1)
    axes = {_axis(a, len(shape)) for a in axes}
    return tuple(d for i, d in enumerate(shape) if i not in axes)


def reshape_target(shape: tuple[int, ...], target: list[int], allowzero: bool) -> tuple[int, ...]:
    out = [shape[i] if (d == 0 and not allowzero) else d for i, d in enumerate(target)]
    if out.count(-1) == 1:
        known = int(np.prod([d for d in out if d != -1]))
        out[out.index(-1)] = int(np.prod(shape)) // max(known, 1)
    return tuple(out)


def flatten_shape(shape: tuple[int, ...], axis: int) -> tuple[int, ...]:
    axis = _axis(axis, len(shape))
    return (int(np.prod(shape[:axis])), int(np.prod(shape[axis:])))


def movement_function(ctx: ConversionContext) -> Callable[[np.ndarray], np.ndarray]:
    """The shape function of a data-movement node, applied to a full ONNX array."""
    op = ctx.node.op_type
    if op == "Identity":
        return lambda a: a
    if op == "Reshape":
        target = [int(v) for v in ctx.const(1, "shape").array.ravel()]
        allowzero = bool(ctx.attr("allowzero", 0))
        return lambda a: a.reshape(reshape_target(a.shape, target, allowzero))
    if op == "Flatten":
        axis = ctx.attr("axis", 1)
        return lambda a: a.reshape(flatten_shape(a.shape, axis))
    if op == "Transpose":
        perm = ctx.attr("perm")
        return lambda a: np.transpose(a, perm)
    if op == "Unsqueeze":
        axes = _attr_or_input(ctx, "axes", 1, 13)
        return lambda a: a.reshape(unsqueeze_shape(a.shape, axes))
    assert op == "Squeeze"
    axes = _attr_or_input(ctx, "axes", 1, 13)
    return lambda a: a.reshape(squeeze_shape(a.shape, axes))


DATA_MOVEMENT = ("Identity", "Reshape", "Flatten", "Transpose", "Unsqueeze", "Squeeze")


def _constant(ctx: ConversionContext, arrays):
    for a in ctx.node.attribute:
        value = onnx.helper.get_attribute_value(a)
        if a.name == "value":
            return numpy_helper.to_array(value)
        if a.name in ("value_float", "value_floats"):
            return np.array(value, dtype=np.float32)
        if a.name in ("value_int", "value_ints"):
            return np.array(value, dtype=np.int64)
    raise ctx.error("Constant without a supported value attribute")


def _gather(ctx, arrays):
    data, indices = arrays
    return np.take(data, indices.astype(np.int64), axis=ctx.attr("axis", 0))


def _concat(ctx, arrays):
    return np.concatenate([np.asarray(a) for a in arrays], axis=ctx.attr("axis"))


def _slice(ctx, arrays):
    data = arrays[0]
    if ctx.opset >= 10:
        starts, ends = arrays[1], arrays[2]
        axes = arrays[3] if len(arrays) > 3 and arrays[3] is not None else range(len(starts))
        steps = arrays[4] if len(arrays) > 4 and arrays[4] is not None else [1] * len(starts)
    else:
        starts, ends = ctx.attr("starts"), ctx.attr("ends")
        axes = ctx.attr("axes", list(range(len(starts))))
        steps = [1] * len(starts)
    index = [slice(None)] * data.ndim
    for s, e, a, st in zip(starts, ends, axes, steps):
        index[_axis(int(a), data.ndim)] = slice(int(s), int(e), int(st))
    return data[tuple(index)]


def _cast(ctx, arrays):
    return arrays[0].astype(onnx.helper.tensor_dtype_to_np_dtype(ctx.attr("to")))


def _div(ctx, arrays):
    a, b = arrays
    if np.issubdtype(a.dtype, np.integer):
        return (np.sign(a) * np.sign(b) * (np.abs(a) // np.abs(b))).astype(a.dtype)
    return np.divide(a, b).astype(a.dtype)


def _binary(fn):
    return lambda ctx, arrays: fn(arrays[0], arrays[1]).astype(arrays[0].dtype)


def _unary(fn):
    return lambda ctx, arrays: fn(arrays[0]).astype(arrays[0].dtype)


def _constant_of_shape(ctx, arrays):
    value = ctx.attr("value")
    fill = numpy_helper.to_array(value) if value is not None else np.zeros(1, dtype=np.float32)
    return np.full([int(d) for d in arrays[0]], fill.ravel()[0], dtype=fill.dtype)


ARITHMETIC: dict[str, Callable] = {
    "Constant": _constant,
    "Gather": _gather,
    "Concat": _concat,
    "Slice": _slice,
    "Cast": _cast,
    "Add": _binary(np.add),
    "Sub": _binary(np.subtract),
    "Mul": _binary(np.multiply),
    "Div": _div,
    "Pow": _binary(np.power),
    "MatMul": _binary(np.matmul),
    "Min": _binary(np.minimum),
    "Max": _binary(np.maximum),
    "Sqrt": _unary(np.sqrt),
    "Neg": _unary(np.negative),
    "Abs": _unary(np.abs),
    "Reciprocal": _unary(np.reciprocal),
    "ConstantOfShape": _constant_of_shape,
    "Relu": _unary(lambda a: np.maximum(a, 0)),
}

FOLDERS = set(ARITHMETIC) | set(DATA_MOVEMENT)


def fold_node(ctx: ConversionContext) -> list[Value]:
    op = ctx.node.op_type
    if op in DATA_MOVEMENT:
        return [ctx.const(0, "data").map_shape(movement_function(ctx))]
    arrays = [None if v is None else np.asarray(v.array) for v in ctx.inputs]
    with np.errstate(all="ignore"):
        result = ARITHMETIC[op](ctx, arrays)
    check_integer_folding(op, arrays, result, lambda exact: ARITHMETIC[op](ctx, exact), ctx.where)
    return [Const(np.asarray(result))]
