"""The graph walk: ONNX model -> one ``func.func @main`` of fixedpoint ops.

Nodes are visited in topological order (a cycle is an error naming a node on it).  Each
node whose inputs are all compile-time constants is folded with numpy (folding.py);
``Shape`` of a hardware tensor folds to its static shape; every other node goes to the
converter registered for its (domain, op_type) (context.py).  Graph inputs start on the
host (``HostInput``); the first quantizer turns one into a function argument.
"""

from __future__ import annotations

from math import prod
from typing import Any

import numpy as np
import onnx
from onnx import numpy_helper
from xdsl.dialects import builtin, func
from xdsl.dialects.builtin import ArrayAttr
from xdsl.ir import Block, Region, SSAValue

from ...dialects.fixedpoint.types import FixedTensorType
from ...errors import CompileError
from ...numerics import Format, Interval, Overflow, Rounding
from ..containment import refuse_onnx_external_data
from ..weight_values import real_array
from ...precision_syntax import parse_precision_string
from .build import materialize_pending, replay_host_op
from .context import ConversionContext, find_converter, node_location, normalize_domain
from .exact import NotExact, exact_array
from .folding import FOLDERS, fold_node
from .input_annotations import BIPOLAR, declared_input_formats
from .model_io import INPUTS_ATTR, OUTPUTS_ATTR, InputRecord, OutputRecord, encode_input, encode_output
from .values import (
    Affine,
    Const,
    DroppedSoftmax,
    HostInput,
    Pending,
    Tensor,
    Value,
    identity_affine,
)

MIN_OPSET, MAX_OPSET = 9, 21
SOFTMAX_DATA_MOVEMENT = ("Identity", "Dropout", "Reshape", "Flatten", "Squeeze", "Unsqueeze")
"""Ops that may stand between a dropped Softmax (softmax='argmax') and the graph output."""


def load_model(data: bytes, filename: str) -> onnx.ModelProto:
    try:
        model = onnx.load_from_string(data)
    except Exception as e:  # noqa: BLE001 - protobuf raises several types
        raise CompileError(filename, f"not a valid ONNX model ({type(e).__name__})") from e
    if not model.graph.node and not model.graph.output:
        raise CompileError(filename, "not a valid ONNX model (no graph)")
    refuse_onnx_external_data(model, filename)
    for node in model.graph.node:
        texts = (node.name, node.op_type, node.domain, *node.input, *node.output)
        if not all(isinstance(t, str) for t in texts):  # protobuf hands invalid UTF-8 as bytes
            raise CompileError(filename, "not a valid ONNX model (a node's names are not UTF-8)")
        if not any(node.output):
            raise CompileError(node_location(node), "has no outputs")
    return model


MAX_TENSOR_ELEMENTS = 10**8
"""Largest initializer or graph input accepted: a bigger one could not be compiled into
logic anyway, and reading it would exhaust the memory before any error."""


def check_size(where: str, dims: list[int]) -> None:
    """Fail early, from the declared dims alone, on a tensor too large to compile."""
    if any(d < 0 for d in dims):
        raise CompileError(where, f"has negative dimensions {dims}")
    size = prod(dims)
    if size > MAX_TENSOR_ELEMENTS:
        raise CompileError(where, f"has {size:,} elements ({' x '.join(map(str, dims))}); the "
                                  f"limit is {MAX_TENSOR_ELEMENTS:,}: this model is too large to compile")


def standard_opset(model: onnx.ModelProto, filename: str) -> int:
    versions = [o.version for o in model.opset_import if normalize_domain(o.domain) == ""]
    version = versions[0] if versions else MIN_OPSET
    if not MIN_OPSET <= version <= MAX_OPSET:
        raise CompileError(filename, f"ONNX opset {version} is not supported "
                                     f"(supported: {MIN_OPSET} to {MAX_OPSET})")
    return version


