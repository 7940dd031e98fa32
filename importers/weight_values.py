"""Weights read from a model file are real numbers the model's own runtime can hold.

A tensor of complex numbers, strings or Python objects, a NaN, or a float beyond float32's
range (a 1e300 double, which the float32 model arithmetic turns into inf) is refused with
a located error here, when it is read, instead of being cast with a numpy warning.  An
exact infinity stays allowed (a Clip bound or a threshold may be infinite).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import numpy as np

from ..errors import CompileError

T = TypeVar("T")

FLOAT32_MAX = float(np.finfo(np.float32).max)


def real_array(value, where: str) -> np.ndarray:
    """``value`` as an array, refused unless it holds booleans, integers or floats that
    are not NaN and within float32's range (or exactly infinite)."""
    array = np.asarray(value)
    if array.dtype.kind not in "biuf":
        raise CompileError(where, f"has values of type {array.dtype}; weights must be real numbers")
    if array.dtype.kind == "f" and array.size:
        with np.errstate(invalid="ignore"):
            if np.isnan(array).any():
                raise CompileError(where, "has NaN values")
            finite = array[np.isfinite(array)]
            if finite.size and np.abs(finite).max() > FLOAT32_MAX:
                raise CompileError(where, f"has a value of magnitude {np.abs(finite).max():.3g}, "
                                          "beyond float32's range")
    return array


def with_strict_float_arithmetic(importer: Callable[..., T]) -> Callable[..., T]:
    """``importer(data, filename, **options)`` run with numpy's overflow, division by zero
    and invalid operations raising instead of warning: constant folding of ``1 / 0`` or a
    float32 cast overflowing is then an error (the ONNX importer names the node; anything
    else names the file)."""

    def strict(data: bytes, filename: str, **options) -> T:
        try:
            with np.errstate(divide="raise", over="raise", invalid="raise"):
                return importer(data, filename, **options)
        except FloatingPointError as e:
            raise CompileError(filename, f"arithmetic error in the model's constants ({e})") from None

    return strict


INTEGER_DIVISIONS = ("Div", "Mod")
MAX_CHECKED_FOLD = 100_000
"""Largest folded integer result recomputed exactly to detect overflow."""


def check_integer_folding(op_type: str, operands: list, result, recompute: Callable[[list], object],
                          where: str) -> None:
    """Constant folding over integers is exact or an error: a division by zero, or a result
    that wrapped around (``recompute`` applies the folder to Python-integer arrays, which
    never overflow; ops it cannot run on those are not checked)."""
    result = np.asarray(result)
    arrays = [a for a in operands if a is not None]
    if result.dtype.kind not in "iu" or not arrays or any(a.dtype.kind not in "biu" for a in arrays):
        return
    if op_type in INTEGER_DIVISIONS and len(arrays) > 1 and (arrays[1] == 0).any():
        raise CompileError(where, "integer division by zero in constant folding")
    if result.size > MAX_CHECKED_FOLD:
        return
    try:
        exact = np.asarray(recompute([None if a is None else a.astype(object) for a in operands]), dtype=object)
    except (TypeError, ValueError, ArithmeticError):
        return
    if exact.shape == result.shape and not all(int(e) == int(r) for e, r in zip(exact.ravel(), result.ravel())):
        raise CompileError(where, f"integer overflow in constant folding (the result does not fit {result.dtype})")
