"""The fixedpoint function of a Keras 2 / QKeras model: the HGQ2 importer's builder, with
Keras 2 weights and QKeras (or hls4ml) constant quantizers.

``Keras2Builder`` is ``importers.keras.builder.ModelBuilder`` (values, ops, the function
signature and its host records) with three differences:

- a layer's weights come from the Keras 2 weights file by name (``files.Keras2Model``);
- a layer's kernel and bias quantizers (``kq``, ``bq``) are its QKeras ``kernel_quantizer``
  and ``bias_quantizer`` (the float32 values QKeras multiplies with, exactly), or, in a float
  model, ``default_precision`` as hls4ml quantizes weights (``hls4ml_weight_mantissas``);
- layers have no input quantizer (``iq`` passes the value through).

A model input is typed by the QActivation that reads it first, if that is a fixed-point
quantizer; otherwise by the ``input_precision`` (or ``default_precision``) option.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

import numpy as np
from xdsl.ir import SSAValue

from ...errors import CompileError
from ...precision_syntax import ParsedPrecision
from ..keras.builder import ModelBuilder
from ..keras.graph import LayerCall, ModelGraph
from ..onnx.float_model import hls4ml_weight_mantissas
from ..onnx.graph import parse_input_format
from .files import Keras2Model
from .quantizers import FixedActivation, QKerasQuantizer, exact_mantissas, parse_quantizer

PASS_THROUGH = None
"""The ``iq`` of a Keras 2 layer: no input quantizer."""


class QKerasConstants:
    """A QKeras layer's weight quantizer (None: the float32 weights themselves)."""

    def __init__(self, quantizer: QKerasQuantizer | None, where: str):
        self.quantizer = quantizer
        self.where = where

    def quantize_constant(self, w: np.ndarray) -> tuple[np.ndarray, int]:
        w = np.asarray(w, dtype=np.float32)
        values = self.quantizer.quantize_weights(w) if self.quantizer is not None else w
        return exact_mantissas(values, self.where)


class Hls4mlConstants:
    """A float model's weights at ``default_precision``, as hls4ml writes them."""

    def __init__(self, precision: ParsedPrecision):
        self.precision = precision

    def quantize_constant(self, w: np.ndarray) -> tuple[np.ndarray, int]:
        return hls4ml_weight_mantissas(np.asarray(w, dtype=np.float32), self.precision), self.precision.format.f


def precision_activation(precision: ParsedPrecision) -> FixedActivation:
    return FixedActivation(precision.format, precision.rounding, precision.overflow)


def is_qkeras_layer(call: LayerCall) -> bool:
    return call.module.startswith("qkeras") or call.class_name.startswith("Q")


class Keras2Builder(ModelBuilder):
    def __init__(self, model: Keras2Model, graph: ModelGraph, handlers, entry_quantizers,
                 options: dict[str, Any], precision: ParsedPrecision | None):
        super().__init__(model.archive, graph, handlers, entry_quantizers)
        self.model = model
        self.options = options
        self.precision = precision  # default_precision of a float model, else None
        self.is_float_model = not any(is_qkeras_layer(c) for c in graph.calls)
        self.fused_weights: dict[str, dict[str, np.ndarray]] = {}  # layer -> weights with a batch norm folded in
        self.fused_batch_norms: set[str] = set()

    # ------------------------------------------------------------------ weights

    def variables(self, call: LayerCall, created: Sequence[tuple[str, bool, bool]]) -> dict[str, np.ndarray]:
        """The layer's weights by name; ``created`` lists (name, trainable, present), and
        every present one must be in the file (HGQ2's ebops counters are not)."""
        weights = self.fused_weights.get(call.name) or self.model.layer_weights(call)
        for name, _, present in created:
            if present and not name.startswith("ebops") and name not in weights:
                raise CompileError(call.where, f"{self.model.weights_name} has no '{name}' weight for "
                                   "this layer (missing weight)")
        return weights

    def quantizer(self, call: LayerCall, attr: str | None = None, index: int | None = None):
        if attr == "iq":
            return PASS_THROUGH
        if attr in ("kq", "bq"):
            if self.is_float_model:
                return Hls4mlConstants(self.float_precision(call))
            key = "kernel_quantizer" if attr == "kq" else "bias_quantizer"
            spec = call.config.get(key)
            where = f"{call.where}, {key}"
            return QKerasConstants(parse_quantizer(spec, where) if spec else None, where)
        raise CompileError(call.where, f"no quantizer '{attr}' in a Keras 2 layer")

    def quantize(self, value: SSAValue, quantizer) -> SSAValue:
        return value if quantizer is PASS_THROUGH else super().quantize(value, quantizer)

    def fold_following_batch_norm(self, call: LayerCall) -> LayerCall:
        """In a float model, a BatchNormalization that alone reads a dense / convolution
        layer without activation is folded into its kernel and bias (in float64, as hls4ml's
        ``fuse_batchnorm``; the dense handler then reads them as float32) before they are
        quantized; returns the call to emit."""
        readers = [c for c in self.graph.calls if any(ref[0] == call.name for ref in c.inputs)]
        if not self.is_float_model or call.config.get("activation") not in (None, "linear") or \
                len(readers) != 1 or readers[0].class_name != "BatchNormalization" or \
                (call.name, 0) in self.graph.outputs:
            return call
        bn = readers[0]
        axis = bn.config.get("axis", -1)
        if axis not in (-1, [-1]) or not bn.config.get("center", True):
            return call
        v = self.model.layer_weights(bn)
        w = self.model.layer_weights(call)
        if "kernel" not in w or "moving_mean" not in v or "moving_variance" not in v:
            return call
        eps = float(np.float32(bn.config.get("epsilon", 1e-3)))
        gamma = v["gamma"].astype(np.float64) if bn.config.get("scale", True) else 1.0
        s = gamma / np.sqrt(v["moving_variance"].astype(np.float64) + eps)
        t = v.get("beta", 0.0) - v["moving_mean"].astype(np.float64) * s
        bias = w["bias"].astype(np.float64) if "bias" in w else 0.0
        self.fused_weights[call.name] = {"kernel": w["kernel"].astype(np.float64) * s, "bias": bias * s + t}
        self.fused_batch_norms.add(bn.name)
        return replace(call, config={**call.config, "use_bias": True})

    # ------------------------------------------------------------------ precisions

    def float_precision(self, call: LayerCall | str) -> ParsedPrecision:
        if self.precision is None:
            where = call.where if isinstance(call, LayerCall) else call
            raise CompileError(where, "a float (unquantized) Keras model needs default_precision "
                               "(--default-precision), an hls4ml string such as 'fixed<16,6>'")
        return self.precision

    def layer_output(self, call: LayerCall, y: SSAValue) -> SSAValue:
        """A float model's layer result rounded to default_precision (hls4ml's result_t)."""
        if self.is_float_model:
            return self.quantize(y, precision_activation(self.float_precision(call)))
        return y

    def input_format(self, call: LayerCall) -> FixedActivation:
        """The format of a model input that enters ``call`` without a quantizer."""
        text = self.options.get("input_precision") or self.options.get("default_precision")
        if text is None:
            raise CompileError(call.where, "reads a model input without a quantizer: give its "
                               "hardware format with --input-precision (the input_precision "
                               "option), e.g. 'fixed<1,3,12>' or 'ap_fixed<16,6>'")
        fmt, rounding, overflow = parse_input_format(text, call.where)
        return FixedActivation(fmt, rounding, overflow)
