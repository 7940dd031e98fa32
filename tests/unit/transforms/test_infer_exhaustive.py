"""fixedpoint-infer-precision is exact: for every op, on small formats (negative i and f
included, per-element precisions mixed), the inferred interval of every output element is
exactly the [min, max] found by running every possible input through the interpreter."""

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from xdsl.context import Context

from fpga_opt.dialects.fixedpoint import ops
from fpga_opt.dialects.fixedpoint.types import FixedTensorType
from fpga_opt.numerics import Format, Interval, Overflow, Rounding
from fpga_opt.transforms.fixedpoint_infer_precision import FixedPointInferPrecision

from .exhaustive import build, check_exhaustively
from ..reference import value

MODES = list(itertools.product(Rounding, Overflow))
IR_EXAMPLES = settings(max_examples=25, deadline=None)


@st.composite
def small_formats(draw, min_width: int = 0, max_width: int = 3) -> Format:
    k = draw(st.integers(0, 1))
    width = draw(st.integers(max(min_width, k), max_width))
    f = draw(st.integers(-2, 3))
    return Format(k, width - k - f, f)


@st.composite
def precisions(draw, max_width: int = 3):
    """A small format, or a small exact interval (as inference produces)."""
    if draw(st.booleans()):
        return draw(small_formats(min_width=1, max_width=max_width))
    lo = draw(st.integers(-6, 6))
    span = (1 << max_width) - 1
    return Interval(lo, lo + draw(st.integers(0, span)), draw(st.integers(-2, 3)))


@st.composite
def tensor_types(draw, shape: tuple[int, ...], max_width: int = 3):
    """Homogeneous or per-element precisions for a tensor of this shape.  At most
    3 elements of 4 bits or 4 elements of 3 bits keep the enumeration at 4096 inputs."""
    size = int(np.prod(shape))
    if draw(st.booleans()):
        return FixedTensorType(shape, draw(precisions(max_width)))
    elements = st.lists(precisions(max_width), min_size=size, max_size=size)
    return FixedTensorType(shape, draw(elements))


@st.composite
def constants(draw, shape: tuple[int, ...]):
    size = int(np.prod(shape))
    mantissas = draw(st.lists(st.integers(-4, 4), min_size=size, max_size=size))
    return np.array(mantissas, dtype=object).reshape(shape), draw(st.integers(-1, 2))


# ------------------------------------------------------------------------- quantize


@IR_EXAMPLES
@given(
    x=tensor_types((2,), max_width=4),
    formats=st.lists(small_formats(max_width=4), min_size=1, max_size=2),
)
def test_quantize_all_modes(x, formats):
    def body(a):
        return [ops.QuantizeOp(a, formats, r, o).result for r, o in MODES]

    check_exhaustively([x], body)


@pytest.mark.parametrize(
    "x,fmt",
    [
        (Format(1, 3, 0), Format(1, 1, 0)),  # [-8, 7] into [-2, 1]: wraps
        (Format(0, 2, 0), Format(1, 2, 0)),  # [0, 3] into [-4, 3]: fits, no wrap
        (Format(0, 3, -1), Format(1, 2, 0)),  # 0, 2, ..., 14 into [-4, 3]: wraps on evens
        (Format(0, 2, 0), Format(0, 2, 1)),  # integers into halves: a coarser input, no wrap
        (Format(0, 3, 0), Format(0, 2, 1)),  # 0..7 into [0, 3.5] by halves: wraps on evens
        (Format(1, 1, 2), Format(1, 1, -1)),  # [-2, 1.75] to a grid of 2: RND reaches 2
        (Interval(3, 5, 0), Format(1, 2, 0)),  # 3, 4, 5 into [-4, 3]: crosses the top
        (Interval(-4, -1, 0), Format(1, 2, 0)),  # exactly the bottom half: no wrap
        (Format(1, 0, 2), Format(1, 0, 0)),  # [-1, 0.75] into width 1: [-1, 0]
        (Format(1, 2, 0), Format(1, -1, 0)),  # width 0: only 0
    ],
)
def test_quantize_wrap_boundaries(x, fmt):
    def body(a):
        return [ops.QuantizeOp(a, fmt, r, o).result for r, o in MODES]

    check_exhaustively([FixedTensorType((1,), x)], body)


