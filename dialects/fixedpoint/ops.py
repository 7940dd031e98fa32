"""The fixedpoint operations: what a quantized network computes, on fixed-point tensors.

Every operation is exact except ``quantize``: sums, products by constants, maxima and data
movement never round.  Each op knows the exact per-element interval of its result
(``result_intervals``), computed from its operands' types and its constants; the verifier
rejects a result type that is narrower than that, and ``fixedpoint-infer-precision``
rewrites every result type to exactly that.
"""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Sequence

import numpy as np
from xdsl.dialects.builtin import I64, DenseArrayBase, IntegerAttr, i64
from xdsl.ir import Operation, SSAValue
from xdsl.irdl import (
    IRDLOperation,
    irdl_op_definition,
    operand_def,
    opt_operand_def,
    prop_def,
    result_def,
    traits_def,
    var_operand_def,
)
from xdsl.rewriter import Rewriter
from xdsl.traits import Pure
from xdsl.utils.exceptions import VerifyException

from ...numerics import (
    Interval, constant_interval, interval_max, interval_min, quantize_interval, values_interval,
)
from .attributes import OverflowAttr, RoundingAttr
from .types import FixedTensorType, PrecisionsAttr, ValuesAttr, elementwise

_add = elementwise(lambda a, b: a + b)
_sub = elementwise(lambda a, b: a - b)
_relu = elementwise(lambda x: Interval(max(x.lo, 0), max(x.hi, 0), x.f))


_max_v = elementwise(interval_max)
_min_v = elementwise(interval_min)


def tensor_type(value: SSAValue) -> FixedTensorType:
    assert isinstance(value.type, FixedTensorType)
    return value.type


def constant_values(value: SSAValue, role: str, user: Operation) -> tuple[np.ndarray, int]:
    """The exact constant behind ``value`` as (mantissas, f); it must be a constant op."""
    owner = value.owner
    if not isinstance(owner, ConstantOp):
        raise VerifyException(
            f"the {role} of '{user.name}' must be defined by 'fixedpoint.constant'"
        )
    return owner.mantissas(), owner.value.data.f


class FixedPointOp(IRDLOperation):
    """An op with one fixed-point result whose exact intervals it can compute."""

    @abstractmethod
    def result_intervals(self) -> np.ndarray:
        """The exact per-element interval of the result, as an object array."""

    def verify_(self) -> None:
        self.verify_shapes()
        result = self.results[0].type
        assert isinstance(result, FixedTensorType)
        exact = self.result_intervals()
        if exact.shape != result.shape:
            raise VerifyException(
                f"result shape {list(result.shape)} of '{self.name}' should be "
                f"{list(exact.shape)}"
            )
        declared, needed = result.precision_array().ravel(), exact.ravel()
        fits = [d.interval().contains(e) for d, e in zip(declared, needed)]
        if not all(fits):
            index = fits.index(False)
            where = list(map(int, np.unravel_index(index, exact.shape)))
            raise VerifyException(
                f"result precision of '{self.name}' is too narrow at element {where}: "
                f"{declared[index]} cannot hold the exact result {needed[index]}"
            )

    def verify_shapes(self) -> None:
        """Check operand shapes and properties; the default accepts everything."""


def inferred_type(op: FixedPointOp) -> FixedTensorType:
    return FixedTensorType.of(op.result_intervals())


UNINFERRED = FixedTensorType((), Interval(0, 0, 0))
"""A result type to build an op with before its real type is inferred."""


def set_inferred_type(op: FixedPointOp) -> None:
    """Give op's result its exact type (uses of the result are updated too)."""
    new_type = inferred_type(op)
    if op.results[0].type != new_type:
        Rewriter.replace_value_with_new_type(op.results[0], new_type)


# ----------------------------------------------------------------------------- ops


@irdl_op_definition
class ConstantOp(FixedPointOp):
    """Exact constants: ``%w = fixedpoint.constant #fixedpoint.values<[1, -3], f=2> : T``."""

    name = "fixedpoint.constant"
    value = prop_def(ValuesAttr)
    result = result_def(FixedTensorType)
    traits = traits_def(Pure())
    assembly_format = "$value attr-dict `:` type($result)"

    def __init__(self, mantissas: np.ndarray, f: int, result_type: FixedTensorType | None = None):
        mantissas = np.asarray(mantissas, dtype=object)
        values = ValuesAttr(mantissas.ravel().tolist(), f)
        if result_type is None:
            result_type = FixedTensorType(mantissas.shape, values_hull(values))
        super().__init__(properties={"value": values}, result_types=[result_type])

    def mantissas(self) -> np.ndarray:
        return self.value.array(tensor_type(self.result).shape)

    def verify_shapes(self) -> None:
        n, size = len(self.value.data.mantissas), tensor_type(self.result).size
        if n != size:
            raise VerifyException(f"constant has {n} values but its type has {size} elements")

    def result_intervals(self) -> np.ndarray:
        """One interval spanning all the values: the values themselves are in ``value``,
        and a per-element type would repeat the whole weight matrix in every signature."""
        out = np.empty(tensor_type(self.result).shape, dtype=object)
        out[...] = values_hull(self.value)
        return out


