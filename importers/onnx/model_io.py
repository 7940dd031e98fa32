"""How an imported design meets float data: the recorded input and output transforms.

The hardware function takes and returns exact fixed-point tensors.  The importer records on
the ``func.func`` two attributes that say how the host converts float data, exactly as the
source model (qonnx execution, in float32) does:

``fpga.inputs``: one dictionary per function argument (in order):
    name      the graph input it comes from (an ONNX graph input, a Keras model input)
    shape     the graph input's feature shape (batch axis dropped)
    pre_ops   float32 elementwise ops the model applies before its first quantizer, in
              order: {op = "reshape"|"transpose"|"add"|"sub"|"mul"|"div", value = <array>}
              (a transpose's value is the permutation of the feature axes); an array
              is {shape = array<i64: ...>, values = array<f64: ...>} (float32 values, stored
              as f64 so they print and parse exactly)
    kind      "int" (a qonnx Quant), "bipolar" (a qonnx BipolarQuant) or "fixed" (an
              ap_fixed-style conversion of the exact float value, as an ONNX input
              without a quantizer or a Keras/HGQ2 input quantizer does)
    rounding  a qonnx rounding mode, or for "fixed" TRN, RND or RND_CONV
    overflow  "SAT" (clip, as every qonnx quantizer); for "fixed" also WRAP or SAT_SYM
  kind "fixed" has no more fields: the argument's type is the source of truth for its
  per-element formats (``float_to_fixed.quantize_floats``; the argument holds the values
  at the finest f of its formats).  Kinds "int" and "bipolar" also have:
    scale, zero_point   arrays; bits, signed, narrow
    f         the argument is ``(q - zero_point) * 2**-f``, q the quantized integer

``fpga.outputs``: one dictionary per function result (every importer writes one for
every result; a function without the attribute has no recorded outputs):
    name      the graph output; shape its feature shape
    scale, offset   float64 arrays (one value per element): the model's output is
              ``scale * hardware_value + offset`` (float arithmetic after the last
              quantizer, kept off the hardware; ones and zeros when there is none)
    dropped   op types removed at the end, e.g. "Softmax" (argmax-preserving), or ""

``predict(module, [x, ...])`` applies all of it around the bit-exact interpreter.  This is
the one convention by which float data meets the hardware, for every importer.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from xdsl.dialects import builtin
from xdsl.dialects.builtin import (
    ArrayAttr,
    BoolAttr,
    DenseArrayBase,
    DictionaryAttr,
    IntegerAttr,
    StringAttr,
    f64,
    i64,
)
from xdsl.ir import Attribute

from ...dialects.fixedpoint.types import FixedTensorType
from ...float_to_fixed import quantize_floats
from ...interpreters.fixedpoint import Fixed, find_function, run_function
from ...numerics import Overflow, Rounding
from .quantizers import quantize_float32

INPUTS_ATTR = "fpga.inputs"
OUTPUTS_ATTR = "fpga.outputs"


@dataclass(frozen=True)
class InputRecord:
    name: str
    shape: tuple[int, ...]
    pre_ops: tuple[tuple[str, np.ndarray], ...]
    kind: str
    rounding: str
    overflow: str = "SAT"
    # kinds "int" and "bipolar" only ("fixed" takes its formats from the argument type)
    scale: np.ndarray | None = None
    zero_point: np.ndarray | None = None
    bits: int = 0
    signed: bool = False
    narrow: bool = False
    f: int = 0

    @staticmethod
    def fixed(name: str, shape: tuple[int, ...], pre_ops: tuple[tuple[str, np.ndarray], ...],
              rounding: Rounding, overflow: Overflow) -> InputRecord:
        """The record of an exact conversion to the argument type's formats (ap_fixed
        semantics)."""
        return InputRecord(name, shape, pre_ops, "fixed", rounding.value, overflow.value)

    def to_hardware(self, x: np.ndarray, arg_type: Attribute) -> Fixed:
        """Float inputs (batch first) to the argument's exact values, as the model does."""
        x = np.asarray(x)
        if x.ndim == 0 or int(np.prod(x.shape[1:])) != int(np.prod(self.shape)):
            raise ValueError(f"input '{self.name}' of shape {list(x.shape)} does not match "
                             f"[batch, {', '.join(str(d) for d in self.shape)}]")
        y = x.astype(np.float32).reshape((x.shape[0],) + self.shape)
        for op, operand in self.pre_ops:
            if op == "reshape":
                y = y.reshape((y.shape[0],) + tuple(int(d) for d in operand))
            elif op == "transpose":  # a permutation of the feature axes
                y = y.transpose((0,) + tuple(int(p) + 1 for p in operand))
            else:
                y = _FLOAT_OPS[op](y, operand.astype(np.float32)).astype(np.float32)
        if self.kind == "fixed":
            if not isinstance(arg_type, FixedTensorType):
                raise ValueError(f"argument type {arg_type} of input '{self.name}' is not a "
                                 "fixed-point tensor")
            mantissas, f = quantize_floats(y, arg_type.precision_array(), Rounding(self.rounding),
                                           Overflow(self.overflow))
            return Fixed(mantissas, f)
        assert self.scale is not None and self.zero_point is not None
        q = quantize_float32(y, self.scale.astype(np.float32), self.zero_point.astype(np.float32),
                             self.bits, self.signed, self.narrow, self.rounding, self.kind)
        return Fixed.from_mantissas(np.rint(q - self.zero_point).astype(np.int64), self.f)


