"""The input formats a QONNX/FINN model declares itself.

FINN and qonnx annotate graph tensors with a ``finn_datatype`` in the graph's
``quantization_annotation`` (``global_in: UINT8`` for 8-bit pixels, ``BIPOLAR`` for +-1
inputs).  A graph input so annotated needs no ``--input-precision``: the declared type is
its hardware format (an explicit ``input_precision`` option still wins):

    UINT8 -> fixed<0,8,0>     INT4 -> fixed<1,3,0>     BINARY -> fixed<0,1,0>
    TERNARY -> fixed<1,1,0>   FIXED<8,3> -> fixed<1,2,5>   BIPOLAR -> +-1 (a BipolarQuant)

FLOAT32 and types this table does not know declare nothing.
"""

from __future__ import annotations

import re

import onnx

from ...numerics import Format

BIPOLAR = "BIPOLAR"
"""The declared type of a +-1 input: the host maps x >= 0 to +1, else -1."""

_INTEGER = re.compile(r"(U?)INT(\d+)")
_FIXED = re.compile(r"FIXED<(\d+),(-?\d+)>")


def finn_datatype_format(name: str) -> Format | str | None:
    """A FINN datatype name as a fixed-point format, ``BIPOLAR``, or None."""
    name = name.strip().upper()
    if name == BIPOLAR:
        return BIPOLAR
    if name == "BINARY":
        return Format(0, 1, 0)
    if name == "TERNARY":
        return Format(1, 1, 0)
    integer = _INTEGER.fullmatch(name)
    if integer and int(integer.group(2)) > 0:
        bits = int(integer.group(2))
        return Format(0, bits, 0) if integer.group(1) else Format(1, bits - 1, 0)
    fixed = _FIXED.fullmatch(name.replace(" ", ""))
    if fixed and int(fixed.group(1)) > 0:
        width, integer_bits = int(fixed.group(1)), int(fixed.group(2))
        return Format(1, integer_bits - 1, width - integer_bits)
    return None


def declared_input_formats(model: onnx.ModelProto) -> dict[str, Format | str]:
    """Graph input name -> its declared format (``finn_datatype`` annotations)."""
    inputs = {i.name for i in model.graph.input}
    declared = {}
    for annotation in model.graph.quantization_annotation:
        if annotation.tensor_name not in inputs:
            continue
        for entry in annotation.quant_parameter_tensor_names:
            if entry.key == "finn_datatype":
                fmt = finn_datatype_format(entry.value)
                if fmt is not None:
                    declared[annotation.tensor_name] = fmt
    return declared
