"""Step functions: ``fixedpoint.threshold``, a per-element table over sorted thresholds, and
``fixedpoint.lookup``, one scalar function shared by every element.

    %y = fixedpoint.threshold %x thresholds <[-3, 2], f=0> values <[-1, 0, 1], f=0>
           : !fixedpoint.tensor<fixed<1,7,0>> -> !fixedpoint.tensor<range<-1,1,0>>

For each element, with ``n`` thresholds ``T[0] <= ... <= T[n-1]`` (exact values
``m * 2**-f``) and ``n + 1`` output values ``V[0..n]`` (exact too)::

    y = V[c]   where   c = #{ t : x >= T[t] }

It is what a quantizer becomes when a float scale or a batch normalization stands in front
of it (FINN's MultiThreshold, with explicit outputs): any function of x that changes value
at most n times as x grows is one.  ``thresholds`` is the row-major list of every
element's n thresholds (shape ``x.shape + [n]``), ``values`` that of its n + 1 outputs.
An element that needs fewer thresholds repeats its last one (the skipped output value is
never selected).

    %y = fixedpoint.lookup %x breaks <[-3, 0, 5], f=1> values <[-4, 0, 1, 7], f=2> : ...

``lookup``: ``y = values[#{t : x >= breaks[t]}]``, the same step function for every
element (exact).
"""

from __future__ import annotations

import numpy as np
from xdsl.ir import Operation, SSAValue
from xdsl.irdl import irdl_op_definition, operand_def, prop_def, result_def, traits_def
from xdsl.traits import Pure
from xdsl.utils.exceptions import VerifyException

from ...numerics import Interval, constant_interval, hull_of
from .ops import UNINFERRED, FixedPointOp, set_inferred_type, tensor_type
from .types import FixedTensorType, ValuesAttr