_FLOAT_OPS = {"add": np.add, "sub": np.subtract, "mul": np.multiply, "div": np.divide}


@dataclass(frozen=True)
class OutputRecord:
    name: str
    shape: tuple[int, ...]
    scale: np.ndarray  # float64, one per element
    offset: np.ndarray
    dropped: str = ""

    def apply(self, values: np.ndarray) -> np.ndarray:
        return values * self.scale.reshape(self.shape) + self.offset.reshape(self.shape)


def identity_output(name: str, shape: Sequence[int]) -> OutputRecord:
    """The record of an output the model returns exactly as the hardware computes it."""
    size = int(np.prod(shape, dtype=np.int64))
    return OutputRecord(name, tuple(int(d) for d in shape), np.ones(size), np.zeros(size))


# ------------------------------------------------------------------- attribute encoding


def _array(a: np.ndarray) -> DictionaryAttr:
    a = np.asarray(a)
    return DictionaryAttr({
        "shape": DenseArrayBase.from_list(i64, [int(d) for d in a.shape]),
        "values": DenseArrayBase.from_list(f64, [float(v) for v in a.ravel()]),
    })


def _from_array(attr: Attribute) -> np.ndarray:
    assert isinstance(attr, DictionaryAttr)
    shape = tuple(attr.data["shape"].get_values())
    return np.array(attr.data["values"].get_values(), dtype=np.float64).reshape(shape)


def _shape(shape: Sequence[int]) -> DenseArrayBase:
    return DenseArrayBase.from_list(i64, [int(d) for d in shape])


def encode_input(r: InputRecord) -> DictionaryAttr:
    pre_ops = [DictionaryAttr({"op": StringAttr(op), "value": _array(v)}) for op, v in r.pre_ops]
    common = {"name": StringAttr(r.name), "shape": _shape(r.shape), "pre_ops": ArrayAttr(pre_ops),
              "kind": StringAttr(r.kind)}
    if r.kind == "fixed":
        return DictionaryAttr(common | {"rounding": StringAttr(r.rounding),
                                        "overflow": StringAttr(r.overflow)})
    assert r.scale is not None and r.zero_point is not None
    return DictionaryAttr(common | {
        "scale": _array(r.scale), "zero_point": _array(r.zero_point),
        "bits": IntegerAttr(r.bits, i64), "signed": BoolAttr.from_bool(r.signed),
        "narrow": BoolAttr.from_bool(r.narrow), "rounding": StringAttr(r.rounding),
        "f": IntegerAttr(r.f, i64), "overflow": StringAttr(r.overflow),
    })