def operand_intervals(value: SSAValue) -> np.ndarray:
    """Per-element exact intervals of an operand: a constant's own values (its type holds
    only their hull), else what the operand's type declares."""
    if isinstance(value.owner, ConstantOp):
        f = value.owner.value.data.f
        return elementwise(lambda m: constant_interval(int(m), f))(value.owner.mantissas())
    return tensor_type(value).interval_array()


def values_hull(values: ValuesAttr) -> Interval:
    """The smallest interval holding every one of the constants (at the coarsest exact f)."""
    return values_interval(values.data.mantissas, values.data.f)


@irdl_op_definition
class QuantizeOp(FixedPointOp):
    """Round and wrap/saturate each element to its format (per element or shared)."""

    name = "fixedpoint.quantize"
    input = operand_def(FixedTensorType)
    format = prop_def(PrecisionsAttr)
    rounding = prop_def(RoundingAttr)
    overflow = prop_def(OverflowAttr)
    result = result_def(FixedTensorType)
    traits = traits_def(Pure())
    assembly_format = (
        "$input `to` $format $rounding $overflow attr-dict `:` type($input) `->` type($result)"
    )

    def __init__(self, input: SSAValue, formats, rounding, overflow, result_type=None):
        props = {
            "format": PrecisionsAttr(formats),
            "rounding": RoundingAttr(rounding),
            "overflow": OverflowAttr(overflow),
        }
        if result_type is None:
            shape = tensor_type(input).shape
            result_type = FixedTensorType(shape, props["format"].data)
        super().__init__(operands=[input], properties=props, result_types=[result_type])

    def formats(self) -> np.ndarray:
        return self.format.broadcast(tensor_type(self.input).shape)

    def verify_shapes(self) -> None:
        n, size = len(self.format.data), tensor_type(self.input).size
        if n not in (1, size):
            raise VerifyException(
                f"quantize has {n} per-element formats for {size} elements "
                f"(give one for all, or exactly {size})"
            )
        for fmt in set(self.format.data):
            if not hasattr(fmt, "k"):
                raise VerifyException(f"quantize needs formats fixed<k,i,f>, got {fmt}")
            try:
                fmt.check()
            except ValueError as e:
                raise VerifyException(str(e)) from e

    def result_intervals(self) -> np.ndarray:
        rounding, overflow = self.rounding.data, self.overflow.data
        q = elementwise(lambda x, fmt: quantize_interval(x, fmt, rounding, overflow))
        return q(tensor_type(self.input).interval_array(), self.formats())


@irdl_op_definition
class DenseOp(FixedPointOp):
    """``y = x @ W + b`` over the last axis of x; W (n_in x n_out) and b are constants."""

    name = "fixedpoint.dense"
    input = operand_def(FixedTensorType)
    weight = operand_def(FixedTensorType)
    bias = opt_operand_def(FixedTensorType)
    result = result_def(FixedTensorType)
    traits = traits_def(Pure())
    assembly_format = (
        "$input `,` $weight (`,` $bias^)? attr-dict `:` "
        "`(` type($input) `,` type($weight) (`,` type($bias)^)? `)` `->` type($result)"
    )

    def __init__(self, input: SSAValue, weight: SSAValue, bias: SSAValue | None = None,
                 result_type: FixedTensorType | None = None):
        super().__init__(
            operands=[input, weight, bias], result_types=[result_type or UNINFERRED]
        )
        if result_type is None:
            set_inferred_type(self)

    def verify_shapes(self) -> None:
        x, w = tensor_type(self.input).shape, tensor_type(self.weight).shape
        constant_values(self.weight, "weight", self)
        if len(x) < 1 or len(w) != 2 or x[-1] != w[0]:
            raise VerifyException(
                f"dense needs input (..., n) and weight (n, m); got {list(x)} and {list(w)}"
            )
        if self.bias is not None:
            constant_values(self.bias, "bias", self)
            if tensor_type(self.bias).shape != (w[1],):
                raise VerifyException(
                    f"dense bias must have shape [{w[1]}], got {list(tensor_type(self.bias).shape)}"
                )

    def result_intervals(self) -> np.ndarray:
        w, f_w = constant_values(self.weight, "weight", self)
        x = tensor_type(self.input).interval_array()
        rows = x.reshape(-1, x.shape[-1])
        bias = None
        if self.bias is not None:
            b, f_b = constant_values(self.bias, "bias", self)
            bias = [constant_interval(m, f_b) for m in b]
        out = np.empty((rows.shape[0], w.shape[1]), dtype=object)
        for r, row in enumerate(rows):
            out[r] = dot_intervals(list(row), w, f_w, bias)
        return out.reshape(x.shape[:-1] + (w.shape[1],))


