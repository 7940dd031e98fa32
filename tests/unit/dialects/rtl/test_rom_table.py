"""rtl.rom's table attribute is built with one range check (``i64_array``): the same
attribute and the same error as xDSL's element-by-element ``DenseArrayBase.from_list``."""

import numpy as np
import pytest
from xdsl.dialects.builtin import DenseArrayBase, i64

from fpga_opt.dialects.rtl.combinational import i64_array


@pytest.mark.parametrize("values", [
    [], [0], [1, -1, (1 << 63) - 1, -(1 << 63)], [1 << 63, (1 << 64) - 1, 5],
    [int(v) for v in np.random.default_rng(0).integers(-(1 << 40), 1 << 40, 5000)],
])
def test_same_attribute_as_from_list(values):
    assert i64_array(values) == DenseArrayBase.from_list(i64, values)


@pytest.mark.parametrize("value", [1 << 64, -(1 << 63) - 1])
def test_out_of_range_is_the_same_value_error(value):
    with pytest.raises(ValueError, match=str(value)):
        i64_array([3, value])