def parse_input_format(text: Any, where: str) -> tuple[Format, Rounding, Overflow]:
    """``fixed<k,i,f>`` (this project's formats: rounded half to even, saturated) or an
    hls4ml precision string such as ``ap_fixed<16,6>`` (its own modes, TRN and WRAP by
    default); see precision_syntax."""
    if isinstance(text, Format):
        return text, Rounding.RND_CONV, Overflow.SAT
    parsed = parse_precision_string(str(text), f"{where}: input precision")
    return parsed.format, parsed.rounding, parsed.overflow


def checked(model: onnx.ModelProto, filename: str) -> onnx.ModelProto:
    """The ONNX checker's verdict and shape inference, on a copy of the model that imports
    every custom domain its nodes use (QONNX exporters often leave that out)."""
    copy = onnx.ModelProto.FromString(model.SerializeToString())
    known = {normalize_domain(o.domain) for o in copy.opset_import}
    for domain in sorted({normalize_domain(n.domain) for n in copy.graph.node} - known):
        copy.opset_import.append(onnx.helper.make_opsetid(domain, 1))
    try:
        onnx.checker.check_model(copy)
    except onnx.checker.ValidationError as e:
        message = str(e).strip().splitlines()[0]
        if "topologically sorted" not in message:  # the importer sorts nodes itself
            raise CompileError(filename, f"invalid ONNX model: {message}") from e
    try:
        return onnx.shape_inference.infer_shapes(copy)
    except Exception as e:  # noqa: BLE001 - onnx raises several types for bad graphs
        raise CompileError(filename, f"ONNX shape inference failed: {e}") from e


def inferred_feature_shape(model: onnx.ModelProto, name: str) -> tuple[int, ...] | None:
    """The static shape (batch axis dropped) shape inference found for a tensor, if any."""
    for info in list(model.graph.value_info) + list(model.graph.output):
        if info.name == name and info.type.tensor_type.HasField("shape"):
            dims = info.type.tensor_type.shape.dim
            if dims and all(d.HasField("dim_value") for d in dims[1:]):
                return tuple(d.dim_value for d in dims[1:])
    return None


def topological_order(graph: onnx.GraphProto, available: set[str]) -> list[onnx.NodeProto]:
    producers = {}
    for node in graph.node:
        for out in node.output:
            if out:
                producers[out] = node
    for node in graph.node:
        for name in node.input:
            if name and name not in available and name not in producers:
                raise CompileError(node_location(node),
                                   f"input '{name}' is neither a graph input, an initializer "
                                   "nor the output of a node (missing initializer?)")
    order, state = [], {}  # state: 1 = on the current path, 2 = done

    def visit(node: onnx.NodeProto) -> None:
        stack = [(node, iter(node.input))]
        state[id(node)] = 1
        while stack:
            current, pending = stack[-1]
            for name in pending:
                producer = producers.get(name) if name not in available else None
                if producer is None:
                    continue
                if state.get(id(producer)) == 1:
                    raise CompileError(node_location(producer),
                                       f"the graph has a cycle through tensor '{name}'")
                if state.get(id(producer)) is None:
                    state[id(producer)] = 1
                    stack.append((producer, iter(producer.input)))
                    break
            else:
                stack.pop()
                state[id(current)] = 2
                order.append(current)

    for node in graph.node:
        if id(node) not in state:
            visit(node)
    return order


