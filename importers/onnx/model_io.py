"""How an imported design meets float data: the recorded input and output transforms.

The hardware function takes and returns exact fixed-point tensors.  The importer records on
the ``func.func`` two attributes that say how the host converts float data, exactly as the
source model (qonnx execution, in float32) does:

``fpga.inputs``: one dictionary per function argument (in order):
    name      the ONNX graph input it comes from
    shape     the graph input's feature shape (batch axis dropped)
    pre_ops   float32 elementwise ops the model applies before its first quantizer, in
              order: {op = "reshape"|"add"|"sub"|"mul"|"div", value = <array>}; an array
              is {shape = array<i64: ...>, values = array<f64: ...>} (float32 values, stored
              as f64 so they print and parse exactly)
    kind      "int" (a qonnx Quant), "bipolar" (a qonnx BipolarQuant) or "fixed" (an
              ap_fixed-style conversion of the exact float value to the format
              fixed<signed, bits-signed-f, f>, as an input without a quantizer gets)
    scale, zero_point   arrays; bits, signed, narrow; rounding (a qonnx rounding mode, or
              for "fixed" TRN, RND or RND_CONV); overflow ("SAT": clip, as every qonnx
              quantizer; for "fixed" also WRAP or SAT_SYM)
    f         the argument is ``(q - zero_point) * 2**-f``, q the quantized integer

``fpga.outputs``: one dictionary per function result:
    name      the ONNX graph output; shape its feature shape
    scale, offset   float64 arrays (one value per element): the model's output is
              ``scale * hardware_value + offset`` (float arithmetic after the last
              quantizer, kept off the hardware)
    dropped   op types removed at the end, e.g. "Softmax" (argmax-preserving), or ""

``predict(module, [x, ...])`` applies all of it around the bit-exact interpreter.
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

from ...interpreters.fixedpoint import Fixed, find_function, run_function
from ...numerics import Format, Overflow, Rounding, wrap_or_saturate
from .quantizers import quantize_float32

INPUTS_ATTR = "fpga.inputs"
OUTPUTS_ATTR = "fpga.outputs"


@dataclass(frozen=True)
class InputRecord:
    name: str
    shape: tuple[int, ...]
    pre_ops: tuple[tuple[str, np.ndarray], ...]
    kind: str
    scale: np.ndarray
    zero_point: np.ndarray
    bits: int
    signed: bool
    narrow: bool
    rounding: str
    f: int
    overflow: str = "SAT"

    @staticmethod
    def fixed(name: str, shape: tuple[int, ...], pre_ops: tuple[tuple[str, np.ndarray], ...],
              fmt: Format, rounding: Rounding, overflow: Overflow) -> InputRecord:
        """The record of an exact conversion to ``fmt`` (ap_fixed semantics)."""
        return InputRecord(name, shape, pre_ops, "fixed", np.array(2.0 ** -fmt.f),
                           np.array(0.0), fmt.width, bool(fmt.k), False, rounding.value,
                           fmt.f, overflow.value)

    @property
    def format(self) -> Format:
        return Format(int(self.signed), self.bits - int(self.signed) - self.f, self.f)

    def quantize(self, x: np.ndarray) -> np.ndarray:
        """Float inputs (batch first) to the argument's integer mantissas, as qonnx does."""
        y = np.asarray(x, dtype=np.float32).reshape((x.shape[0],) + self.shape)
        for op, operand in self.pre_ops:
            if op == "reshape":
                y = y.reshape((y.shape[0],) + tuple(int(d) for d in operand))
            else:
                y = _FLOAT_OPS[op](y, operand.astype(np.float32)).astype(np.float32)
        if self.kind == "fixed":
            return _to_fixed(y, self.format, Rounding(self.rounding), Overflow(self.overflow))
        q = quantize_float32(y, self.scale.astype(np.float32), self.zero_point.astype(np.float32),
                             self.bits, self.signed, self.narrow, self.rounding, self.kind)
        return np.rint(q - self.zero_point).astype(np.int64)