# ---------------------------------------------------------------------------- dense


@IR_EXAMPLES
@given(data=st.data(), n_in=st.integers(1, 3), n_out=st.integers(1, 3), batch=st.sampled_from([(), (2,)]))
def test_dense(data, n_in, n_out, batch):
    shape = batch + (n_in,)
    if int(np.prod(shape)) <= 3:
        x = data.draw(tensor_types(shape, max_width=4))
    else:  # up to 6 elements: 2 bits each keeps the enumeration at 4096 inputs
        x = FixedTensorType(shape, data.draw(small_formats(min_width=1, max_width=2)))
    w, f_w = data.draw(constants((n_in, n_out)))
    bias = data.draw(st.none() | constants((n_out,)))

    def body(a):
        weight = ops.ConstantOp(w, f_w)
        b = None if bias is None else ops.ConstantOp(*bias)
        return [ops.DenseOp(a, weight.result, None if b is None else b.result).result]

    check_exhaustively([x], body)


# -------------------------------------------------------------- elementwise binary


@pytest.mark.parametrize("op", [ops.AddOp, ops.SubOp, ops.MaxOp, ops.MinOp])
@IR_EXAMPLES
@given(a=tensor_types((2,)), b=tensor_types((2,)))
def test_binary(op, a, b):
    check_exhaustively([a, b], lambda x, y: [op(x, y).result])


@IR_EXAMPLES
@given(x=tensor_types((2,), max_width=4), c=constants((2,)))
def test_mul_by_constant(x, c):
    def body(a):
        return [ops.MulOp(a, ops.ConstantOp(*c).result).result]

    check_exhaustively([x], body)


@IR_EXAMPLES
@given(x=tensor_types((3,), max_width=4))
def test_relu(x):
    check_exhaustively([x], lambda a: [ops.ReluOp(a).result])


# ------------------------------------------------------------------- data movement


@IR_EXAMPLES
@given(x=tensor_types((1, 3), max_width=4), shape=st.sampled_from([(3,), (3, 1), (1, 1, 3), (3, 1, 1)]))
def test_reshape(x, shape):
    check_exhaustively([x], lambda a: [ops.ReshapeOp(a, shape).result])


@IR_EXAMPLES
@given(x=tensor_types((1, 3, 1), max_width=4), perm=st.permutations([0, 1, 2]))
def test_transpose(x, perm):
    check_exhaustively([x], lambda a: [ops.TransposeOp(a, perm).result])


@IR_EXAMPLES
@given(a=tensor_types((1, 2)), b=tensor_types((1, 1)), c=tensor_types((1, 1)))
def test_concat(a, b, c):
    def body(x, y, z):
        return [ops.ConcatOp([x, y, z], 1).result, ops.ConcatOp([y, z], 0).result]

    check_exhaustively([a, b, c], body)


# ------------------------------------------------------------------------ constant


@IR_EXAMPLES
@given(c=constants((2, 2)))
def test_constant_is_the_hull_of_its_values(c):
    """A constant's type is one interval for all its elements (so that a weight matrix is
    not repeated in its type): exactly the min..max over all of its values."""
    mantissas, f = c
    hull = (value(min(mantissas.ravel()), f), value(max(mantissas.ravel()), f))

    def body():
        constant = ops.ConstantOp(mantissas, f).result
        return [ops.ReshapeOp(constant, (1, 4)).result]

    module = build([], body)
    FixedPointInferPrecision().apply(Context(), module)
    (inferred,) = module.body.block.first_op.function_type.outputs.data
    for interval in inferred.interval_array().ravel():
        assert (value(interval.lo, interval.f), value(interval.hi, interval.f)) == hull