class GraphImporter:
    def __init__(self, model: onnx.ModelProto, filename: str, options: dict[str, Any]):
        self.model = model
        self.filename = filename
        self.options = options
        self.opset = standard_opset(model, filename)
        self.block = Block()
        self.values: dict[str, Value] = {}
        self.input_records: list[InputRecord] = []
        self.output_records: list[OutputRecord] = []
        self.raw_arguments: dict[str, Tensor] = {}  # graph inputs used without a quantizer
        self.declared_inputs = declared_input_formats(model)  # finn_datatype annotations

    def emit(self, op):
        """Append an op to the function body and return it."""
        self.block.add_op(op)
        return op

    # ------------------------------------------------------------------ arguments

    def add_argument(self, fmt_type: FixedTensorType, record: InputRecord) -> SSAValue:
        self.input_records.append(record)
        return self.block.insert_arg(fmt_type, len(self.block.args))

    def host_argument(self, host: HostInput, record: InputRecord, fmt_type: FixedTensorType,
                      scale: np.ndarray | None) -> Value:
        """Make ``host`` (quantized per ``record``) a function argument; ``scale`` (exact,
        per element) is a float factor still to apply in hardware, or None."""
        arg = self.add_argument(fmt_type, record)
        if scale is None:
            return Tensor(arg)
        shape = fmt_type.shape
        return Pending(arg, (Affine(scale, exact_array(np.zeros(shape, dtype=np.int64))),))

    def default_input(self, host: HostInput, where: str) -> Value:
        """A graph input used without a quantizer: the host quantizes the raw input to the
        ``input_precision`` (or ``default_precision``) option's format, and the float ops
        seen so far on it are replayed exactly in hardware."""
        text = self.options.get("input_precision") or self.options.get("default_precision")
        if text is None:
            text = self.declared_inputs.get(host.name)
        if text is None:
            raise CompileError(where, f"graph input '{host.name}' is used without a quantizer; "
                                      "give its hardware format with --input-precision (the "
                                      "input_precision option), e.g. 'fixed<1,3,24>' or "
                                      "'ap_fixed<16,6>'")
        if host.name not in self.raw_arguments:
            self.raw_arguments[host.name] = Tensor(self.raw_argument(host, text, where))
        value: Value = self.raw_arguments[host.name]
        for op, operand in host.pre_ops:
            value = replay_host_op(value, op, operand, self.emit)
        return value

    def raw_argument(self, host: HostInput, text: Any, where: str) -> SSAValue:
        """The function argument of a graph input in a given format (a precision string or
        Format), or as +-1 values for a declared BIPOLAR input."""
        shape = host.onnx_shape
        if text == BIPOLAR:
            record = InputRecord(host.name, shape, (), "bipolar", "ROUND",
                                 scale=np.ones((), dtype=np.float32),
                                 zero_point=np.zeros((), dtype=np.float32), bits=1, signed=True)
            return self.add_argument(FixedTensorType(shape, Interval(-1, 1, 0)), record)
        fmt, rounding, overflow = parse_input_format(text, where)
        record = InputRecord.fixed(host.name, shape, (), rounding, overflow)
        return self.add_argument(FixedTensorType(shape, fmt), record)

    # ------------------------------------------------------------------ materialize

    def hardware(self, value: Value, ctx: ConversionContext) -> Value:
        """A graph input before its quantizer becomes a hardware value; others stay."""
        return self.default_input(value, ctx.where) if isinstance(value, HostInput) else value

    def materialize(self, value: Value, ctx: ConversionContext) -> SSAValue:
        value = self.hardware(value, ctx)
        if isinstance(value, Tensor):
            return value.value
        if isinstance(value, Pending):
            return materialize_pending(value, ctx.emit, ctx.where)
        raise ctx.error("a constant is used where a hardware tensor is expected")

    # ------------------------------------------------------------------------ walk

    def run(self) -> builtin.ModuleOp:
        graph = self.model.graph
        for init in graph.initializer:
            check_size(f"initializer '{init.name}'", list(init.dims))
            try:
                self.values[init.name] = Const(real_array(numpy_helper.to_array(init), f"initializer '{init.name}'"))
            except (ValueError, TypeError, LookupError, MemoryError) as e:  # bad dims or dtype
                raise CompileError(f"initializer '{init.name}'", f"unreadable tensor data ({e})") from None
        for inp in graph.input:
            if inp.name in self.values:
                continue
            dims = [d.dim_value if d.HasField("dim_value") else 1
                    for d in inp.type.tensor_type.shape.dim]
            check_size(f"graph input '{inp.name}'", dims)
            if not dims:
                raise CompileError(f"graph input '{inp.name}'", "a scalar input has no batch axis")
            if len(dims) == 1 and dims[0] > 1:
                raise CompileError(f"graph input '{inp.name}'", f"has shape {dims}: fpga-opt reads "
                                   "the first axis of a graph input as the batch, so this input "
                                   "would have no feature axes; export the model with a leading "
                                   f"batch axis ([1, {dims[0]}] or ['N', {dims[0]}])")
            self.values[inp.name] = HostInput(inp.name, tuple(dims[1:]), tuple(dims[1:]))
        order = topological_order(graph, set(self.values))
        self.inferred = checked(self.model, self.filename)
        for node in order:
            try:
                self.visit(node)
            except (ArithmeticError, LookupError, ValueError, TypeError, MemoryError) as e:
                # a converter met data it does not expect (NaN, a shape that does not
                # broadcast, a string where a number belongs): still name the node
                raise CompileError(node_location(node), "malformed or unsupported node "
                                   f"({type(e).__name__}: {e})") from None
        names = [out.name for out in graph.output] + list(self.options.get("probes", ()))
        results = [self.output(name) for name in names]
        self.block.add_op(func.ReturnOp(*results))
        function = func.FuncOp("main", ([a.type for a in self.block.args], [r.type for r in results]),
                               Region(self.block))
        function.attributes[INPUTS_ATTR] = ArrayAttr([encode_input(r) for r in self.input_records])
        function.attributes[OUTPUTS_ATTR] = ArrayAttr([encode_output(r) for r in self.output_records])
        return builtin.ModuleOp([function])

    def visit(self, node: onnx.NodeProto) -> None:
        inputs = [self.values[name] if name else None for name in node.input]
        domain = normalize_domain(node.domain)
        ctx = ConversionContext(self, node, inputs)
        if (domain == "" and node.op_type in SOFTMAX_DATA_MOVEMENT and inputs
                and isinstance(inputs[0], DroppedSoftmax)):
            # data movement between a dropped Softmax and the graph output moves the logits
            logits = ConversionContext(self, node, [inputs[0].logits] + inputs[1:])
            outputs = find_converter(domain, node.op_type)(logits)
            for name, value in zip(node.output, outputs):
                self.values[name] = DroppedSoftmax(value)
            return
        if any(isinstance(v, DroppedSoftmax) for v in inputs):
            raise ctx.error("uses the result of a Softmax; with softmax='argmax' a "
                            "Softmax is only supported as the last op before a graph output (where "
                            "it is dropped: argmax is kept); softmax='table' computes it in hardware")
        if domain == "" and node.op_type in FOLDERS and all(
                v is None or isinstance(v, Const) for v in inputs):
            outputs = fold_node(ctx)
        else:
            fn = find_converter(domain, node.op_type)
            if fn is None:
                kind = f"op type '{node.op_type}'" + (f" of domain '{node.domain}'" if domain else "")
                raise ctx.error(f"unsupported {kind}")
            try:
                outputs = list(fn(ctx))
            except NotExact as e:
                raise ctx.error(f"cannot be folded exactly: {e}") from e
        for name, value in zip(node.output, outputs):
            if name:
                self.values[name] = value

    # ---------------------------------------------------------------------- outputs

    def output(self, name: str) -> SSAValue:
        if name not in self.values:
            raise CompileError(f"output '{name}'", "no node computes this tensor")
        value = self.values[name]
        dropped = ""
        if isinstance(value, DroppedSoftmax):
            value, dropped = value.logits, "Softmax"
        where = f"graph output '{name}'"
        if isinstance(value, Tensor):
            affine = identity_affine(value.shape)
            result = value.value
        elif isinstance(value, Pending):
            affine = value.affine()
            if affine is None:
                result = materialize_pending(value, self.emit, where)
                affine = identity_affine(value.shape)
            else:
                result = value.base
        else:
            raise CompileError(where, "is not computed by the hardware (a constant or an "
                                      "unquantized graph input)")
        shape = affine.scale.shape
        expected = inferred_feature_shape(self.inferred, name)
        if expected is not None and expected != shape:
            raise CompileError(where, f"has shape {list(shape)} here but ONNX shape inference "
                                      f"gives {list(expected)} (batch axis dropped)")
        self.output_records.append(OutputRecord(
            name, shape, np.array([float(s) for s in affine.scale.ravel()], dtype=np.float64),
            np.array([float(o) for o in affine.offset.ravel()], dtype=np.float64), dropped))
        return result

