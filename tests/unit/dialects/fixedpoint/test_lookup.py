"""fixedpoint.lookup: a shared step table; exact reachable ranges and the definition."""

from fractions import Fraction

import numpy as np
import pytest

from fpga_opt.dialects.fixedpoint.nn_ops import LookupOp
from fpga_opt.dialects.fixedpoint.types import FixedTensorType, ValuesAttr
from fpga_opt.numerics import Format, Interval

from .util import all_inputs, as_fractions, assert_bounds_are_exact, one_op_module, run


def lookup_case(seed: int, input_type: FixedTensorType, f_breaks: int, n: int):
    rng = np.random.default_rng(seed)
    breaks = sorted(set(int(b) for b in rng.integers(-40, 40, size=n)))
    values = [int(v) for v in rng.integers(-9, 10, size=len(breaks) + 1)]
    module, op = one_op_module(input_type, lambda x, emit: LookupOp(
        x, ValuesAttr(breaks, f_breaks), ValuesAttr(values, 2)))
    return module, op, breaks, values


CASES = [
    (FixedTensorType((3,), [Format(1, 2, 1), Format(0, 3, 0), Interval(-7, 2, 2)]), 2, 8),
    # breaks finer than the input grid: some steps fall between two inputs (unreachable)
    (FixedTensorType((2,), Format(1, 3, 0)), 3, 30),
    (FixedTensorType((1, 2), [Format(0, 1, 2), Interval(-40, 40, 3)]), 3, 12),
]


@pytest.mark.parametrize("case", range(len(CASES)))
def test_lookup_ranges_are_exact_and_values_follow_the_definition(case):
    input_type, f_breaks, n = CASES[case]
    module, op, breaks, values = lookup_case(case, input_type, f_breaks, n)
    x = all_inputs(input_type)
    y = run(module, x)
    assert_bounds_are_exact(op, y)
    cuts = [Fraction(b, 1 << f_breaks) for b in breaks]
    expected = np.vectorize(
        lambda v: Fraction(values[sum(1 for c in cuts if v >= c)], 4), otypes=[object]
    )(as_fractions(x))
    assert (as_fractions(y) == expected).all()


def test_unreachable_steps_do_not_widen_the_range():
    # integer inputs 0..3; the value 100 is only taken on [0.25, 0.5), between two inputs
    module, op = one_op_module(FixedTensorType((1,), Format(0, 2, 0)), lambda x, emit: LookupOp(
        x, ValuesAttr([1, 2], 2), ValuesAttr([0, 100, 1], 0)))
    assert op.results[0].type.interval_array()[0] == Interval(0, 1, 0)
