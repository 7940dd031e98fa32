"""The fixedpoint dialect: tensors of fixed-point numbers and the ops of quantized networks."""

from xdsl.ir import Dialect

from .attributes import OverflowAttr, RoundingAttr
from .lut_ops import LUT_OPS
from .nn_ops import NN_OPS
from .ops import ALL_OPS
from .types import FixedTensorType, PrecisionsAttr, ValuesAttr

FixedPoint = Dialect(
    "fixedpoint",
    ALL_OPS + NN_OPS + LUT_OPS,
    [FixedTensorType, ValuesAttr, PrecisionsAttr, RoundingAttr, OverflowAttr],
)
