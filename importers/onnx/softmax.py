"""ONNX ``Softmax``: dropped at a graph output (``softmax="argmax"``) or built from tables.

``softmax="argmax"`` (the default) removes a Softmax right before a graph output: the
hardware outputs the logits, whose argmax is the softmax's.

``softmax="table"`` computes the probabilities in hardware without a multiplier or a
divider, as a log-sum-exp through three tables of ``softmax_table_size`` entries (default
1024, hls4ml's ``table_size``), every step exact fixed point::

    a_i = max(x) - x_i >= 0                   maxpool, broadcast, sub (exact)
    E_i = exp(-Q_a(a_i))                      lookup, in (0, 1]; E = 1 at the maximum
    S   = sum_i E_i                           dense with ones, in [1, n]
    L   = ln(Q_s(S))                          lookup, in [0, ln n]
    y_i = exp(-Q_a(a_i + L))                  add, lookup, rounded to softmax_precision

so ``y_i = exp(x_i - max - ln sum exp(x_j - max)) = exp(x_i) / sum exp(x_j)``.  ``Q_a``
rounds to an unsigned table index of ``log2(table_size)`` bits with just enough integer
bits that ``exp`` of the largest index is below half an output LSB (saturating beyond:
those probabilities round to 0); ``Q_s`` rounds S to an index of the same width.  The
precisions of E and L are derived so that their rounding is below the index
resolution.  The probabilities are rounded to ``softmax_precision`` (default: the
``default_precision`` of a float model, else ``ufixed<11,1,RND,SAT>``: 10 fraction bits,
those of hls4ml's default ``ap_fixed<16,6>``).  ``error_bound`` states the worst-case
deviation from the real softmax of the hardware's input.

The softmax runs over ``axis`` (ONNX semantics: opset >= 13 one axis, default -1; before
13 the flattened axes from ``axis`` on, default 1); the other axes are independent rows.
Each row costs n - 1 comparisons, 2n subtractions and additions, the sum and 2n + 1 table
lookups (ROMs of at most ``softmax_table_size`` entries).
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np
from xdsl.ir import SSAValue

from ...dialects.fixedpoint import nn_ops, ops
from ...numerics import Format, Overflow, Rounding
from ...precision_syntax import ParsedPrecision, parse_precision_string
from .context import ConversionContext, converter
from .float_model import float_precision, function_lookup
from .values import Const, DroppedSoftmax, HostInput, Tensor, Value

SOFTMAX_MODES = ("argmax", "table")
DEFAULT_TABLE_SIZE = 1024
DEFAULT_SOFTMAX_PRECISION = "ufixed<11,1,RND,SAT>"
MAX_TABLE_BITS = 16


def _half_lsb(fmt: Format) -> float:
    return 2.0 ** -(fmt.f + 1)


class SoftmaxTables(NamedTuple):
    """The formats of a table softmax over n values (see the module docstring)."""

    index: Format  # Q_a: the exp tables' index, unsigned
    exp: ParsedPrecision  # E_i
    sum_index: Format  # Q_s: the log table's index
    log: ParsedPrecision  # L
    output: ParsedPrecision  # y_i

    @staticmethod
    def design(n: int, table_bits: int, output: ParsedPrecision) -> SoftmaxTables:
        f_out = output.format.f
        # exp(-2**i_a) below half an output LSB: exp(-(f_out + 1) ln 2) = 2**-(f_out + 1)
        i_a = max(0, math.ceil(math.log2(max(1.0, (f_out + 1) * math.log(2)))))
        i_s = max(1, math.ceil(math.log2(n + 1)))  # S in [1, n]
        f_s = table_bits - i_s
        f_e = f_s + max(0, math.ceil(math.log2(n)))  # n roundings of E: half an S-index LSB
        i_l = max(0, math.ceil(math.log2(max(1.0, math.log(n)))))
        f_l = table_bits - i_a + 1  # finer than the exp index
        nearest = (Rounding.RND, Overflow.SAT)
        return SoftmaxTables(
            index=Format(0, i_a, table_bits - i_a),
            exp=ParsedPrecision(Format(0, 1, f_e), *nearest),
            sum_index=Format(0, i_s, f_s),
            log=ParsedPrecision(Format(0, i_l, f_l), *nearest),
            output=output,
        )

    def error_bound(self, n: int) -> float:
        """The largest |y - softmax(x)| over any input (rounding errors added worst-case)."""
        saturation = math.exp(-(2.0 ** self.index.i - 2.0 ** -self.index.f))
        # S - sum exp(-a): index rounding (relative), E rounding, saturated indices
        s_rel = math.expm1(_half_lsb(self.index))
        s_abs = n * (_half_lsb(self.exp.format) + saturation)
        # |L - ln sum exp(-a)| <= |ln Q_s(S) - ln S| + |ln S - ln S_true| (both >= 1)
        log_error = (_half_lsb(self.log.format) + _half_lsb(self.sum_index)
                     - math.log1p(-(s_rel + s_abs)))
        z_error = _half_lsb(self.index) + log_error
        output_rounding = 2.0 ** -self.output.format.f
        return math.expm1(z_error) + saturation + output_rounding


def _options(ctx: ConversionContext) -> tuple[int, ParsedPrecision]:
    size = ctx.options.get("softmax_table_size") or DEFAULT_TABLE_SIZE
    if not isinstance(size, int) or size < 2 or size & (size - 1) or size > 1 << MAX_TABLE_BITS:
        raise ctx.error(f"softmax_table_size must be a power of two from 2 to "
                        f"{1 << MAX_TABLE_BITS}, got {size!r}")
    text = ctx.options.get("softmax_precision")
    precision = (parse_precision_string(text, "softmax_precision") if text
                 else float_precision(ctx.options, ctx.where)
                 or parse_precision_string(DEFAULT_SOFTMAX_PRECISION))
    fmt = precision.format
    if fmt.i < 1 and precision.overflow is Overflow.WRAP:
        raise ctx.error(f"softmax_precision {fmt} cannot hold a probability of 1 and wraps: "
                        "give at least one integer bit, or saturation")
    return size.bit_length() - 1, precision


def _rows(ctx: ConversionContext, shape: tuple[int, ...]) -> tuple[list[int], tuple[int, ...]]:
    """The permutation bringing the softmax axes last, and the (rows, n) shape after it."""
    rank = len(shape) + 1  # with the batch axis
    default = -1 if ctx.opset >= 13 else 1
    axis = ctx.attr("axis", default)
    axis = axis + rank if axis < 0 else axis
    if not 1 <= axis < rank:
        raise ctx.error(f"softmax over axis {ctx.attr('axis', default)} of a rank-{rank} "
                        "tensor: only feature axes (not the batch axis) are supported")
    features = axis - 1
    if ctx.opset >= 13:
        perm = [d for d in range(len(shape)) if d != features] + [features]
        n = shape[features]
    else:  # the axes from `axis` on are flattened into one
        perm = list(range(len(shape)))
        n = int(np.prod(shape[features:], dtype=np.int64))
    return perm, (int(np.prod(shape, dtype=np.int64)) // max(n, 1), n)


def table_softmax(ctx: ConversionContext, x: SSAValue) -> SSAValue:
    table_bits, output = _options(ctx)
    shape = ops.tensor_type(x).shape
    perm, (rows, n) = _rows(ctx, shape)
    tables = SoftmaxTables.design(n, table_bits, output)
    emit = lambda op: ctx.emit(op).results[0]  # noqa: E731

    moved = emit(ops.TransposeOp(x, perm)) if perm != sorted(perm) else x
    flat = emit(ops.ReshapeOp(moved, (rows, n)))

    def ones(shape: tuple[int, ...], f: int = 0) -> SSAValue:
        return emit(ops.ConstantOp(np.ones(shape, dtype=object), f))

    def index(value: SSAValue, fmt: Format) -> SSAValue:
        """Q(v) = RND(v) = TRN(v + lsb/2): the half LSB is already in ``value``."""
        return emit(ops.QuantizeOp(value, fmt, Rounding.TRN, Overflow.SAT))

    def exp_table(value: SSAValue, precision: ParsedPrecision) -> SSAValue:
        return emit(function_lookup(ctx, index(value, tables.index), lambda v: np.exp(-v),
                                    precision))

    # max(x) + lsb/2 broadcast to the row: a = max(x) - x rounds as a truncation, with
    # one adder per row instead of one per element
    top = emit(nn_ops.MaxPoolOp(flat, [n]))
    half_index = ones((n,), tables.index.f + 1)
    gap = emit(ops.SubOp(emit(ops.DenseOp(top, ones((1, n)), half_index)), flat))
    half_sum = ones((1,), tables.sum_index.f + 1)
    total = emit(ops.DenseOp(exp_table(gap, tables.exp), ones((n, 1)), half_sum))
    # S >= 1 (the maximum's term is exp(0) = 1), which interval analysis cannot see
    log = emit(function_lookup(ctx, index(total, tables.sum_index),
                               lambda v: np.log(np.maximum(v, 1.0)), tables.log))
    shifted = emit(ops.AddOp(gap, emit(ops.DenseOp(log, ones((1, n))))))
    y = exp_table(shifted, tables.output)

    moved_shape = tuple(shape[d] for d in perm)
    y = emit(ops.ReshapeOp(y, moved_shape))
    if perm != sorted(perm):
        y = emit(ops.TransposeOp(y, [perm.index(d) for d in range(len(perm))]))
    return y


@converter("Softmax")
def softmax(ctx: ConversionContext) -> list[Value]:
    mode = ctx.options.get("softmax") or "argmax"
    if mode not in SOFTMAX_MODES:
        raise ctx.error(f"unknown softmax={mode!r}; expected one of {', '.join(SOFTMAX_MODES)}")
    x = ctx.input(0, "data")
    if isinstance(x, HostInput | Const):
        raise ctx.error("Softmax of a value the hardware does not compute")
    if mode == "argmax":
        return [DroppedSoftmax(x)]
    return [Tensor(table_softmax(ctx, ctx.tensor(0)))]
