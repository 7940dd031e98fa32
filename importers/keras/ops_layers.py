"""HGQ2's accumulation layers and Keras ops layers, as fixedpoint ops.

``QSum`` (the particle pooling of HGQ2's particle-level taggers) quantizes its input
(``iq``), sums it over ``axes`` and multiplies by ``scale``, a power of two; ``QMeanPow2``
is the same with ``scale = 2**round(log2(1/n))`` for n summed elements.  The sum is a
dense product with a column of ones (the scale folded into the constant), applied at every
position of the kept axes, so the optimizer solves one adder tree and instantiates it per
position:

    QSum(axes=[1], scale=2**-5) on x: (32 particles, 16 features)
      -> transpose x to (16, 32) -> dense with ones (32 x 1), f = 5 -> reshape (1, 16)

``GetItem`` (``x[:, :50]``, Keras's ``ops`` slicing) selects elements: a dense product
with a 0/1 selection matrix, one 1 per column, which lowers to wires (no adder).
"""

from __future__ import annotations

from math import log2, prod
from typing import Any

import numpy as np
from xdsl.ir import SSAValue

from ...dialects.fixedpoint.ops import DenseOp, ReshapeOp, TransposeOp
from ...errors import CompileError
from .builder import ModelBuilder
from .graph import LayerCall
from .layers import input_quantized, iq_entry, shape_of, single


def _summed_axes(call: LayerCall, rank: int) -> list[int]:
    """The sample axes (batch excluded) named by Keras ``axes`` (which count the batch)."""
    axes = call.config.get("axes", -1)
    axes = [axes] if isinstance(axes, int) else axes
    if not isinstance(axes, list) or not axes or not all(isinstance(a, int) for a in axes):
        raise CompileError(call.where, f"axes {axes!r} are not a list of integers")
    out = sorted({a + rank + 1 if a < 0 else a for a in axes})
    if out[0] < 1 or out[-1] > rank:
        raise CompileError(call.where, f"axes {axes} are out of range for inputs of rank {rank + 1} "
                           "(the batch axis cannot be summed)")
    return [a - 1 for a in out]


def _scale_exponent(call: LayerCall, summed: int) -> int:
    if call.class_name == "QMeanPow2":
        return round(log2(1.0 / summed))
    scale = call.config.get("scale", 1.0)
    if not isinstance(scale, int | float) or scale <= 0 or not log2(scale).is_integer():
        raise CompileError(call.where, f"scale {scale!r} is not a power of two")
    return int(log2(scale))


def q_sum(b: ModelBuilder, call: LayerCall, inputs: list[SSAValue]) -> list[SSAValue]:
    """HGQ2 QSum / QMeanPow2: ``sum(iq(x), axes, keepdims) * scale``."""
    x = input_quantized(b, call, single(call, inputs))
    shape = shape_of(x)
    axes = _summed_axes(call, len(shape))
    kept = [a for a in range(len(shape)) if a not in axes]
    n = prod(shape[a] for a in axes)
    if kept + axes != list(range(len(shape))):
        x = b.emit(TransposeOp(x, kept + axes))
    x = b.emit(ReshapeOp(x, [shape[a] for a in kept] + [n]))
    exponent = _scale_exponent(call, n)
    ones = np.full((n, 1), 1 << max(exponent, 0), dtype=object)
    y = b.emit(DenseOp(x, b.constant(ones, max(-exponent, 0))))
    keepdims = bool(call.config.get("keepdims", False))
    out_shape = [1 if a in axes else shape[a] for a in range(len(shape))] if keepdims else \
        [shape[a] for a in kept]
    return [b.emit(ReshapeOp(y, out_shape))]


def _index_item(call: LayerCall, item: Any) -> Any:
    """One serialized index of a Keras ``GetItem`` key as a numpy index."""
    if isinstance(item, int) and not isinstance(item, bool):
        return item
    if isinstance(item, dict) and item.get("class_name") == "__slice__":
        c = item.get("config") or {}
        bounds = [c.get(key) for key in ("start", "stop", "step")]
        if all(v is None or (isinstance(v, int) and not isinstance(v, bool)) for v in bounds) and bounds[2] != 0:
            return slice(*bounds)
    if isinstance(item, dict) and item.get("class_name") == "__ellipsis__":
        return Ellipsis
    raise CompileError(call.where, f"index {item!r} is not supported (integers, slices and ... only)")


def _index_key(call: LayerCall) -> tuple[Any, ...]:
    args = call.arguments
    if len(args) != 2:
        raise CompileError(call.where, "expects a tensor and an index key")
    key = args[1]
    return tuple(_index_item(call, item) for item in (key if isinstance(key, list) else [key]))


def _selected_positions(call: LayerCall, key: tuple[Any, ...], shape: tuple[int, ...]) -> np.ndarray:
    """The row-major positions in one sample that ``x[key]`` picks, in the result's shape.
    The key indexes the batch axis too, which it must keep whole."""
    size = prod(shape)
    two_samples = np.arange(2 * size).reshape((2,) + tuple(shape))
    try:
        picked = two_samples[key]
    except (IndexError, TypeError) as e:
        raise CompileError(call.where, f"index does not fit an input of shape {['batch', *shape]}: {e}") from None
    if picked.ndim == 0 or picked.shape[0] != 2 or not np.array_equal(picked[1], picked[0] + size):
        raise CompileError(call.where, "the index must keep the batch axis whole")
    return picked[0]


def get_item(b: ModelBuilder, call: LayerCall, inputs: list[SSAValue]) -> list[SSAValue]:
    """Keras GetItem: ``x[key]`` with integers, slices and ``...`` (batch axis kept)."""
    if not inputs:
        raise CompileError(call.where, "expects one input")
    x = inputs[0]
    shape = shape_of(x)
    positions = _selected_positions(call, _index_key(call), shape)
    if positions.ndim == 0:
        raise CompileError(call.where, "selecting a single element per sample (a scalar) is not supported")
    size = prod(shape)
    if positions.shape == shape and np.array_equal(positions.ravel(), np.arange(size)):
        return [x]
    selection = np.zeros((size, positions.size), dtype=object)
    selection[positions.ravel(), np.arange(positions.size)] = 1
    flat = b.emit(ReshapeOp(x, [size])) if len(shape) != 1 else x
    y = b.emit(DenseOp(flat, b.constant(selection, 0)))
    return [b.emit(ReshapeOp(y, list(positions.shape))) if positions.ndim != 1 else y]


HANDLERS = {
    "QSum": q_sum,
    "QMeanPow2": q_sum,
    "GetItem": get_item,
}


ENTRY_QUANTIZERS = {"QSum": iq_entry, "QMeanPow2": iq_entry}
"""How a layer quantizes its input on entry (GetItem does not)."""
