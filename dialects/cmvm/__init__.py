"""The cmvm dialect: constant matrix-vector products over scalar fixed-point values, their
canonical signed digits, the adder graphs that compute them, and the scalar nonlinear ops
between them."""

from xdsl.ir import Dialect

from .attributes import CsdAttr, MatrixAttr
from .ops import ALL_OPS
from .types import FxType

Cmvm = Dialect("cmvm", ALL_OPS, [FxType, MatrixAttr, CsdAttr])
