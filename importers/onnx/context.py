"""The converter registry and the context every converter receives.

A converter turns one ONNX node into fixedpoint ops.  Register it with the decorator::

    from .context import ConversionContext, converter

    @converter("Relu")
    def relu(ctx: ConversionContext) -> list[Value]:
        x = ctx.inputs[0]
        ...
        return [result]

Signature: ``converter(ctx) -> list[Value]``, one value per node output (see values.py
for the kinds: ``Const``, ``Tensor``, ``Pending``, ``HostInput``).  ``domains`` selects the
ONNX domains the converter serves (default: the standard domain ""; ``QONNX_DOMAINS`` for
QONNX custom ops).  ``ctx`` offers:

- ``ctx.node`` (the onnx NodeProto), ``ctx.opset`` (the standard-domain opset version),
  ``ctx.options`` (the keyword options given to ``import_onnx``);
- ``ctx.inputs``: one value per node input, None for an omitted optional input;
- ``ctx.attr(name, default)``: a node attribute as a Python value (bytes decoded to str);
- ``ctx.const(i, role)``: input i as a ``Const`` (CompileError naming the node if it is not
  a compile-time constant, e.g. a dynamic weight); ``ctx.exact_const(i, role)`` its exact
  values (object array of ``Real``);
- ``ctx.value(i, role)``: input i with a graph input before its quantizer turned into a
  hardware value (its format from the ``input_precision`` option);
- ``ctx.tensor(i)``: input i as a fixedpoint SSA value, materializing pending float
  arithmetic exactly (CompileError if that is impossible);
- ``ctx.emit(op)``: append an op to the function body and return it;
- ``ctx.error(message)``: a ``CompileError`` located at "node '<name>' (<op_type>)";
- ``ctx.broadcast(array, shape, role)``: a constant broadcast to a feature shape (the ONNX
  batch axis dropped), with a CompileError if it would broadcast over the batch.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Protocol

import numpy as np
import onnx
from xdsl.ir import Block, Operation, SSAValue

from ...dialects.fixedpoint.types import FixedTensorType
from ...errors import CompileError
from .model_io import InputRecord
from .values import Const, HostInput, Value

QONNX_DOMAINS = ("qonnx.custom_op.general", "finn.custom_op.general", "onnx.brevitas")
STANDARD_DOMAIN = ""

Converter = Callable[["ConversionContext"], Sequence[Value]]
CONVERTERS: dict[tuple[str, str], Converter] = {}


class Importer(Protocol):
    """What a conversion reaches of the graph importer (``graph.GraphImporter``): the model
    and its options, the function body being built, and the ways a value becomes a
    hardware value or a function argument."""

    model: onnx.ModelProto
    opset: int
    options: dict[str, Any]
    block: Block

    def hardware(self, value: Value, ctx: ConversionContext) -> Value: ...

    def materialize(self, value: Value, ctx: ConversionContext) -> SSAValue: ...

    def add_argument(self, fmt_type: FixedTensorType, record: InputRecord) -> SSAValue: ...

    def host_argument(self, host: HostInput, record: InputRecord, fmt_type: FixedTensorType,
                      scale: np.ndarray | None) -> Value: ...


def converter(op_type: str, *, domains: Sequence[str] = (STANDARD_DOMAIN,)):
    """Register the decorated function as the converter of ``op_type`` in ``domains``."""

    def register(fn: Converter) -> Converter:
        for domain in domains:
            CONVERTERS[(domain, op_type)] = fn
        return fn

    return register


def normalize_domain(domain: str) -> str:
    return STANDARD_DOMAIN if domain in ("", "ai.onnx") else domain


def is_qonnx_domain(domain: str) -> bool:
    """Whether ``domain`` is one of the spellings the qonnx, FINN and Brevitas tools have
    written their quantizers under (``qonnx.custom_op.general``, ``finn.custom_op.general``,
    ``onnx.brevitas``, and shorter ones such as ``finn`` or ``qonnx.custom_op``); not the
    layout domains (``qonnx.custom_op.channels_last``) nor FINN's hardware layers."""
    if domain in QONNX_DOMAINS:
        return True
    parts = domain.split(".")
    return (parts[0] in ("qonnx", "finn") and "channels_last" not in parts
            and "fpgadataflow" not in parts and set(parts[1:]) <= {"custom_op", "general"})


def find_converter(domain: str, op_type: str) -> Converter | None:
    """The converter of a node: by its exact (normalized) domain, or for a quantizer under
    another qonnx spelling, by the canonical QONNX domain."""
    domain = normalize_domain(domain)
    fn = CONVERTERS.get((domain, op_type))
    if fn is None and is_qonnx_domain(domain):
        fn = CONVERTERS.get((QONNX_DOMAINS[0], op_type))
    return fn


def node_location(node: onnx.NodeProto) -> str:
    return f"node '{node.name or '<unnamed>'}' ({node.op_type})"


class ConversionContext:
    def __init__(self, importer: Importer, node: onnx.NodeProto, inputs: list[Value | None]):
        self.importer = importer
        self.node = node
        self.inputs = inputs

    @property
    def opset(self) -> int:
        return self.importer.opset

    @property
    def options(self) -> dict[str, Any]:
        return self.importer.options

    @property
    def where(self) -> str:
        return node_location(self.node)

    def error(self, message: str) -> CompileError:
        return CompileError(self.where, message)

    def attr(self, name: str, default: Any = None) -> Any:
        for a in self.node.attribute:
            if a.name == name:
                value = onnx.helper.get_attribute_value(a)
                return value.decode() if isinstance(value, bytes) else value
        return default

    def input(self, i: int, role: str) -> Value:
        if i >= len(self.inputs) or self.inputs[i] is None:
            raise self.error(f"missing input {i} ({role})")
        return self.inputs[i]

    def optional(self, i: int) -> Value | None:
        return self.inputs[i] if i < len(self.inputs) else None

    def const(self, i: int, role: str) -> Const:
        value = self.input(i, role)
        if not isinstance(value, Const):
            name = self.node.input[i]
            raise self.error(
                f"the {role} '{name}' is not a compile-time constant (dynamic {role}s are "
                "not supported: only initializers, Constant nodes and what folds from them)"
            )
        return value

    def exact_const(self, i: int, role: str) -> np.ndarray:
        return self.const(i, role).exact()

    def value(self, i: int, role: str) -> Value:
        """Input i as a hardware value (``Tensor`` or ``Pending``) or a ``Const``: a graph
        input before its quantizer is given its hardware format (input_precision)."""
        return self.importer.hardware(self.input(i, role), self)

    def tensor(self, i: int) -> SSAValue:
        return self.importer.materialize(self.input(i, "data"), self)

    def emit(self, op: Operation) -> Operation:
        self.importer.block.add_op(op)
        return op

    def broadcast(self, array: np.ndarray, shape: Sequence[int], role: str) -> np.ndarray:
        """Broadcast an ONNX constant against a tensor of feature shape ``shape``."""
        full = (1,) + tuple(shape)
        try:
            result = np.broadcast_shapes(np.shape(array), full)
        except ValueError:
            result = None
        if result != full:
            raise self.error(
                f"the {role} of shape {list(np.shape(array))} does not broadcast to the "
                f"tensor shape {list(full)} without changing it"
            )
        return np.broadcast_to(array, full)[0]