def dot_intervals(x: Sequence[Interval], w: np.ndarray, f_w: int,
                  bias: Sequence[Interval] | None) -> list[Interval]:
    """Exact intervals of ``sum_i x[i] * w[i, j] * 2**-f_w (+ bias[j])`` for every j.

    Each output's resolution is the finest among the terms that actually contribute, so a
    weight column of even numbers does not add a spurious fractional bit.
    """
    n_in, n_out = w.shape
    f = max((xi.f for xi in x), default=0) + f_w
    lo = np.array([xi.at(f - f_w).lo for xi in x] or [0], dtype=object)[:n_in]
    hi = np.array([xi.at(f - f_w).hi for xi in x] or [0], dtype=object)[:n_in]
    w_pos = np.where(w > 0, w, 0).astype(object)
    w_neg = np.where(w < 0, w, 0).astype(object)
    out_lo = lo @ w_pos + hi @ w_neg if n_in else np.zeros(n_out, dtype=object)
    out_hi = hi @ w_pos + lo @ w_neg if n_in else np.zeros(n_out, dtype=object)
    result = []
    for j in range(n_out):
        terms = [constant_interval(int(w[i, j]), f_w).f + x[i].f for i in range(n_in) if w[i, j]]
        interval = Interval(int(out_lo[j]), int(out_hi[j]), f)
        if bias is not None:
            interval = interval + bias[j]
            terms.append(bias[j].f)
        result.append(_coarsen(interval, max(terms, default=0)))
    return result


def _coarsen(x: Interval, f: int) -> Interval:
    """Re-express x at resolution f <= x.f, when every value is known to be a multiple."""
    if f >= x.f:
        return x.at(f)
    s = x.f - f
    return Interval(x.lo >> s, x.hi >> s, f)


class ElementwiseBinaryOp(FixedPointOp):
    """Two same-shape operands, one result of that shape."""

    lhs = operand_def(FixedTensorType)
    rhs = operand_def(FixedTensorType)
    result = result_def(FixedTensorType)
    traits = traits_def(Pure())
    assembly_format = (
        "$lhs `,` $rhs attr-dict `:` `(` type($lhs) `,` type($rhs) `)` `->` type($result)"
    )

    def __init__(self, lhs: SSAValue, rhs: SSAValue, result_type: FixedTensorType | None = None):
        super().__init__(operands=[lhs, rhs], result_types=[result_type or UNINFERRED])
        if result_type is None:
            set_inferred_type(self)

    def verify_shapes(self) -> None:
        a, b = tensor_type(self.lhs).shape, tensor_type(self.rhs).shape
        if a != b:
            raise VerifyException(f"'{self.name}' needs operands of one shape, got {list(a)} and {list(b)}")

    def result_intervals(self) -> np.ndarray:
        return self.combine(operand_intervals(self.lhs), operand_intervals(self.rhs))

    @abstractmethod
    def combine(self, a: np.ndarray, b: np.ndarray) -> np.ndarray: ...


@irdl_op_definition
class AddOp(ElementwiseBinaryOp):
    name = "fixedpoint.add"

    def combine(self, a, b):
        return _add(a, b)


@irdl_op_definition
class SubOp(ElementwiseBinaryOp):
    name = "fixedpoint.sub"

    def combine(self, a, b):
        return _sub(a, b)


@irdl_op_definition
class MaxOp(ElementwiseBinaryOp):
    name = "fixedpoint.max"

    def combine(self, a, b):
        return _max_v(a, b)


@irdl_op_definition
class MinOp(ElementwiseBinaryOp):
    name = "fixedpoint.min"

    def combine(self, a, b):
        return _min_v(a, b)


@irdl_op_definition
class MulOp(ElementwiseBinaryOp):
    """Multiplication by a constant tensor (the right operand) of the same shape."""

    name = "fixedpoint.mul"

    def verify_shapes(self) -> None:
        super().verify_shapes()
        constant_values(self.rhs, "right operand", self)

    def combine(self, a, b):
        c, f = constant_values(self.rhs, "right operand", self)
        return elementwise(_times_constant(f))(a, c)


def _times_constant(f: int):
    """x * (m * 2**-f) at the coarsest exact resolution of the constant (1.0 adds no bits)."""

    def times(x: Interval, m: int) -> Interval:
        c = constant_interval(m, f)
        return x.scale(c.lo, c.f)

    return times


