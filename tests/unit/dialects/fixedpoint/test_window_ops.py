"""conv, maxpool, avgpool: exact inferred ranges (exhaustive on tiny inputs) and the
interpreter against direct ONNX-definition loops on Fractions."""

import time
from fractions import Fraction

import numpy as np
import pytest

from fpga_opt.dialects.fixedpoint.nn_ops import AvgPoolOp, ConvOp, MaxPoolOp, Window
from fpga_opt.dialects.fixedpoint.types import FixedTensorType, ValuesAttr
from fpga_opt.interpreters.fixedpoint import Fixed
from fpga_opt.numerics import Format, Interval

from .util import (
    all_inputs,
    as_fractions,
    assert_bounds_are_exact,
    constant,
    naive_conv,
    naive_pool,
    one_op_module,
    random_inputs,
    run,
)

S3 = Format(1, 1, 0)  # {-2, -1, 0, 1}
U1 = Format(0, 0, 1)  # {0, 0.5}

CONV_CASES = [
    # (input type, weight shape, w_f, bias?, strides, pads, dilations, groups)
    (FixedTensorType((1, 4), S3), (2, 1, 3), 1, True, [1], [1, 1], [1], 1),
    (FixedTensorType((1, 5), [S3, U1, Interval(-1, 2, 0), S3, Format(1, 0, 1)]),
     (2, 1, 2), 0, False, [2], [0, 1], [2], 1),
    (FixedTensorType((2, 2, 2), [U1, S3, Format(0, 1, 0), U1] * 2), (3, 2, 2, 2), 2, True,
     [1, 1], [1, 0, 0, 1], [1, 1], 1),
    (FixedTensorType((2, 3, 2), Format(0, 1, 0)), (4, 1, 2, 1), 0, True, [2, 1], [1, 0, 0, 0],
     [1, 1], 2),
]


def build_conv(input_type, w_shape, w_f, with_bias, strides, pads, dilations, groups, rng):
    w = rng.integers(-4, 5, size=w_shape)
    w.flat[0] = 0  # a zero weight must not count towards the resolution
    b = rng.integers(-3, 4, size=w_shape[0]) if with_bias else None

    def build(x, emit):
        weight = constant(emit, w, w_f)
        bias = constant(emit, b, 1) if with_bias else None
        return ConvOp(x, weight, bias, strides=strides, pads=pads, dilations=dilations,
                      groups=groups)

    module, op = one_op_module(input_type, build)
    w_exact = np.vectorize(lambda m: Fraction(int(m), 1 << w_f), otypes=[object])(w)
    b_exact = None if b is None else [Fraction(int(m), 2) for m in b]
    return module, op, (w_exact, b_exact, strides, pads, dilations, groups)


@pytest.mark.parametrize("case", range(len(CONV_CASES)))
def test_conv_bounds_are_exact_and_values_match_the_definition(case):
    rng = np.random.default_rng(case)
    input_type, *params = CONV_CASES[case]
    module, op, reference = build_conv(input_type, *params, rng)
    x = all_inputs(input_type)
    y = run(module, x)
    assert_bounds_are_exact(op, y)
    rows = sample_rows(x, case)
    expected = naive_conv(as_fractions(x)[rows], *reference)
    assert (as_fractions(y)[rows] == expected).all()


POOL_CASES = [
    # (input type, kernel, strides, pads)
    (FixedTensorType((3, 3), [Format(1, 0, 1), U1, U1] * 3), [2, 2], [1, 1], [0, 0, 0, 0]),
    (FixedTensorType((3, 3), [S3, U1, Format(0, 1, 0)] * 3), [2, 2], [2, 2], [1, 0, 1, 1]),
    (FixedTensorType((2, 4), Interval(-1, 1, 0)), [3], [2], [1, 1]),
    (FixedTensorType((4,), [S3, Interval(-3, 3, 1), U1, Format(0, 1, 0)]), [3], [1], [2, 0]),
]


@pytest.mark.parametrize("case", range(len(POOL_CASES)))
def test_maxpool_bounds_are_exact_and_values_match_the_definition(case):
    input_type, kernel, strides, pads = POOL_CASES[case]
    module, op = one_op_module(input_type, lambda x, emit: MaxPoolOp(x, kernel, strides, pads))
    x = all_inputs(input_type)
    y = run(module, x)
    assert_bounds_are_exact(op, y)
    rows = sample_rows(x, case)
    expected = naive_pool(as_fractions(x)[rows], kernel, strides, pads, max)
    assert (as_fractions(y)[rows] == expected).all()


