"""What each supported Keras 2 / QKeras layer computes at inference, as fixedpoint ops.

Dense and convolution layers reuse the HGQ2 importer's handlers (``q_dense``, ``q_conv``):
with ``Keras2Builder`` their kernel and bias quantizers are the layer's QKeras quantizers (or
default_precision in a float model) and they have no input quantizer.  The layer's own
``activation`` is applied here afterwards, since in QKeras it may be a quantizer
(``QDense(..., activation="quantized_relu(6)")``).

Activations: ``linear``, ``relu``; QKeras quantizers that are a fixed-point rounding
(``quantized_bits``, ``quantized_relu``, ``quantized_tanh``, ``quantized_sigmoid`` of
``x/2 + 1/2``; see quantizers.py) as ``fixedpoint.quantize``;
``sigmoid`` and ``tanh`` as tables at default_precision (as for float ONNX models); ``softmax``
as the ONNX importer builds it (dropped at a model output with ``softmax="argmax"``, the
default, or tables with ``softmax="table"``).

A float model (no QKeras layer) rounds every dense / convolution / batch-norm / add result to
``default_precision`` (TRN, WRAP unless the string says otherwise), as hls4ml does.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np
from xdsl.ir import SSAValue

from ...dialects.fixedpoint.ops import AddOp, MulOp, ReluOp, tensor_type
from ...errors import CompileError
from ..keras import layers as hgq_layers
from ..keras import window_layers
from ..keras.graph import LayerCall
from ..onnx.float_model import function_lookup
from ..onnx.softmax import SOFTMAX_MODES, table_softmax
from .builder import Keras2Builder
from .quantizers import FixedActivation, parse_quantizer

KERAS_ACTIVATIONS = {"linear", "relu", "softmax", "sigmoid", "tanh"}


class TableContext:
    """The part of the ONNX converter context that ``function_lookup`` and
    ``table_softmax`` use: options, ``emit``, ``attr`` (defaults) and located errors."""

    opset = 13  # softmax over one axis, the last

    def __init__(self, b: Keras2Builder, call: LayerCall):
        self.builder = b
        self.where = call.where
        self.options = b.options

    def attr(self, name: str, default: Any = None) -> Any:
        return default

    def emit(self, op):
        self.builder.block.add_op(op)
        return op

    def error(self, message: str) -> CompileError:
        return CompileError(self.where, message)


def _is_model_output(b: Keras2Builder, call: LayerCall) -> bool:
    readers = [c for c in b.graph.calls if any(ref[0] == call.name for ref in c.inputs)]
    return not readers and (call.name, 0) in b.graph.outputs


def softmax(b: Keras2Builder, call: LayerCall, x: SSAValue) -> SSAValue:
    mode = b.options.get("softmax") or "argmax"
    if mode not in SOFTMAX_MODES:
        raise CompileError(call.where, f"unknown softmax={mode!r}; expected one of {', '.join(SOFTMAX_MODES)}")
    if mode == "argmax":
        if not _is_model_output(b, call):
            raise CompileError(call.where, "a softmax inside the network needs softmax='table' "
                               "(softmax='argmax' only drops a final softmax)")
        return x  # the logits: their argmax is the softmax's
    return table_softmax(TableContext(b, call), x)


def apply_activation(b: Keras2Builder, call: LayerCall, x: SSAValue, spec: Any) -> SSAValue:
    """A Keras activation name or a QKeras quantizer, applied to ``x``."""
    if spec in (None, "linear"):
        return x
    if spec == "relu":
        return b.emit(ReluOp(x))
    if spec == "softmax":
        return softmax(b, call, x)
    if spec in ("sigmoid", "tanh"):
        fn = np.tanh if spec == "tanh" else (lambda v: 1.0 / (1.0 + np.exp(-v)))
        return b.emit(function_lookup(TableContext(b, call), x, fn, b.float_precision(call)))
    if isinstance(spec, str) and "(" not in spec:
        raise CompileError(call.where, f"activation '{spec}' is not supported (supported: "
                           f"{', '.join(sorted(KERAS_ACTIVATIONS))} and QKeras quantizers)")
    quantizer = parse_quantizer(spec, f"{call.where}, activation")
    fmt = quantizer.activation_format()
    if quantizer.sigmoid_offset:  # the hard sigmoid rounds x/2 + 1/2
        shape = tensor_type(x).shape
        half = b.constant(np.ones(shape, dtype=object), 1)
        x = b.emit(AddOp(b.emit(MulOp(x, half)), half))
    return b.quantize(x, fmt)


def _linear_call(call: LayerCall, class_name: str | None = None) -> LayerCall:
    """The layer without its activation (applied afterwards), for the HGQ2 handlers."""
    return replace(call, class_name=class_name or call.class_name,
                   config={**call.config, "activation": "linear"})


def dense(b: Keras2Builder, call: LayerCall, inputs: list[SSAValue]) -> list[SSAValue]:
    (y,) = hgq_layers.q_dense(b, _linear_call(b.fold_following_batch_norm(call)), inputs)
    return [apply_activation(b, call, b.layer_output(call, y), call.config.get("activation"))]


def conv(b: Keras2Builder, call: LayerCall, inputs: list[SSAValue]) -> list[SSAValue]:
    """Conv1D / Conv2D / QConv1D / QConv2D (the HGQ2 handler checks the rank by its name)."""
    if call.config.get("groups", 1) != 1:
        raise CompileError(call.where, "grouped convolutions are not supported")
    rank = call.class_name.removeprefix("Q")[4]
    (y,) = window_layers.q_conv(b, _linear_call(b.fold_following_batch_norm(call), f"QConv{rank}D"), inputs)
    return [apply_activation(b, call, b.layer_output(call, y), call.config.get("activation"))]


def batch_normalization(b: Keras2Builder, call: LayerCall, inputs: list[SSAValue]) -> list[SSAValue]:
    """Keras BatchNormalization: folded into the dense / convolution before it where
    ``Keras2Builder.fold_following_batch_norm`` could; else x * gamma / sqrt(var + eps) +
    (beta - mean * scale), the factors in float32 rounded as the model's weights are (HGQ2's
    handler)."""
    if call.name in b.fused_batch_norms:
        return [hgq_layers.single(call, inputs)]  # folded into the layer before it
    config = call.config
    if not config.get("center", True):
        raise CompileError(call.where, "batch normalization without center is not supported")
    (y,) = hgq_layers.q_batch_normalization(b, call, inputs)
    return [b.layer_output(call, y)]


def activation_layer(b: Keras2Builder, call: LayerCall, inputs: list[SSAValue]) -> list[SSAValue]:
    x = hgq_layers.single(call, inputs)
    spec = call.config.get("activation")
    if call.class_name == "Softmax":
        if call.config.get("axis", -1) != -1:
            raise CompileError(call.where, "softmax over another axis than the last is not supported")
        spec = "softmax"
    return [apply_activation(b, call, x, spec)]


def q_activation(b: Keras2Builder, call: LayerCall, inputs: list[SSAValue]) -> list[SSAValue]:
    return [apply_activation(b, call, hgq_layers.single(call, inputs), call.config.get("activation"))]


def add(b: Keras2Builder, call: LayerCall, inputs: list[SSAValue]) -> list[SSAValue]:
    (y,) = hgq_layers.merge(b, call, inputs)
    return [b.layer_output(call, y)]


def average_pooling(b: Keras2Builder, call: LayerCall, inputs: list[SSAValue]) -> list[SSAValue]:
    (y,) = window_layers.pooling(b, call, inputs)
    return [b.layer_output(call, y)]


HANDLERS = {
    "Dense": dense,
    "QDense": dense,
    **{name: conv for name in ("Conv1D", "Conv2D", "QConv1D", "QConv2D")},
    "BatchNormalization": batch_normalization,
    "Activation": activation_layer,
    "Softmax": activation_layer,
    "QActivation": q_activation,
    "ReLU": hgq_layers.relu_layer,
    "Add": add,
    "Concatenate": hgq_layers.concatenate,
    "Reshape": hgq_layers.reshape,
    "Flatten": hgq_layers.reshape,
    "Dropout": hgq_layers.identity,
    **{f"{kind}Pooling{r}D": window_layers.pooling for kind in ("Max", "GlobalMax") for r in (1, 2)},
    **{f"{kind}Pooling{r}D": average_pooling for kind in ("Average", "GlobalAverage") for r in (1, 2)},
}


def entry_format(b: Keras2Builder, call: LayerCall, index: int) -> FixedActivation:
    """How a layer reading a model input quantizes it: a QActivation's fixed-point
    quantizer, else the input precision option."""
    spec = call.config.get("activation")
    if call.class_name == "QActivation" and spec is not None and spec not in KERAS_ACTIVATIONS:
        return parse_quantizer(spec, f"{call.where}, activation").activation_format()
    return b.input_format(call)


ENTRY_QUANTIZERS = {name: entry_format for name in HANDLERS}
