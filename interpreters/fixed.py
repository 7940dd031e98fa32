"""The runtime value of the fixedpoint interpreters: a batch of exact fixed-point tensors.

``Fixed(mantissas, f)`` is ``mantissas * 2**-f`` with the mantissas a numpy object array of
Python ints, batch first; every interpreter of the fixedpoint dialect computes on these.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np


@dataclass(frozen=True)
class Fixed:
    """A batch of exact fixed-point tensors ``mantissas * 2**-f`` (batch is axis 0)."""

    mantissas: np.ndarray
    f: int

    @staticmethod
    def from_mantissas(m: Any, f: int) -> Fixed:
        return Fixed(as_python_ints(m), f)

    def at(self, f: int) -> np.ndarray:
        """The mantissas at the finer resolution ``f >= self.f``."""
        return self.mantissas * (1 << (f - self.f)) if f > self.f else self.mantissas

    def exact_equal(self, other: Fixed) -> bool:
        f = max(self.f, other.f)
        return self.mantissas.shape == other.mantissas.shape and bool(
            np.all(self.at(f) == other.at(f))
        )

    def to_float(self) -> np.ndarray:
        """The values as float64 (exact whenever they fit in 53 bits)."""
        m = self.mantissas
        return np.vectorize(lambda v: float(v) * 2.0**-self.f, otypes=[np.float64])(m)


def as_python_ints(m: Any) -> np.ndarray:
    array = np.asarray(m)
    if array.dtype != object and not np.issubdtype(array.dtype, np.integer):
        raise TypeError(f"mantissas must be integers, got dtype {array.dtype}")
    out = np.empty(array.shape, dtype=object)
    out[...] = array.tolist() if array.ndim else int(array)
    return out
