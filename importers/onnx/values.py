"""What an ONNX tensor becomes during import.

Every ONNX tensor name is bound to one of these:

- ``Const``: a constant known at compile time, as the numpy array qonnx would compute
  (float32 stays float32), optionally with an exact factorization ``integers * scale`` when
  it came out of a quantizer (so a weight with a non-power-of-two scale keeps small
  integers and the scale folds into the next quantizer).
- ``Tensor``: a fixedpoint SSA value in the hardware function: exact dyadic values.
- ``Pending``: float arithmetic not yet applied to a hardware tensor: ``steps`` (per-element
  affine maps with exact ``Real`` coefficients, and clipping such as relu) over ``base``.  A quantizer folds
  them into thresholds; a graph output records them as the host-side output transform;
  dyadic ones can be materialized as exact fixedpoint ops.
- ``HostInput``: a float graph input before its first quantizer; the elementwise float ops
  applied to it so far run on the host (``pre_ops``) exactly as qonnx runs them.

Shapes here are *feature* shapes: the ONNX batch axis (axis 0) is dropped, as in the
fixedpoint dialect, whose interpreter puts the batch first.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from xdsl.ir import SSAValue

from ...dialects.fixedpoint.types import FixedTensorType
from .exact import Real, dyadic, exact_array


@dataclass(frozen=True)
class Const:
    array: np.ndarray
    integers: np.ndarray | None = None  # exact factorization: value == integers * scale
    scale: np.ndarray | None = None  # float32, broadcast to integers' shape

    def exact(self) -> np.ndarray:
        """The exact values as an object array of ``Real``."""
        if self.integers is None:
            return exact_array(self.array)
        return exact_array(self.integers) * exact_array(self.scale)

    def map_shape(self, fn) -> Const:
        """Apply a data-movement function (reshape, transpose...) to every array."""
        if self.integers is None:
            return Const(fn(self.array))
        return Const(fn(self.array), fn(self.integers), fn(self.scale))


@dataclass(frozen=True)
class Tensor:
    value: SSAValue

    @property
    def type(self) -> FixedTensorType:
        assert isinstance(self.value.type, FixedTensorType)
        return self.value.type

    @property
    def shape(self) -> tuple[int, ...]:
        return self.type.shape


@dataclass(frozen=True)
class Affine:
    """``y = scale * x + offset`` per element; both object arrays of ``Real``."""

    scale: np.ndarray
    offset: np.ndarray

    def map_shape(self, fn) -> Affine:
        return Affine(fn(self.scale), fn(self.offset))

    def then(self, other: Affine) -> Affine:
        return Affine(other.scale * self.scale, other.scale * self.offset + other.offset)

    def is_dyadic(self) -> bool:
        return all(dyadic(v) is not None for v in np.concatenate([self.scale.ravel(), self.offset.ravel()]))

    def is_identity(self) -> bool:
        return all(s == 1 for s in self.scale.ravel()) and all(o == 0 for o in self.offset.ravel())


@dataclass(frozen=True)
class Clip:
    """``y = min(max(x, lo), hi)`` per element; either bound may be absent (relu: lo = 0).
    The bounds are object arrays of ``Real``."""

    lo: np.ndarray | None
    hi: np.ndarray | None

    def map_shape(self, fn) -> Clip:
        return Clip(None if self.lo is None else fn(self.lo), None if self.hi is None else fn(self.hi))

    def is_relu(self) -> bool:
        return self.hi is None and all(v == 0 for v in self.lo.ravel())


def relu_step(shape: tuple[int, ...]) -> Clip:
    return Clip(exact_array(np.zeros(shape, dtype=np.int64)), None)


Step = Affine | Clip


@dataclass(frozen=True)
class Pending:
    base: SSAValue
    steps: tuple[Step, ...]

    @property
    def shape(self) -> tuple[int, ...]:
        assert isinstance(self.base.type, FixedTensorType)
        return self.base.type.shape

    def then(self, step: Step) -> Pending:
        if isinstance(step, Affine) and self.steps and isinstance(self.steps[-1], Affine):
            return Pending(self.base, self.steps[:-1] + (self.steps[-1].then(step),))
        return Pending(self.base, self.steps + (step,))

    def evaluate(self, x: Real, index: int) -> Real:
        """The exact result at flat element ``index`` for the base value x."""
        for step in self.steps:
            if isinstance(step, Affine):
                x = step.scale.flat[index] * x + step.offset.flat[index]
                continue
            if step.lo is not None and x.compare(step.lo.flat[index]) < 0:
                x = step.lo.flat[index]
            if step.hi is not None and x.compare(step.hi.flat[index]) > 0:
                x = step.hi.flat[index]
        return x

    def affine(self) -> Affine | None:
        """The whole chain as one affine map, or None if it clips (relu)."""
        if any(isinstance(s, Clip) for s in self.steps):
            return None
        if not self.steps:
            return identity_affine(self.shape)
        (single,) = self.steps
        return single


def identity_affine(shape: tuple[int, ...]) -> Affine:
    return Affine(exact_array(np.ones(shape, dtype=np.int64)), exact_array(np.zeros(shape, dtype=np.int64)))


@dataclass(frozen=True)
class HostInput:
    name: str
    onnx_shape: tuple[int, ...]  # feature shape of the graph input
    shape: tuple[int, ...]  # feature shape after the host-side reshapes
    pre_ops: tuple[tuple[str, np.ndarray], ...] = ()

    def then(self, op: str, operand: np.ndarray, shape: tuple[int, ...] | None = None) -> HostInput:
        return HostInput(self.name, self.onnx_shape, shape or self.shape, self.pre_ops + ((op, operand),))


@dataclass(frozen=True)
class DroppedSoftmax:
    """A Softmax removed before a graph output: the output becomes its input, the logits
    (argmax-preserving); only a graph output may use it."""

    logits: Tensor | Pending


Value = Const | Tensor | Pending | HostInput | DroppedSoftmax