def decode_input(attr: DictionaryAttr) -> InputRecord:
    d = attr.data
    pre_ops = tuple((op.data["op"].data, _from_array(op.data["value"])) for op in d["pre_ops"].data)
    name, shape, kind = d["name"].data, tuple(d["shape"].get_values()), d["kind"].data
    overflow = d["overflow"].data if "overflow" in d else "SAT"
    if kind == "fixed":
        return InputRecord(name, shape, pre_ops, kind, d["rounding"].data, overflow)
    return InputRecord(
        name, shape, pre_ops, kind, d["rounding"].data, overflow, _from_array(d["scale"]),
        _from_array(d["zero_point"]), d["bits"].value.data, bool(d["signed"].value.data),
        bool(d["narrow"].value.data), d["f"].value.data,
    )


def encode_output(r: OutputRecord) -> DictionaryAttr:
    return DictionaryAttr({
        "name": StringAttr(r.name), "shape": _shape(r.shape), "scale": _array(r.scale),
        "offset": _array(r.offset), "dropped": StringAttr(r.dropped),
    })


def decode_output(attr: DictionaryAttr) -> OutputRecord:
    d = attr.data
    return OutputRecord(d["name"].data, tuple(d["shape"].get_values()), _from_array(d["scale"]),
                        _from_array(d["offset"]), d["dropped"].data)


def records(module: builtin.ModuleOp, name: str | None = None
            ) -> tuple[list[InputRecord], list[OutputRecord]]:
    function = find_function(module, name)
    attrs = function.attributes
    inputs = [decode_input(a) for a in attrs[INPUTS_ATTR].data] if INPUTS_ATTR in attrs else []
    outputs = [decode_output(a) for a in attrs[OUTPUTS_ATTR].data] if OUTPUTS_ATTR in attrs else []
    return inputs, outputs


# ---------------------------------------------------------------------------- predict

Inputs = np.ndarray | Sequence[np.ndarray] | Mapping[str, np.ndarray]


def graph_input_names(module: builtin.ModuleOp, name: str | None = None) -> list[str]:
    """The graph inputs the design reads, in the order it first uses them."""
    in_records, _ = records(module, name)
    return list(dict.fromkeys(r.name for r in in_records))


def hardware_inputs(module: builtin.ModuleOp, inputs: Inputs, name: str | None = None) -> list[Fixed]:
    """Quantize float inputs for the function's arguments: a mapping from graph input
    names, or a list in the order of ``graph_input_names`` (one array for one input; a
    graph input quantized by two quantizers feeds two arguments)."""
    function = find_function(module, name)
    in_records, _ = records(module, name)
    args = function.body.block.args
    if len(in_records) != len(args):
        raise ValueError(f"the function has {len(args)} arguments but records {len(in_records)} "
                         f"inputs ({INPUTS_ATTR})")
    if isinstance(inputs, np.ndarray):
        inputs = [inputs]
    if not isinstance(inputs, Mapping):
        names = graph_input_names(module, name)
        if len(inputs) != len(names):
            raise ValueError(f"the design reads {len(names)} graph inputs {names}, "
                             f"got {len(inputs)} arrays")
        inputs = dict(zip(names, inputs))
    missing = sorted({r.name for r in in_records} - set(inputs))
    if missing:
        raise ValueError(f"no data for the graph inputs {missing}")
    return [r.to_hardware(np.asarray(inputs[r.name]), arg.type) for r, arg in zip(in_records, args)]


def model_outputs(module: builtin.ModuleOp, outputs: Sequence[Fixed], name: str | None = None
                  ) -> list[np.ndarray]:
    """The hardware's exact outputs -> the model's float outputs (float64)."""
    _, out_records = records(module, name)
    if len(out_records) != len(outputs):
        raise ValueError(f"the function has {len(outputs)} results but records "
                         f"{len(out_records)} outputs ({OUTPUTS_ATTR})")
    return [r.apply(y.to_float()) for r, y in zip(out_records, outputs)]


def predict_hardware(module: builtin.ModuleOp, inputs: Inputs, name: str | None = None) -> list[Fixed]:
    """Float inputs (batch first) -> the hardware's exact outputs."""
    return run_function(module, hardware_inputs(module, inputs, name), name)


def predict(module: builtin.ModuleOp, inputs: Inputs, name: str | None = None) -> list[np.ndarray]:
    """Float inputs (batch first; by graph input name, or a list in the order of
    ``graph_input_names``) -> the model's float outputs (float64), in graph output order."""
    return model_outputs(module, predict_hardware(module, inputs, name), name)
