"""Emitting fixedpoint IR for a Keras layer graph: values, constants, quantizers, weights.

``ModelBuilder`` walks the layers in execution order and asks the handler of each layer
class (``layers.py``) for the ops that compute it.  It owns what the handlers share: the
function body under construction, the value of every tensor, reading a layer's weights and
quantizers from the h5 file, and the function signature.

The function's arguments are the *quantized* model inputs (what the hardware receives):
their types are the per-element formats of the quantizer that reads the input first, and
the function's ``fpga.inputs`` records (kind "fixed") hold that quantizer's rounding and
overflow modes, so a caller can quantize float inputs exactly as the model does
(``importers.onnx.model_io``, the convention every importer shares).  The first quantizer
is then not repeated in the body.  The outputs are the model's own values: their
``fpga.outputs`` records are the identity (scale 1, offset 0).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager

import h5py
import numpy as np
from xdsl.dialects import builtin, func
from xdsl.ir import Block, BlockArgument, Operation, Region, SSAValue
from xdsl.utils.exceptions import VerifyException

from ...dialects.fixedpoint.ops import ConstantOp, QuantizeOp, tensor_type
from ...dialects.fixedpoint.types import FixedTensorType
from ...errors import CompileError
from ..weight_values import real_array
from ..onnx.model_io import (
    INPUTS_ATTR,
    OUTPUTS_ATTR,
    InputRecord,
    encode_input,
    encode_output,
    identity_output,
)
from .archive import KerasArchive
from .graph import LayerCall, ModelGraph
from .quantizer import HGQQuantizer, load_quantizer

Handler = Callable[["ModelBuilder", LayerCall, list[SSAValue]], list[SSAValue]]
EntryQuantizer = Callable[["ModelBuilder", LayerCall, int], HGQQuantizer | None]


class ModelBuilder:
    def __init__(self, archive: KerasArchive, graph: ModelGraph,
                 handlers: dict[str, Handler], entry_quantizers: dict[str, EntryQuantizer]):
        self.archive = archive
        self.graph = graph
        self.handlers = handlers
        self.entry_quantizers = entry_quantizers
        self.block = Block()
        self.values: dict[tuple[str, int], SSAValue] = {}
        self.arg_quantizers: dict[BlockArgument, HGQQuantizer] = {}
        self._quantizers: dict[tuple[str, str], HGQQuantizer] = {}

    # ------------------------------------------------------------------ the function

    def build(self, function_name: str = "main") -> builtin.ModuleOp:
        input_records = []
        for name in self.graph.inputs:
            quantizer = self._input_quantizer(name)
            shape = self.graph.input_shapes[name]
            arg = self.block.insert_arg(FixedTensorType(shape, list(quantizer.formats(shape).ravel())),
                                        len(self.block.args))
            arg.name_hint = _name_hint(name)
            self.arg_quantizers[arg] = quantizer
            self.values[(name, 0)] = arg
            input_records.append(InputRecord.fixed(name, tuple(shape), (), quantizer.rounding,
                                                   quantizer.overflow))
        for call in self.graph.calls:
            if call.class_name == "InputLayer":
                continue
            inputs = [self.value(ref, call) for ref in call.inputs]
            outputs = self._emit_layer(call, inputs)
            if call.config.get("enable_oq"):
                if len(outputs) != 1:
                    raise CompileError(call.where, "an output quantizer on a multi-output layer is not supported")
                outputs = [self.quantize(outputs[0], self.quantizer(call, "oq"))]
            for n, value in enumerate(outputs):
                self.values[(call.name, n)] = value
        results = [self.value(ref, "the model outputs") for ref in self.graph.outputs]
        self.block.add_op(func.ReturnOp(*results))
        function = func.FuncOp(
            function_name,
            ([a.type for a in self.block.args], [r.type for r in results]),
            Region(self.block),
        )
        function.attributes[INPUTS_ATTR] = builtin.ArrayAttr([encode_input(r) for r in input_records])
        function.attributes[OUTPUTS_ATTR] = builtin.ArrayAttr([
            encode_output(identity_output(layer if index == 0 else f"{layer}:{index}", tensor_type(r).shape))
            for (layer, index), r in zip(self.graph.outputs, results)])
        module = builtin.ModuleOp([function])
        module.verify()
        return module

    def _emit_layer(self, call: LayerCall, inputs: list[SSAValue]) -> list[SSAValue]:
        handler = self._handler(call)
        with located(call):
            return handler(self, call, inputs)

    def _handler(self, call: LayerCall) -> Handler:
        """How to emit ``call`` (a located error for unsupported layer classes)."""
        handler = self.handlers.get(call.class_name)
        if handler is None:
            raise CompileError(call.where, "this layer class is not supported"
                               + (" (Lambda layers are never executed)" if call.class_name == "Lambda" else ""))
        self._check_dtype(call)
        return handler

    def _input_quantizer(self, name: str) -> HGQQuantizer:
        """The quantizer every reader of model input ``name`` applies to it first."""
        found: list[tuple[LayerCall, HGQQuantizer | None]] = []
        for call in self.graph.calls:
            for index, ref in enumerate(call.inputs):
                if ref == (name, 0):
                    self._handler(call)
                    entry = self.entry_quantizers.get(call.class_name)
                    with located(call):
                        found.append((call, entry(self, call, index) if entry else None))
        if not found:
            raise CompileError(f"input '{name}'", "no layer reads this model input")
        for call, quantizer in found:
            if quantizer is None:
                raise CompileError(call.where, f"reads model input '{name}' without quantizing it "
                                   "(the input must go through an HGQ2 input quantizer first)")
        first = found[0][1]
        for call, quantizer in found[1:]:
            if not same_quantizer(first, quantizer, self.graph.input_shapes[name]):
                raise CompileError(call.where, f"quantizes model input '{name}' differently from "
                                   f"{found[0][0].where}; one input format is needed")
        return first

    def _check_dtype(self, call: LayerCall) -> None:
        dtype = call.config.get("dtype")
        if isinstance(dtype, dict):
            inner = dtype.get("config")
            dtype = inner.get("name") if isinstance(inner, dict) else inner
        if dtype not in (None, "float32"):
            raise CompileError(call.where, f"dtype policy '{dtype}' is not supported (float32 only)")

    # ------------------------------------------------------------------ values and ops

    def value(self, ref: tuple[str, int], reader: LayerCall | str) -> SSAValue:
        if ref not in self.values:
            where = reader.where if isinstance(reader, LayerCall) else reader
            raise CompileError(where, f"reads output {ref[1]} of layer '{ref[0]}', which does not exist")
        return self.values[ref]

    def emit(self, op: Operation) -> SSAValue:
        self.block.add_op(op)
        return op.results[0]

    def constant(self, mantissas: np.ndarray, f: int) -> SSAValue:
        return self.emit(ConstantOp(np.asarray(mantissas, dtype=object), f))

    def quantize(self, value: SSAValue, quantizer: HGQQuantizer) -> SSAValue:
        """``value`` through an activation quantizer (skipped where it is already applied)."""
        shape = tensor_type(value).shape
        if isinstance(value, BlockArgument) and value in self.arg_quantizers and \
                same_quantizer(self.arg_quantizers[value], quantizer, shape):
            return value
        formats = quantizer.formats(shape)
        return self.emit(QuantizeOp(value, list(formats.ravel()), quantizer.rounding, quantizer.overflow))

    # ------------------------------------------------------------------ weights

    def group(self, call: LayerCall) -> h5py.Group:
        group = self.archive.layer_group(call.name, call.saved_as)
        if group is None:
            raise CompileError(call.where, "model.weights.h5 has no weights for this layer (missing weight)")
        return group

    def variables(self, call: LayerCall, created: Sequence[tuple[str, bool, bool]]) -> dict[str, np.ndarray]:
        """The layer's own variables by name.  ``created`` lists (name, trainable, present)
        in creation order; Keras saves the trainable ones first, then the others."""
        present = [(n, t) for n, t, p in created if p]
        order = [n for n, t in present if t] + [n for n, t in present if not t]
        vars_group = self.group(call).get("vars")
        keys = set(vars_group.keys()) if isinstance(vars_group, h5py.Group) else set()
        if keys != {str(n) for n in range(len(order))}:
            raise CompileError(
                call.where, f"expected {len(order)} weights ({', '.join(order)}) in model.weights.h5, "
                f"found {len(keys)} (missing weight?)"
            )
        return {name: real_array(vars_group[str(n)][()], f"{call.where}: weight '{name}'") for n, name in enumerate(order)}

    def quantizer(self, call: LayerCall, attr: str | None = None, index: int | None = None) -> HGQQuantizer:
        """A layer's quantizer: ``attr`` is iq, kq, bq or oq (None: the layer is an HGQ2
        ``Quantizer``); ``index`` picks one input quantizer of a multi-input layer."""
        key = (call.name, f"{attr or ''}{'' if index is None else index}")
        if key not in self._quantizers:
            where = call.where if attr is None else f"{call.where}, quantizer {key[1]}"
            group = self.group(call)
            if attr is None:
                config, sub = call.config.get("config"), group
            elif index is None:
                config, sub = call.config.get(f"{attr}_conf"), group.get(attr)
            else:
                confs = call.config.get("iq_confs")
                config = confs[index] if isinstance(confs, list) and index < len(confs) else confs
                sub = group.get(f"{attr}/quantizers/quantizer" + (f"_{index}" if index else ""))
            self._quantizers[key] = load_quantizer(config, sub if isinstance(sub, h5py.Group) else None, where)
        return self._quantizers[key]


@contextmanager
def located(call: LayerCall) -> Iterator[None]:
    """Report a configuration value of the wrong kind, or weights of the wrong shape, at
    the layer (the config is untyped JSON, the weights are whatever the file holds)."""
    try:
        yield
    except (TypeError, ValueError, KeyError, IndexError, AttributeError, VerifyException) as e:
        raise CompileError(call.where, f"invalid layer configuration or weights: {e}") from None


def same_quantizer(a: HGQQuantizer, b: HGQQuantizer, shape: tuple[int, ...]) -> bool:
    return (a.rounding, a.overflow) == (b.rounding, b.overflow) and \
        bool(np.all(a.formats(shape) == b.formats(shape)))


def _name_hint(name: str) -> str | None:
    hint = "".join(c if c.isalnum() or c == "_" else "_" for c in name)
    return hint if hint and not hint[0].isdigit() else None