@pytest.mark.parametrize("case", range(len(POOL_CASES)))
@pytest.mark.parametrize("per_position", [False, True])
def test_avgpool_is_exact_scaled_sum(case, per_position):
    input_type, kernel, strides, pads = POOL_CASES[case]
    window = Window(tuple(kernel), tuple(strides), tuple(pads), (1,) * len(kernel))
    positions = int(np.prod(window.output_shape(input_type.shape[-len(kernel):])))
    scales = [3 + 2 * p for p in range(positions)] if per_position else [11]
    scale = ValuesAttr(scales, 5)
    module, op = one_op_module(
        input_type, lambda x, emit: AvgPoolOp(x, kernel, scale, strides, pads))
    x = all_inputs(input_type)
    y = run(module, x)
    assert_bounds_are_exact(op, y)
    rows = sample_rows(x, case)
    sums = naive_pool(as_fractions(x)[rows], kernel, strides, pads, sum)
    factors = np.array([Fraction(s, 32) for s in scales], dtype=object)
    expected = sums * np.broadcast_to(factors, (positions,)).reshape(sums.shape[-len(kernel):])
    assert (as_fractions(y)[rows] == expected).all()


def sample_rows(x: Fixed, seed: int, n: int = 60) -> np.ndarray:
    total = x.mantissas.shape[0]
    return np.random.default_rng(seed).choice(total, size=min(n, total), replace=False)


def test_random_conv_matches_the_definition():
    rng = np.random.default_rng(7)
    for trial in range(6):
        rank = 1 + trial % 2
        groups = 1 + trial % 3
        c_in, c_out = 2 * groups, 3 * groups
        spatial = tuple(rng.integers(3, 7, size=rank))
        kernel = tuple(rng.integers(1, 4, size=rank))
        strides = list(rng.integers(1, 3, size=rank))
        dilations = list(rng.integers(1, 3, size=rank))
        pads = list(rng.integers(0, 3, size=2 * rank))
        input_type = FixedTensorType((c_in,) + spatial, Format(1, 3, 2))
        module, op, reference = build_conv(
            input_type, (c_out, c_in // groups) + kernel, 3, True, strides, pads, dilations,
            groups, rng)
        x = random_inputs(input_type, 5, rng)
        y = run(module, x)
        assert (as_fractions(y) == naive_conv(as_fractions(x), *reference)).all()


def test_conv_falls_back_to_python_integers_beyond_int64():
    input_type = FixedTensorType((1, 3), Format(1, 70, 0))
    w = np.array([[[3, -5]]])
    module, op = one_op_module(
        input_type, lambda x, emit: ConvOp(x, constant(emit, w, 0)))
    big = (1 << 70) - 1
    x = Fixed(np.array([[[big, -big - 1, big]]], dtype=object), 0)
    y = run(module, x)
    assert list(y.mantissas.ravel()) == [3 * big + 5 * (big + 1), -3 * (big + 1) - 5 * big]


def test_a_32x32_image_batch_runs_in_seconds():
    rng = np.random.default_rng(3)
    input_type = FixedTensorType((3, 32, 32), Format(1, 5, 10))
    w = rng.integers(-512, 512, size=(16, 3, 3, 3))
    module, op = one_op_module(
        input_type, lambda x, emit: ConvOp(x, constant(emit, w, 10), pads=[1, 1, 1, 1]))
    x = random_inputs(input_type, 64, rng)
    start = time.perf_counter()
    y = run(module, x)
    elapsed = time.perf_counter() - start
    assert y.mantissas.shape == (64, 16, 32, 32)
    spot = sum(int(x.mantissas[5, c, 10 + i, 20 + j]) * int(w[7, c, 1 + i, 1 + j])
               for c in range(3) for i in (-1, 0, 1) for j in (-1, 0, 1))
    assert y.mantissas[5, 7, 10, 20] == spot
    assert elapsed < 10, f"conv on 64 images of 3x32x32 took {elapsed:.1f} s"
