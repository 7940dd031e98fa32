"""Small builders shared by the converters: exact constants and materialized float steps."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from xdsl.ir import Operation, SSAValue

from ...dialects.fixedpoint import ops
from ...errors import CompileError
from .exact import Real, dyadic, exact_array
from .values import Affine, Clip, Pending, Tensor



def inferred(cls, *args) -> Operation:
    """Build a fixedpoint op whose result type is inferred from its operands."""
    op = cls(*args, result_type=ops.UNINFERRED)
    ops.set_inferred_type(op)
    return op


def dyadic_mantissas(values: np.ndarray, where: str, role: str) -> tuple[np.ndarray, int]:
    """Exact ``Real`` values as (integer mantissas, common f); CompileError if not dyadic."""
    pairs = []
    for v in values.ravel():
        d = dyadic(Real.of(v))
        if d is None:
            raise CompileError(
                where, f"the {role} value {float(v)!r} is not a binary fraction and cannot be "
                "represented exactly in fixed point"
            )
        pairs.append(d)
    f = max((p[1] for p in pairs), default=0)
    mantissas = np.empty(len(pairs), dtype=object)
    mantissas[:] = [m << (f - g) for m, g in pairs]
    return mantissas.reshape(values.shape), f


def constant_op(values: np.ndarray, where: str, role: str) -> ops.ConstantOp:
    mantissas, f = dyadic_mantissas(values, where, role)
    return ops.ConstantOp(mantissas, f)


def materialize_pending(pending: Pending, emit: Callable[[Operation], Operation],
                        where: str) -> SSAValue:
    """Apply the pending float steps with exact fixedpoint ops (they must be dyadic)."""
    x = pending.base
    for step in pending.steps:
        if isinstance(step, Clip):
            x = apply_clip(x, step, emit, where)
            continue
        if not step.is_dyadic():
            raise CompileError(
                where, "float arithmetic with a non-power-of-two factor (a scale, a division "
                "or a batch normalization) reaches an operation that needs exact fixed-point "
                "values; it can only be folded into a following quantizer"
            )
        x = apply_affine(x, step, emit, where)
    return x


def apply_clip(x: SSAValue, step: Clip, emit, where: str) -> SSAValue:
    if step.is_relu():
        return emit(inferred(ops.ReluOp, x)).results[0]
    for bound, cls in ((step.lo, ops.MaxOp), (step.hi, ops.MinOp)):
        if bound is not None:
            constant = emit(constant_op(bound, where, "clip bound")).results[0]
            x = emit(inferred(cls, x, constant)).results[0]
    return x


def apply_affine(x: SSAValue, step: Affine, emit, where: str) -> SSAValue:
    if any(s != 1 for s in step.scale.ravel()):
        scale = emit(constant_op(step.scale, where, "scale")).results[0]
        x = emit(inferred(ops.MulOp, x, scale)).results[0]
    if any(o != 0 for o in step.offset.ravel()):
        offset = emit(constant_op(step.offset, where, "offset")).results[0]
        x = emit(inferred(ops.AddOp, x, offset)).results[0]
    return x


def exact_constant_op(array: np.ndarray, where: str, role: str) -> ops.ConstantOp:
    """A numpy constant (floats or ints) as an exact fixedpoint constant."""
    return constant_op(exact_array(array), where, role)


def replay_host_op(value: Tensor | Pending, op: str, operand: np.ndarray,
                   emit: Callable[[Operation], Operation]) -> Tensor | Pending:
    """Apply a recorded host-side float op (see values.HostInput) exactly in hardware."""
    pending = value if isinstance(value, Pending) else Pending(value.value, ())
    if op == "reshape":
        shape = tuple(int(d) for d in operand)
        base = emit(ops.ReshapeOp(pending.base, shape)).results[0]
        return Pending(base, tuple(s.map_shape(lambda a: a.reshape(shape)) for s in pending.steps))
    if op == "transpose":
        perm = [int(p) for p in operand]
        base = emit(ops.TransposeOp(pending.base, perm)).results[0]
        return Pending(base, tuple(s.map_shape(lambda a: a.transpose(perm)) for s in pending.steps))
    k = exact_array(operand)
    one = exact_array(np.ones(k.shape, dtype=np.int64))
    zero = exact_array(np.zeros(k.shape, dtype=np.int64))
    steps = {"add": lambda: Affine(one, k), "sub": lambda: Affine(one, -k),
             "mul": lambda: Affine(k, zero),
             "div": lambda: Affine(np.vectorize(lambda v: v.inverse(), otypes=[object])(k), zero)}
    return pending.then(steps[op]())
