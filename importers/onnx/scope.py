"""Models that are not this compiler's job, refused up front with what to do instead.

- FINN hardware-layer graphs (``finn.custom_op.fpgadataflow.*`` nodes such as ``MVAU_hls``):
  FINN has already mapped the network onto its own streaming IP blocks; fpga-opt compiles
  the network itself, so it needs the QONNX model from before that conversion.
- Minifloat quantizers (``FloatQuant``, Brevitas FP8 and friends): values with an exponent
  field are not fixed-point numbers, and this compiler's arithmetic is fixed point only.

``check_in_scope(model, filename)`` raises the CompileError of the first such node.
"""

from __future__ import annotations

import onnx

from ...errors import CompileError
from .context import node_location

FINN_HARDWARE_DOMAIN = "finn.custom_op.fpgadataflow"
MINIFLOAT_QUANTIZERS = ("FloatQuant",)


def out_of_scope_reason(node: onnx.NodeProto) -> str | None:
    if node.domain == FINN_HARDWARE_DOMAIN or node.domain.startswith(FINN_HARDWARE_DOMAIN + "."):
        return (f"is a FINN hardware layer (domain '{node.domain}'): this graph has been through "
                "FINN's hardware conversion, which is out of scope for fpga-opt; give the QONNX "
                "model before FINN's hardware conversion (the network of Quant/MultiThreshold "
                "and MatMul/Conv nodes)")
    if node.op_type in MINIFLOAT_QUANTIZERS:
        return (f"minifloat quantization ({node.op_type}, e.g. FP8) is out of scope: fpga-opt "
                "compiles fixed-point arithmetic only; export the model with integer or "
                "fixed-point quantizers (QONNX Quant) instead")
    return None


def check_in_scope(model: onnx.ModelProto, filename: str) -> None:
    for node in model.graph.node:
        reason = out_of_scope_reason(node)
        if reason is not None:
            raise CompileError(f"{filename}: {node_location(node)}", reason)