def _to_fixed(y: np.ndarray, fmt: Format, rounding: Rounding, overflow: Overflow) -> np.ndarray:
    """Float32 values to mantissas of ``fmt``, exactly (float64 holds y * 2**f exactly)."""
    v = y.astype(np.float64) * 2.0**fmt.f
    if not np.all(np.isfinite(v)) or np.any(np.abs(v) >= 2.0**52):
        raise ValueError(f"inputs out of the range that {fmt} can be converted from exactly")
    rounded = {Rounding.TRN: np.floor, Rounding.RND: lambda a: np.floor(a + 0.5),
               Rounding.RND_CONV: np.round}[rounding](v)
    m = np.vectorize(int, otypes=[object])(rounded)
    return wrap_or_saturate(m, fmt, overflow)


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
    return DictionaryAttr({
        "name": StringAttr(r.name), "shape": _shape(r.shape), "pre_ops": ArrayAttr(pre_ops),
        "kind": StringAttr(r.kind), "scale": _array(r.scale), "zero_point": _array(r.zero_point),
        "bits": IntegerAttr(r.bits, i64), "signed": BoolAttr.from_bool(r.signed),
        "narrow": BoolAttr.from_bool(r.narrow), "rounding": StringAttr(r.rounding),
        "f": IntegerAttr(r.f, i64), "overflow": StringAttr(r.overflow),
    })


def decode_input(attr: DictionaryAttr) -> InputRecord:
    d = attr.data
    pre_ops = tuple((op.data["op"].data, _from_array(op.data["value"])) for op in d["pre_ops"].data)
    return InputRecord(
        d["name"].data, tuple(d["shape"].get_values()), pre_ops, d["kind"].data,
        _from_array(d["scale"]), _from_array(d["zero_point"]), d["bits"].value.data,
        bool(d["signed"].value.data), bool(d["narrow"].value.data), d["rounding"].data,
        d["f"].value.data, d["overflow"].data if "overflow" in d else "SAT",
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


def graph_input_names(module: builtin.ModuleOp, name: str | None = None) -> list[str]:
    """The ONNX graph inputs the design reads, in the order it first uses them."""
    in_records, _ = records(module, name)
    return list(dict.fromkeys(r.name for r in in_records))


def hardware_inputs(module: builtin.ModuleOp, inputs: Sequence[np.ndarray] | Mapping[str, np.ndarray],
                    name: str | None = None) -> list[Fixed]:
    """Quantize float inputs for the function's arguments: a mapping from ONNX graph input
    names, or a list in the order of ``graph_input_names`` (a graph input quantized by two
    quantizers feeds two arguments)."""
    in_records, _ = records(module, name)
    if not isinstance(inputs, Mapping):
        names = graph_input_names(module, name)
        if len(inputs) != len(names):
            raise ValueError(f"the design reads {len(names)} graph inputs {names}, "
                             f"got {len(inputs)} arrays")
        inputs = dict(zip(names, inputs))
    missing = sorted({r.name for r in in_records} - set(inputs))
    if missing:
        raise ValueError(f"no data for the graph inputs {missing}")
    return [Fixed.from_mantissas(r.quantize(np.asarray(inputs[r.name])), r.f) for r in in_records]


def predict_hardware(module: builtin.ModuleOp, inputs: Sequence[np.ndarray] | Mapping[str, np.ndarray],
                     name: str | None = None) -> list[Fixed]:
    """Float inputs (batch first) -> the hardware's exact outputs."""
    return run_function(module, hardware_inputs(module, inputs, name), name)


def predict(module: builtin.ModuleOp, inputs: Sequence[np.ndarray] | Mapping[str, np.ndarray],
            name: str | None = None) -> list[np.ndarray]:
    """Float inputs (batch first; by graph input name, or a list in the order of
    ``graph_input_names``) -> the model's float outputs (float64), in graph output order."""
    _, out_records = records(module, name)
    results = predict_hardware(module, inputs, name)
    return [r.apply(y.to_float()) for r, y in zip(out_records, results)]