@irdl_op_definition
class ReluOp(FixedPointOp):
    name = "fixedpoint.relu"
    input = operand_def(FixedTensorType)
    result = result_def(FixedTensorType)
    traits = traits_def(Pure())
    assembly_format = "$input attr-dict `:` type($input) `->` type($result)"

    def __init__(self, input: SSAValue, result_type: FixedTensorType | None = None):
        super().__init__(operands=[input], result_types=[result_type or UNINFERRED])
        if result_type is None:
            set_inferred_type(self)

    def result_intervals(self) -> np.ndarray:
        return _relu(tensor_type(self.input).interval_array())


@irdl_op_definition
class ReshapeOp(FixedPointOp):
    """Row-major reshape (flatten is a reshape); elements keep their precisions."""

    name = "fixedpoint.reshape"
    input = operand_def(FixedTensorType)
    result = result_def(FixedTensorType)
    traits = traits_def(Pure())
    assembly_format = "$input attr-dict `:` type($input) `->` type($result)"

    def __init__(self, input: SSAValue, shape: Sequence[int]):
        intervals = tensor_type(input).interval_array().reshape(tuple(shape))
        super().__init__(operands=[input], result_types=[FixedTensorType.of(intervals)])

    def verify_shapes(self) -> None:
        a, b = tensor_type(self.input).size, tensor_type(self.result).size
        if a != b:
            raise VerifyException(f"reshape cannot turn {a} elements into {b}")

    def result_intervals(self) -> np.ndarray:
        return tensor_type(self.input).interval_array().reshape(tensor_type(self.result).shape)


@irdl_op_definition
class TransposeOp(FixedPointOp):
    """Permute axes: result axis d is input axis ``permutation[d]``."""

    name = "fixedpoint.transpose"
    input = operand_def(FixedTensorType)
    permutation = prop_def(DenseArrayBase[I64])
    result = result_def(FixedTensorType)
    traits = traits_def(Pure())
    assembly_format = "$input $permutation attr-dict `:` type($input) `->` type($result)"

    def __init__(self, input: SSAValue, permutation: Sequence[int]):
        perm = DenseArrayBase.from_list(i64, list(permutation))
        intervals = tensor_type(input).interval_array().transpose(tuple(permutation))
        super().__init__(operands=[input], properties={"permutation": perm},
                         result_types=[FixedTensorType.of(intervals)])

    def perm(self) -> tuple[int, ...]:
        return tuple(self.permutation.get_values())

    def verify_shapes(self) -> None:
        rank = len(tensor_type(self.input).shape)
        if sorted(self.perm()) != list(range(rank)):
            raise VerifyException(f"{list(self.perm())} is not a permutation of {rank} axes")

    def result_intervals(self) -> np.ndarray:
        return tensor_type(self.input).interval_array().transpose(self.perm())


@irdl_op_definition
class ConcatOp(FixedPointOp):
    """Join tensors along ``axis``."""

    name = "fixedpoint.concat"
    inputs = var_operand_def(FixedTensorType)
    axis = prop_def(IntegerAttr[I64])
    result = result_def(FixedTensorType)
    traits = traits_def(Pure())
    assembly_format = "$inputs `along` $axis attr-dict `:` `(` type($inputs) `)` `->` type($result)"

    def __init__(self, inputs: Sequence[SSAValue], axis: int):
        parts = [tensor_type(v).interval_array() for v in inputs]
        super().__init__(operands=[inputs], properties={"axis": IntegerAttr(axis, i64)},
                         result_types=[FixedTensorType.of(np.concatenate(parts, axis=axis))])

    def verify_shapes(self) -> None:
        shapes = [tensor_type(v).shape for v in self.inputs]
        axis = self.axis.value.data
        if not shapes:
            raise VerifyException("concat needs at least one input")
        rank = len(shapes[0])
        if not 0 <= axis < rank:
            raise VerifyException(f"concat axis {axis} is out of range for rank {rank}")
        for s in shapes:
            if len(s) != rank or s[:axis] + s[axis + 1:] != shapes[0][:axis] + shapes[0][axis + 1:]:
                raise VerifyException(
                    f"concat along axis {axis} needs equal other dimensions, got {[list(s) for s in shapes]}"
                )

    def result_intervals(self) -> np.ndarray:
        parts = [tensor_type(v).interval_array() for v in self.inputs]
        return np.concatenate(parts, axis=self.axis.value.data)


ALL_OPS: list[type[Operation]] = [
    ConstantOp, QuantizeOp, DenseOp, AddOp, SubOp, MulOp, MaxOp, MinOp, ReluOp,
    ReshapeOp, TransposeOp, ConcatOp,
]
