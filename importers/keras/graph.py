"""The layer graph of a Keras model config, functional or sequential, in execution order.

A functional config lists its layers with their ``inbound_nodes`` (Keras 3: ``{"args":
[keras tensors], "kwargs": {}}``, Keras 2: ``[[name, node, tensor, kwargs], ...]``) and names
its ``input_layers`` and ``output_layers``; a sequential config is a chain.  Either way the
result is a list of ``LayerCall``s whose inputs refer to earlier layers' outputs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ...errors import CompileError

TensorRef = tuple[str, int]
"""(layer name, output index) of a tensor in the model."""


@dataclass
class LayerCall:
    """One layer applied once: its config entry and the tensors it reads."""

    name: str
    class_name: str
    config: dict[str, Any]
    module: str
    inputs: list[TensorRef] = field(default_factory=list)
    saved_as: str = ""  # the layer's group under ``layers/`` in model.weights.h5 by Keras's naming
    arguments: list[Any] = field(default_factory=list)  # Keras 3: the call's positional args, as saved

    @property
    def where(self) -> str:
        return f"layer '{self.name}' ({self.class_name})"


@dataclass
class ModelGraph:
    calls: list[LayerCall]  # in an order where every input is computed before it is read
    inputs: list[str]  # names of the InputLayer calls, in the model's input order
    outputs: list[TensorRef]
    input_shapes: dict[str, tuple[int, ...]]  # per-sample shape of every model input


def parse_model(config: dict[str, Any], where: str) -> ModelGraph:
    class_name = config.get("class_name")
    body = config.get("config")
    if not isinstance(body, dict) or not isinstance(body.get("layers"), list):
        raise CompileError(where, "config.json does not describe a Keras model (no layer list)")
    if class_name in ("Functional", "Model"):
        return _functional(body, where)
    if class_name == "Sequential":
        return _sequential(body, config.get("build_config"), where)
    raise CompileError(where, f"unsupported model class '{class_name}' (Functional or Sequential expected)")


def _snake_case(name: str) -> str:
    """Keras's ``to_snake_case`` (``QEinsumDenseBatchnorm`` -> ``q_einsum_dense_batchnorm``)."""
    name = re.sub(r"\W+", "", name)
    name = re.sub("(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub("([a-z])([A-Z])", r"\1_\2", name).lower()


def _name_saved_groups(calls: list[LayerCall]) -> None:
    """Keras saves the n-th layer of a class as ``<snake_case class>`` then ``..._1``, ..."""
    seen: dict[str, int] = {}
    for call in calls:
        base = _snake_case(call.class_name)
        call.saved_as = base if base not in seen else f"{base}_{seen[base]}"
        seen[base] = seen.get(base, 0) + 1


def _layer_call(entry: Any, where: str) -> LayerCall:
    if not isinstance(entry, dict) or not isinstance(entry.get("config"), dict):
        raise CompileError(where, "a layer entry of config.json is not an object with a config")
    config = entry["config"]
    name = entry.get("name") or config.get("name")
    class_name = entry.get("class_name")
    if not isinstance(name, str) or not isinstance(class_name, str):
        raise CompileError(where, "a layer entry of config.json has no name or class_name")
    return LayerCall(name, class_name, config, str(entry.get("module") or ""))


def _batch_shape(call: LayerCall) -> tuple[int, ...]:
    shape = call.config.get("batch_shape") or call.config.get("batch_input_shape")
    if not isinstance(shape, list) or len(shape) < 1:
        raise CompileError(call.where, "the input layer has no batch_shape")
    dims = shape[1:]
    if not all(isinstance(d, int) and d > 0 for d in dims):
        raise CompileError(call.where, f"input shape {shape} must have fixed sizes after the batch axis")
    return tuple(dims)


def _functional(body: dict[str, Any], where: str) -> ModelGraph:
    calls: dict[str, LayerCall] = {}
    for entry in body["layers"]:
        call = _layer_call(entry, where)
        if call.name in calls:
            raise CompileError(where, f"two layers are named '{call.name}'")
        nodes = entry.get("inbound_nodes") or []
        if not isinstance(nodes, list):
            raise CompileError(call.where, "malformed inbound_nodes")
        if len(nodes) > 1:
            raise CompileError(call.where, "layers applied more than once (shared layers) are not supported")
        call.inputs = _node_inputs(nodes[0], call) if nodes else []
        if nodes and isinstance(nodes[0], dict) and isinstance(nodes[0].get("args"), list):
            call.arguments = nodes[0]["args"]
        calls[call.name] = call
    _name_saved_groups(list(calls.values()))
    inputs = [ref[0] for ref in _refs(body.get("input_layers"), where)]
    outputs = _refs(body.get("output_layers"), where)
    for name in inputs:
        if name not in calls or calls[name].class_name != "InputLayer":
            raise CompileError(where, f"model input '{name}' is not an InputLayer")
    for name, _ in outputs:
        if name not in calls:
            raise CompileError(where, f"model output refers to unknown layer '{name}'")
    return ModelGraph(_topological(calls, inputs, outputs, where), inputs, outputs,
                      {name: _batch_shape(calls[name]) for name in inputs})


def _refs(value: Any, where: str) -> list[TensorRef]:
    """``[name, node, tensor]`` or a list of them."""
    if isinstance(value, list) and len(value) == 3 and isinstance(value[0], str):
        value = [value]
    if not isinstance(value, list) or not value:
        raise CompileError(where, "the model config names no input or output layers")
    refs = []
    for item in value:
        if not (isinstance(item, list) and len(item) >= 3 and isinstance(item[0], str)
                and all(isinstance(n, int) and not isinstance(n, bool) for n in item[1:3])):
            raise CompileError(where, f"malformed layer reference {item!r}")
        if item[1] != 0:
            raise CompileError(where, f"layer '{item[0]}' is used more than once (shared layers are not supported)")
        refs.append((item[0], item[2]))
    return refs


def _node_inputs(node: Any, call: LayerCall) -> list[TensorRef]:
    if isinstance(node, dict):  # Keras 3
        if any(_is_tensor(v) for v in _flatten(node.get("kwargs", {}))):
            raise CompileError(call.where, "tensors passed as keyword arguments are not supported")
        tensors = [v for v in _flatten(node.get("args", [])) if _is_tensor(v)]
        refs = [t["config"].get("keras_history") if isinstance(t.get("config"), dict) else None
                for t in tensors]
    elif isinstance(node, list):  # Keras 2: [[name, node, tensor, kwargs], ...]
        refs = [item[:3] if isinstance(item, list) else item for item in node]
    else:
        raise CompileError(call.where, "malformed inbound node")
    out = []
    for ref in refs:
        if not (isinstance(ref, list | tuple) and len(ref) == 3 and isinstance(ref[0], str)
                and all(isinstance(n, int) and not isinstance(n, bool) for n in ref[1:])):
            raise CompileError(call.where, f"malformed input reference {ref!r}")
        if ref[1] != 0:
            raise CompileError(call.where, f"reads layer '{ref[0]}' applied more than once (shared layers are not supported)")
        out.append((ref[0], ref[2]))
    return out


def _is_tensor(v: Any) -> bool:
    return isinstance(v, dict) and v.get("class_name") == "__keras_tensor__"


def _flatten(v: Any) -> list[Any]:
    if isinstance(v, list | tuple):
        return [x for item in v for x in _flatten(item)]
    if isinstance(v, dict) and not _is_tensor(v):
        return [x for item in v.values() for x in _flatten(item)]
    return [v]


def _topological(calls: dict[str, LayerCall], inputs: list[str], outputs: list[TensorRef],
                 where: str) -> list[LayerCall]:
    """The layers the outputs depend on, each after the layers it reads (no cycles)."""
    order: list[LayerCall] = []
    state: dict[str, str] = {}

    def visit(name: str, reader: str) -> None:
        if name not in calls:
            raise CompileError(reader, f"reads unknown layer '{name}'")
        if state.get(name) == "done":
            return
        if state.get(name) == "open":
            raise CompileError(calls[name].where, "the layer graph has a cycle")
        state[name] = "open"
        call = calls[name]
        if call.class_name == "InputLayer" and name not in inputs:
            raise CompileError(call.where, "is not listed among the model's inputs")
        for ref, _ in call.inputs:
            visit(ref, call.where)
        state[name] = "done"
        order.append(call)

    for name in inputs:
        visit(name, where)
    for name, _ in outputs:
        visit(name, where)
    return order


def _sequential(body: dict[str, Any], build_config: Any, where: str) -> ModelGraph:
    calls = [_layer_call(entry, where) for entry in body["layers"]]
    if calls and calls[0].class_name == "InputLayer":
        head = calls[0]
        calls = calls[1:]
    else:
        shape = None
        if isinstance(build_config, dict):
            shape = build_config.get("input_shape")
        if shape is None and calls:
            shape = calls[0].config.get("batch_input_shape") or calls[0].config.get("batch_shape")
        if shape is None:
            raise CompileError(where, "the sequential model has no input shape")
        head = LayerCall("input_layer", "InputLayer", {"batch_shape": shape}, "keras.layers")
    if not calls:
        raise CompileError(where, "the model has no layers")
    _name_saved_groups(calls)  # a sequential model saves its layers without the InputLayer
    previous = head.name
    for call in calls:
        call.inputs = [(previous, 0)]
        previous = call.name
    names = [c.name for c in calls] + [head.name]
    if len(set(names)) != len(names):
        raise CompileError(where, "two layers of the sequential model share a name")
    return ModelGraph([head] + calls, [head.name], [(previous, 0)], {head.name: _batch_shape(head)})
