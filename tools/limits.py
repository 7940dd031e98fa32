"""The size of what a program asks for, estimated from its IR before any pass runs, and
refused with the numbers and the limit when it is beyond what compiles in minutes.

- values: the elements of every tensor and scalar the program computes (a tensor of
  10^6 elements scalarizes into 10^6 adder-graph values, each a Python object);
- weight bits: the bits of every constant (fixedpoint constants, cmvm matrices), what
  the adder-graph optimizer searches over (a 256 x 256 dense of 8-bit weights is 524,288);
- operands of one op: a concat of 50,000 tensors is refused (``MAX_OPERANDS``);
- the widest constant: a single constant wider than ``MAX_CONSTANT_BITS`` (say a
  matrix entry of 10^400) makes the shift-and-add search grow without end.

The first two are driver options (``--max-values``, ``--max-weight-bits``) for a user
who knows the wait is worth it.
"""

from __future__ import annotations

from dataclasses import dataclass
from math import prod

from xdsl.dialects.builtin import ModuleOp

from ..dialects.cmvm.attributes import MatrixAttr
from ..dialects.cmvm.ops import MatrixOp
from ..dialects.fixedpoint.ops import ConstantOp
from ..dialects.fixedpoint.types import FixedTensorType, ValuesAttr
from ..errors import CompileError
from .program_checks import where

MAX_VALUES = 500_000
MAX_WEIGHT_BITS = 131_072
MAX_CONSTANT_BITS = 256
MAX_OPERANDS = 10_000


@dataclass(frozen=True)
class Limits:
    values: int = MAX_VALUES
    weight_bits: int = MAX_WEIGHT_BITS


def check_limits(module: ModuleOp, limits: Limits, name: str) -> None:
    """Refuse ``module`` (read from ``name``) when it is larger than ``limits``."""
    values = weight_bits = 0
    for op in module.walk():
        if len(op.operands) > MAX_OPERANDS:
            raise CompileError(where(op, name), f"has {len(op.operands):,} operands; the limit is {MAX_OPERANDS:,}")
        for result in op.results:
            values += prod(result.type.shape) if isinstance(result.type, FixedTensorType) else 1
        for region in op.regions:
            for block in region.blocks:
                values += sum(prod(a.type.shape) if isinstance(a.type, FixedTensorType) else 1
                              for a in block.args)
        for constant in _constants(op):
            widest = max((abs(int(c)).bit_length() for c in constant), default=0)
            if widest > MAX_CONSTANT_BITS:
                raise CompileError(where(op, name), f"a constant of {widest:,} bits; the limit is "
                                              f"{MAX_CONSTANT_BITS}")
            weight_bits += sum(abs(int(c)).bit_length() for c in constant)
    if values > limits.values:
        raise CompileError(name, f"computes {values:,} values; the limit is "
                           f"{limits.values:,} (--max-values): it would take hours to compile")
    if weight_bits > limits.weight_bits:
        raise CompileError(name, f"has {weight_bits:,} bits of constant weights; the "
                           f"limit is {limits.weight_bits:,} (--max-weight-bits): it would take "
                           "hours to optimize")


def _constants(op) -> list[tuple[int, ...]]:
    value = op.properties.get("value" if isinstance(op, ConstantOp) else "weights")
    if isinstance(op, ConstantOp) and isinstance(value, ValuesAttr):
        return [value.data.mantissas]
    if isinstance(op, MatrixOp) and isinstance(value, MatrixAttr):
        return list(value.data)
    return []



def check_onnx_estimate(data: bytes, name: str, limits: Limits) -> None:
    """Refuse an ONNX model whose tensors (as ONNX shape inference sizes them: a Conv
    padded by 1000, an Expand to 10^7) hold more than ``limits.values`` elements, before
    the importer builds any of them.  A model that does not load or infer is left to the
    importer, which reports it."""
    import onnx

    try:
        model = onnx.shape_inference.infer_shapes(onnx.load_from_string(data))
    except Exception:  # noqa: BLE001 - the importer reports a broken model with its location
        return
    graph = model.graph
    values = 0
    for info in [*graph.value_info, *graph.output]:
        dims = info.type.tensor_type.shape.dim if info.type.HasField("tensor_type") else []
        values += prod(max(d.dim_value, 1) if d.HasField("dim_value") else 1 for d in dims)
    if values > limits.values:
        raise CompileError(name, f"computes about {values:,} values (ONNX tensor shapes); the limit is "
                                 f"{limits.values:,} (--max-values): it would take hours to compile")