@irdl_op_definition
class ThresholdOp(FixedPointOp):
    name = "fixedpoint.threshold"
    input = operand_def(FixedTensorType)
    thresholds = prop_def(ValuesAttr)
    values = prop_def(ValuesAttr)
    result = result_def(FixedTensorType)
    traits = traits_def(Pure())
    assembly_format = (
        "$input `thresholds` $thresholds `values` $values attr-dict `:` type($input) `->` "
        "type($result)"
    )

    def __init__(self, input: SSAValue, thresholds: np.ndarray, f_thresholds: int,
                 values: np.ndarray, f_values: int, result_type: FixedTensorType | None = None):
        """``thresholds`` of shape ``x.shape + (n,)``, ``values`` of ``x.shape + (n+1,)``."""
        props = {
            "thresholds": ValuesAttr(np.asarray(thresholds).ravel().tolist(), f_thresholds),
            "values": ValuesAttr(np.asarray(values).ravel().tolist(), f_values),
        }
        super().__init__(operands=[input], properties=props,
                         result_types=[result_type or UNINFERRED])
        if result_type is None:
            set_inferred_type(self)

    @property
    def count(self) -> int:
        """The number of thresholds per element."""
        size = tensor_type(self.input).size
        return len(self.thresholds.data.mantissas) // size if size else 0

    def threshold_array(self) -> np.ndarray:
        shape = tensor_type(self.input).shape
        return self.thresholds.array(shape + (self.count,))

    def value_array(self) -> np.ndarray:
        shape = tensor_type(self.input).shape
        return self.values.array(shape + (self.count + 1,))

    def verify_shapes(self) -> None:
        size = tensor_type(self.input).size
        n_t, n_v = len(self.thresholds.data.mantissas), len(self.values.data.mantissas)
        if size == 0 or n_t % size or n_v != size * (n_t // size + 1):
            raise VerifyException(
                f"threshold on {size} elements needs n thresholds and n+1 values per element, "
                f"got {n_t} thresholds and {n_v} values"
            )
        if tensor_type(self.result).shape != tensor_type(self.input).shape:
            raise VerifyException("threshold result must have the shape of its input")
        t = self.threshold_array().reshape(size, self.count)
        if t.shape[1] > 1 and not np.all(t[:, 1:] >= t[:, :-1]):
            row = int(np.argmin(np.all(t[:, 1:] >= t[:, :-1], axis=1)))
            raise VerifyException(f"thresholds of element {row} are not sorted: {list(t[row])}")

    def result_intervals(self) -> np.ndarray:
        x = tensor_type(self.input).interval_array().ravel()
        f_t = self.thresholds.data.f
        f_v = self.values.data.f
        t = self.threshold_array().reshape(x.size, self.count)
        v = self.value_array().reshape(x.size, self.count + 1)
        out = np.empty(x.size, dtype=object)
        for e, interval in enumerate(x):
            lo, hi = reachable_counts(t[e], f_t, interval)
            reach = [constant_interval(int(m), f_v) for m in v[e, lo:hi + 1]]
            out[e] = hull_of(reach)
        return out.reshape(tensor_type(self.input).shape)


def reachable_counts(thresholds: np.ndarray, f_t: int, interval) -> tuple[int, int]:
    """The least and greatest threshold count over the values of ``interval``."""
    f = max(f_t, interval.f)
    x = interval.at(f)
    shift = f - f_t
    t = [int(m) << shift for m in thresholds]
    return sum(1 for m in t if x.lo >= m), sum(1 for m in t if x.hi >= m)


@irdl_op_definition
class LookupOp(FixedPointOp):
    """A scalar function applied to every element, as a step table shared by all of them.

        %y = fixedpoint.lookup %x breaks <[-2, 0, 3], f=1> values <[0, 1, 2, 3], f=2>

    With sorted breaks ``b[0] < ... < b[n-1]`` and ``n + 1`` values ``v``:
    ``y = v[c]`` where ``c = #{t : x >= b[t]}``; everything is exact.  Any function of a
    fixed-point input is one (a break wherever its quantized value changes), so nonlinear
    activations (sigmoid, tanh, the exponential part of selu) are lookups whose size is the
    number of steps, not the number of inputs.
    """

    name = "fixedpoint.lookup"
    input = operand_def(FixedTensorType)
    breaks = prop_def(ValuesAttr)
    values = prop_def(ValuesAttr)
    result = result_def(FixedTensorType)
    traits = traits_def(Pure())
    assembly_format = (
        "$input `breaks` $breaks `values` $values attr-dict `:` type($input) `->` type($result)"
    )

    def __init__(self, input: SSAValue, breaks: ValuesAttr, values: ValuesAttr,
                 result_type: FixedTensorType | None = None):
        super().__init__(operands=[input], properties={"breaks": breaks, "values": values},
                         result_types=[result_type or UNINFERRED])
        if result_type is None:
            set_inferred_type(self)

    def verify_shapes(self) -> None:
        n_b, n_v = len(self.breaks.data.mantissas), len(self.values.data.mantissas)
        if n_v != n_b + 1:
            raise VerifyException(f"lookup needs one value more than breaks, got {n_b} breaks "
                                  f"and {n_v} values")
        b = self.breaks.data.mantissas
        if any(x >= y for x, y in zip(b, b[1:])):
            raise VerifyException("lookup breaks must be strictly increasing")

    def counts(self, m: np.ndarray, f: int) -> np.ndarray:
        """``#{t : x >= b[t]}`` for exact inputs ``m * 2**-f`` (an integer array)."""
        f_b = self.breaks.data.f
        common = max(f, f_b)
        breaks = np.empty(len(self.breaks.data.mantissas), dtype=object)
        breaks[:] = [b << (common - f_b) for b in self.breaks.data.mantissas]
        x = np.asarray(m, dtype=object) * (1 << (common - f))
        return np.searchsorted(breaks, x.ravel(), side="right").reshape(np.shape(m))

    def result_intervals(self) -> np.ndarray:
        x = tensor_type(self.input).interval_array()
        cache: dict[Interval, Interval] = {}
        out = np.empty(x.shape, dtype=object)
        for index in np.ndindex(*x.shape):
            interval = x[index]
            if interval not in cache:
                cache[interval] = self._reachable_hull(interval)
            out[index] = cache[interval]
        return out

    def _reachable_hull(self, x: Interval) -> Interval:
        """The hull of the values whose step contains at least one value of x (exact)."""
        f_b, f = self.breaks.data.f, max(self.breaks.data.f, x.f)
        breaks = [b << (f - f_b) for b in self.breaks.data.mantissas]
        lo, hi, step = x.lo << (f - x.f), x.hi << (f - x.f), 1 << (f - x.f)
        edges = [None] + breaks + [None]
        reached = []
        for c in range(len(breaks) + 1):
            start = lo if edges[c] is None else max(lo, _ceil_to_grid(edges[c], lo, step))
            end = hi if edges[c + 1] is None else min(hi, edges[c + 1] - 1)
            if start <= end:
                reached.append(constant_interval(self.values.data.mantissas[c], self.values.data.f))
        return hull_of(reached)


def _ceil_to_grid(value: int, origin: int, step: int) -> int:
    """The smallest ``origin + k * step >= value``."""
    return origin + -(-(value - origin) // step) * step


LUT_OPS: list[type[Operation]] = [ThresholdOp, LookupOp]
