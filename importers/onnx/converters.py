"""Converters of the standard ONNX ops (domain "") on hardware values.

Float arithmetic with constants (Add, Sub, Mul, Div, BatchNormalization) is not emitted: it
stays ``Pending`` (exact, symbolic) until a quantizer folds it into thresholds, a graph
output records it for the host, or an op that needs exact fixed-point values materializes
it (only possible when every factor is a power of two).  On a float graph input before
its quantizer, the same ops are recorded as host-side float32 pre-ops.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
from xdsl.ir import SSAValue

from ...dialects.fixedpoint import ops
from .build import dyadic_mantissas, exact_constant_op, inferred
from .context import ConversionContext, converter
from .exact import NotExact, Real, exact_array, exact_dot, power_of_two_exponent
from .folding import movement_function
from .values import (
    Affine,
    Const,
    HostInput,
    Pending,
    Clip,
    Tensor,
    Value,
    identity_affine,
    relu_step,
)

# ------------------------------------------------------------------ data movement


def _moved(ctx: ConversionContext, shape: tuple[int, ...]) -> tuple[tuple[int, ...], np.ndarray]:
    """The feature shape after the node, and where each result element comes from."""
    index = np.arange(int(np.prod(shape, dtype=np.int64))).reshape((1,) + shape)
    moved = movement_function(ctx)(index)
    if moved.ndim == 0 or moved.shape[0] != 1:
        raise ctx.error(f"moves the batch axis (result shape {list(moved.shape)}); only the "
                        "feature axes of a hardware tensor may be reshaped or permuted")
    return moved.shape[1:], moved[0]


def _steps_moved(steps, source: np.ndarray):
    return tuple(s.map_shape(lambda a: a.ravel()[source]) for s in steps)


@converter("Identity")
def identity(ctx: ConversionContext) -> list[Value]:
    return [ctx.input(0, "data")]


@converter("Reshape")
@converter("Flatten")
@converter("Transpose")
@converter("Squeeze")
@converter("Unsqueeze")
def data_movement(ctx: ConversionContext) -> list[Value]:
    x = ctx.input(0, "data")
    if isinstance(x, HostInput):  # wiring: recorded for the host, replayed as wires
        shape, source = _moved(ctx, x.shape)
        if np.array_equal(source.ravel(), np.arange(source.size)):
            return [x.then("reshape", np.array(shape, dtype=np.int64), shape)]
        perm = ctx.attr("perm") or list(range(len(x.shape), -1, -1))
        return [x.then("transpose", np.array([p - 1 for p in perm[1:]], dtype=np.int64), shape)]
    if isinstance(x, Tensor | Pending):
        base = x.value if isinstance(x, Tensor) else x.base
        old_shape = x.shape
        shape, source = _moved(ctx, old_shape)
        if ctx.node.op_type == "Transpose":
            perm = ctx.attr("perm") or list(range(len(old_shape), -1, -1))
            new_base = ctx.emit(ops.TransposeOp(base, [p - 1 for p in perm[1:]])).results[0]
        elif shape != old_shape:
            new_base = ctx.emit(ops.ReshapeOp(base, shape)).results[0]
        else:
            new_base = base
        if isinstance(x, Tensor):
            return [Tensor(new_base)]
        return [Pending(new_base, _steps_moved(x.steps, source))]
    raise ctx.error("unsupported input kind")


@converter("Shape")
def shape(ctx: ConversionContext) -> list[Value]:
    x = ctx.input(0, "data")
    shape = x.array.shape if isinstance(x, Const) else (1,) + tuple(x.shape)
    dims = np.array(shape, dtype=np.int64)
    start, end = ctx.attr("start", 0), ctx.attr("end")
    return [Const(dims[start:end])]


# ------------------------------------------------------------------------ linear


def _affine_input(ctx: ConversionContext) -> tuple[SSAValue, Affine, np.ndarray]:
    """Input 0 of a matrix product as (base, affine map over it, the affine scale of each
    row).  The scale must not vary along the contracted axis to move past the product; a
    clip, or such a scale that is dyadic, is applied in hardware first."""
    x = ctx.value(0, "data")
    if isinstance(x, Pending) and x.affine() is not None:
        affine = x.affine()
        rows = _row_scale(affine.scale)
        if rows is not None:
            return x.base, affine, rows
        if not affine.is_dyadic():
            raise ctx.error("the input's float scale differs along the contracted axis; it "
                            "cannot be moved past the matrix product exactly")
    base = ctx.tensor(0)
    identity = identity_affine(ops.tensor_type(base).shape)
    return base, identity, _row_scale(identity.scale)


def _row_scale(scale: np.ndarray) -> np.ndarray | None:
    """The factor of each row of a (..., K) input, or None if it varies along K."""
    rows = scale.reshape(-1, scale.shape[-1])
    if any(any(v != row[0] for v in row[1:]) for row in rows):
        return None
    return rows[:, 0].reshape(scale.shape[:-1])


def weight_factors(ctx: ConversionContext, w: Const, alpha: Real) -> tuple[np.ndarray, int, np.ndarray]:
    """A constant (K, J) weight as ``m * 2**-f * column_scale`` with integer m.

    A quantizer's output keeps its integers, with the scale factored out when it is one
    number per column; any other constant is used exactly as the binary fraction it is."""
    if w.integers is not None and np.all(w.scale == w.scale[:1]):
        columns = exact_array(w.scale[0]) * alpha
        return _fold_powers_of_two(w.integers.astype(object), 0, columns)
    m, f = dyadic_mantissas(w.exact(), ctx.where, "weight")
    return _fold_powers_of_two(m, f, exact_array(np.ones(m.shape[1], dtype=np.int64)) * alpha)


def _fold_powers_of_two(m: np.ndarray, f: int, columns: np.ndarray):
    exponents = [power_of_two_exponent(c) for c in columns]
    if any(e is None for e in exponents):
        return m, f, columns
    f_new = max([f] + [f - e for e in exponents])
    m = m.copy()
    for j, e in enumerate(exponents):
        m[:, j] = m[:, j] * (1 << (f_new - f + e))
    return m, f_new, exact_array(np.ones(len(columns), dtype=np.int64))


def _dense(ctx: ConversionContext, w: Const, alpha: Real, bias: np.ndarray | None) -> list[Value]:
    x = ctx.input(0, "data")
    if isinstance(x, Const):
        raise ctx.error("a product of constants with a constant first operand is not supported")
    shape = tuple(x.shape)
    if not shape or w.array.ndim != 2 or shape[-1] != w.array.shape[0]:
        raise ctx.error(f"cannot multiply a tensor of shape {[1, *shape]} by a weight of shape "
                        f"{list(w.array.shape)}")
    base, affine, rows = _affine_input(ctx)
    m, f, columns = weight_factors(ctx, w, alpha)
    weight = ctx.emit(ops.ConstantOp(m, f)).results[0]
    y = ctx.emit(inferred(ops.DenseOp, base, weight, None)).results[0]
    out_shape = ops.tensor_type(y).shape
    scale = np.multiply.outer(rows, columns).reshape(out_shape)
    if any(o != 0 for o in affine.offset.ravel()):
        try:
            offset = exact_dot(affine.offset, m) * (columns * Real(Fraction(1, 2) ** f))
        except NotExact as e:
            raise ctx.error(f"cannot be folded exactly: {e}") from e
    else:
        offset = exact_array(np.zeros(out_shape, dtype=np.int64))
    if bias is not None:
        offset = offset + bias
    result = Affine(scale.astype(object), np.asarray(offset, dtype=object).reshape(out_shape))
    if result.is_identity():
        return [Tensor(y)]
    return [Pending(y, (result,))]


@converter("MatMul")
def matmul(ctx: ConversionContext) -> list[Value]:
    return _dense(ctx, ctx.const(1, "weight"), Real(1), None)


@converter("Gemm")
def gemm(ctx: ConversionContext) -> list[Value]:
    if ctx.attr("transA", 0):
        raise ctx.error("transA=1 would transpose the batch axis; not supported")
    w = ctx.const(1, "weight")
    if ctx.attr("transB", 0):
        w = w.map_shape(lambda a: np.transpose(a))
    alpha = Real.of(np.float32(ctx.attr("alpha", 1.0)))
    bias = None
    if ctx.optional(2) is not None:
        beta = Real.of(np.float32(ctx.attr("beta", 1.0)))
        c = ctx.exact_const(2, "bias")
        bias = ctx.broadcast(c, (w.array.shape[1],), "bias") * beta
    return _dense(ctx, w, alpha, bias)


# --------------------------------------------------------------------- elementwise


def _pending(x: Tensor | Pending) -> Pending:
    return x if isinstance(x, Pending) else Pending(x.value, ())


def _exact_operand(ctx: ConversionContext, c: Const, shape, role: str) -> np.ndarray:
    return ctx.broadcast(c.exact(), shape, role)


_HOST_OPS = {"Add": "add", "Sub": "sub", "Mul": "mul", "Div": "div"}


def _with_constant(ctx: ConversionContext, x: Value, c: Const, constant_first: bool) -> Value:
    op = ctx.node.op_type
    if isinstance(x, HostInput) and not constant_first:
        operand = ctx.broadcast(c.array.astype(np.float32), x.shape, "constant")
        return x.then(_HOST_OPS[op], np.ascontiguousarray(operand))
    if isinstance(x, HostInput):
        x = ctx.importer.hardware(x, ctx)
    if not isinstance(x, Tensor | Pending):
        raise ctx.error("unsupported input kind")
    shape = x.shape
    k = _exact_operand(ctx, c, shape, "constant")
    one = exact_array(np.ones(shape, dtype=np.int64))
    zero = exact_array(np.zeros(shape, dtype=np.int64))
    if op == "Add":
        step = Affine(one, k)
    elif op == "Sub":
        step = Affine(-one, k) if constant_first else Affine(one, -k)
    elif op == "Mul":
        step = Affine(k, zero)
    else:
        if constant_first:
            raise ctx.error("division by a hardware tensor is not supported")
        if any(v == 0 for v in k.ravel()):
            raise ctx.error("division by zero")
        step = Affine(np.vectorize(lambda v: v.inverse(), otypes=[object])(k), zero)
    return _pending(x).then(step)


@converter("Add")
@converter("Sub")
@converter("Mul")
@converter("Div")
def arithmetic(ctx: ConversionContext) -> list[Value]:
    a, b = ctx.input(0, "left operand"), ctx.input(1, "right operand")
    if isinstance(b, Const):
        return [_with_constant(ctx, a, b, constant_first=False)]
    if isinstance(a, Const):
        return [_with_constant(ctx, b, a, constant_first=True)]
    op = ctx.node.op_type
    if op not in ("Add", "Sub"):
        raise ctx.error(f"{op} of two hardware tensors is not supported (one operand must be "
                        "a constant)")
    cls = ops.AddOp if op == "Add" else ops.SubOp
    a, b = ctx.value(0, "left operand"), ctx.value(1, "right operand")
    if a.shape != b.shape:
        raise ctx.error("broadcasting between two hardware tensors is not supported")
    shared = _shared_scale(a, b)
    if shared is not None:  # s*x + o1 +- (s*y + o2) == s*(x +- y) + (o1 +- o2): no rescaling
        (x, fa), (y, fb) = shared
        offset = fa.offset + fb.offset if op == "Add" else fa.offset - fb.offset
        total = ctx.emit(inferred(cls, x, y)).results[0]
        step = Affine(fa.scale, offset)
        return [Tensor(total) if step.is_identity() else Pending(total, (step,))]
    lhs, rhs = ctx.tensor(0), ctx.tensor(1)
    return [Tensor(ctx.emit(inferred(cls, lhs, rhs)).results[0])]


def _shared_scale(a: Value, b: Value):
    """((base, affine), (base, affine)) when both are affine maps with the same scales."""
    pair = []
    for v in (a, b):
        if isinstance(v, Tensor):
            pair.append((v.value, identity_affine(v.shape)))
        elif isinstance(v, Pending) and v.affine() is not None:
            pair.append((v.base, v.affine()))
        else:
            return None
    (_, fa), (_, fb) = pair
    if any(p != q for p, q in zip(fa.scale.ravel(), fb.scale.ravel())):
        return None
    return pair


@converter("Relu")
def relu(ctx: ConversionContext) -> list[Value]:
    x = ctx.value(0, "data")
    if isinstance(x, Pending):
        return [x.then(relu_step(x.shape))]
    return [Tensor(ctx.emit(inferred(ops.ReluOp, ctx.tensor(0))).results[0])]


@converter("Clip")
def clip(ctx: ConversionContext) -> list[Value]:
    """Bounds from attributes (opsets before 11) or constant inputs; applied exactly, or
    kept pending in front of a quantizer."""
    x = ctx.value(0, "data")
    if not isinstance(x, Tensor | Pending):
        raise ctx.error("unsupported input kind")
    if ctx.opset < 11:
        given = [ctx.attr("min"), ctx.attr("max")]
        bounds = [None if v is None else exact_array(np.full(x.shape, np.float32(v))) for v in given]
    else:
        bounds = [None if ctx.optional(i) is None else
                  exact_array(ctx.broadcast(ctx.const(i, role).array, x.shape, role))
                  for i, role in ((1, "minimum"), (2, "maximum"))]
    return [_pending(x).then(Clip(*bounds))]


@converter("Dropout")
def dropout(ctx: ConversionContext) -> list[Value]:
    """Inference: the identity (the optional mask output is not supported)."""
    if len(ctx.node.output) > 1 and ctx.node.output[1]:
        raise ctx.error("the mask output of Dropout is not supported")
    return [ctx.input(0, "data")]


@converter("BatchNormalization")
def batch_normalization(ctx: ConversionContext) -> list[Value]:
    if ctx.attr("training_mode", 0):
        raise ctx.error("training_mode=1 is not supported")
    x = ctx.value(0, "data")
    if not isinstance(x, Tensor | Pending):
        raise ctx.error("unsupported input kind")
    shape = x.shape
    channel_shape = (shape[0],) + (1,) * (len(shape) - 1) if shape else ()
    params = []
    for i, role in enumerate(("scale", "bias", "mean", "variance"), start=1):
        p = ctx.exact_const(i, role)
        if p.shape != (shape[0],):
            raise ctx.error(f"the {role} must have one value per channel ({shape[0]})")
        params.append(np.broadcast_to(p.reshape(channel_shape), shape))
    gamma, beta, mean, var = params
    eps = Real.of(np.float32(ctx.attr("epsilon", 1e-5)))
    scale = np.empty(shape, dtype=object)
    offset = np.empty(shape, dtype=object)
    try:
        for i in np.ndindex(shape):
            s = gamma[i] / Real.sqrt(var[i] + eps)
            scale[i], offset[i] = s, beta[i] - mean[i] * s
    except (NotExact, ZeroDivisionError) as e:
        raise ctx.error(f"cannot be folded exactly: {e}") from e
    return [_pending(x).then(Affine(scale, offset))]


@converter("Concat")
def concat(ctx: ConversionContext) -> list[Value]:
    parts = []
    for i, v in enumerate(ctx.inputs):
        if isinstance(v, Const):
            parts.append(ctx.emit(exact_constant_op(v.array[0], ctx.where, "operand")).results[0])
        else:
            parts.append(ctx.tensor(i))
    rank = len(ops.tensor_type(parts[0]).shape) + 1
    axis = ctx.attr("axis")
    axis = axis + rank if axis < 0 else axis
    if axis == 0:
        raise ctx.error("concatenation along the batch axis is not supported")
    return [Tensor(ctx.emit(ops.ConcatOp(parts, axis - 1)).results[0])]
