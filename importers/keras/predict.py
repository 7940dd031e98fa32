"""Run an imported Keras model like ``model.predict``: float inputs in, float outputs out.

The inputs are quantized exactly as the model's input quantizer does it -- the per-element
formats are the function arguments' types, the rounding and overflow modes their
``fixedpoint.rounding`` / ``fixedpoint.overflow`` attributes -- starting from the exact
value of each float (every float is a dyadic rational).  The quantized inputs then run
through the bit-exact fixedpoint interpreter, and the outputs are returned as float64
(exact whenever an output fits in 53 bits).

Keras casts float64 inputs to float32 before the model sees them; pass float32 arrays to
get exactly ``model.predict``'s results.  HGQ2 quantizes in float32, which agrees with this exact quantization except in two
corners: RND rounding of an input whose scaled value ``x * 2**f`` is exactly
``0.5 - 2**-25`` (float32 rounds ``x*2**f + 0.5`` up to 1), and WRAP of inputs more than
2**24 LSBs outside the format (float32 loses the low bits before wrapping).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from xdsl.dialects import builtin, func

from ...dialects.fixedpoint.attributes import OverflowAttr, RoundingAttr
from ...dialects.fixedpoint.types import FixedTensorType
from ...interpreters.fixedpoint import Fixed, find_function, run_function
from ...numerics import Format, quantize
from .builder import OVERFLOW_ATTR, ROUNDING_ATTR


def predict(module: builtin.ModuleOp, inputs: np.ndarray | Sequence[np.ndarray],
            name: str | None = None) -> np.ndarray | list[np.ndarray]:
    """The model's float outputs for float inputs (batch first); one array for a
    single-output model, else a list."""
    function = find_function(module, name)
    outputs = run_function(module, quantize_inputs(function, inputs), name)
    values = [o.to_float() for o in outputs]
    return values[0] if len(values) == 1 else values


def quantize_inputs(function: func.FuncOp, inputs: np.ndarray | Sequence[np.ndarray]) -> list[Fixed]:
    """The exact quantized inputs of ``function`` for float arrays (batch first)."""
    arrays = [inputs] if isinstance(inputs, np.ndarray) else list(inputs)
    args = function.body.block.args
    if len(arrays) != len(args):
        raise ValueError(f"the model has {len(args)} inputs, got {len(arrays)}")
    attrs = function.arg_attrs.data if function.arg_attrs is not None else [None] * len(args)
    return [_quantize(np.asarray(x), arg.type, attr) for x, arg, attr in zip(arrays, args, attrs)]


def _quantize(x: np.ndarray, arg_type, attrs) -> Fixed:
    if not isinstance(arg_type, FixedTensorType):
        raise ValueError(f"argument type {arg_type} is not a fixed-point tensor")
    entries = attrs.data if attrs is not None else {}
    rounding, overflow = entries.get(ROUNDING_ATTR), entries.get(OVERFLOW_ATTR)
    if not isinstance(rounding, RoundingAttr) or not isinstance(overflow, OverflowAttr):
        raise ValueError("the function arguments carry no input quantizer (rounding / overflow attributes)")
    if x.shape[1:] != arg_type.shape:
        raise ValueError(f"input of shape {list(x.shape)} does not match [batch, {list(arg_type.shape)}]")
    mantissas, f_in = exact_dyadic(x)
    formats = arg_type.precision_array().reshape(-1)
    flat_in = mantissas.reshape(x.shape[0], -1)
    f_out = max((p.f for p in formats), default=0)
    out = np.empty(flat_in.shape, dtype=object)
    for fmt in set(formats):
        assert isinstance(fmt, Format)
        columns = [j for j, p in enumerate(formats) if p == fmt]
        q = quantize(flat_in[:, columns], f_in, fmt, rounding.data, overflow.data)
        out[:, columns] = q * (1 << (f_out - fmt.f))
    return Fixed(out.reshape(x.shape), f_out)


def exact_dyadic(x: np.ndarray) -> tuple[np.ndarray, int]:
    """Floats as exact ``mantissas * 2**-f`` with one f (Python ints)."""
    x = np.asarray(x, dtype=np.float64)
    if not np.all(np.isfinite(x)):
        raise ValueError("inputs must be finite")
    fraction, exponent = np.frexp(x)
    m = (fraction * 2.0**53).astype(np.int64)  # exact: fraction has at most 53 bits
    shift = 53 - exponent.astype(np.int64)  # x = m * 2**-shift
    f = int(shift[m != 0].max()) if np.any(m != 0) else 0
    out = np.empty(x.shape, dtype=object)
    flat, flat_m, flat_s = out.reshape(-1), m.reshape(-1).tolist(), shift.reshape(-1).tolist()
    for n, (mm, s) in enumerate(zip(flat_m, flat_s)):
        flat[n] = mm << (f - s) if mm else 0
    return out, f
