"""ONNX / QONNX models -> the fixedpoint dialect.

    module = import_onnx(open("model.onnx", "rb").read(), "model.onnx",
                         input_precision="fixed<1,3,12>")   # options are optional
    outputs = predict(module, [x])      # float inputs, batch first -> float outputs

Options: ``input_precision`` (or ``default_precision``): the hardware format of a graph
input that reaches the network without a quantizer; ``softmax``: "argmax" (default: a
Softmax before a graph output is dropped and the logits are output) or "table" (the
probabilities by exp/log tables, with ``softmax_precision`` and ``softmax_table_size``;
see softmax.py); ``probes``: names
of further ONNX tensors to output after the graph outputs (to look inside, e.g. at each
quantizer's result).

Standard ONNX opsets 9 to 21 (older ones upgraded by onnx.version_converter, upgrade.py;
FINN hardware-layer graphs and minifloat quantizers refused with a reason, scope.py).  Supported: MatMul, Gemm (transB, alpha, beta; not transA),
Add, Sub, Mul, Div (with a constant; Add/Sub of two tensors), Relu, Clip, BatchNormalization,
Flatten, Reshape, Transpose, Squeeze, Unsqueeze, Concat, Identity, Dropout, Shape, Softmax,
constant folding (Constant, Gather, Slice, Cast, arithmetic...), and the
QONNX Quant / IntQuant, BipolarQuant, Trunc and MultiThreshold (under any qonnx/FINN domain
spelling); conv_converters.py and float_model.py add convolutions, pooling and float
models, topk.py TopK k=1 (an argmax), channels_last.py the qonnx channels-last ops.  A
graph input a model annotates with a ``finn_datatype`` (UINT8, BIPOLAR...) takes that as
its format when no ``input_precision`` is given (input_annotations.py).  Converters are registered per (domain, op type) with the
``converter`` decorator (context.py documents the interface); this package registers its
own in converters.py (standard ops), softmax.py and qonnx.py (Quant, BipolarQuant, Trunc); other
modules listed in ``CONVERTER_MODULES`` add theirs.
"""

from __future__ import annotations

import importlib
from typing import Any

from xdsl.dialects import builtin

from .model_io import predict, predict_hardware, records

CONVERTER_MODULES = ("converters", "qonnx", "conv_converters", "float_model", "softmax", "topk",
                     "channels_last")


def _load_converters() -> None:
    for name in CONVERTER_MODULES:
        try:
            importlib.import_module(f"{__name__}.{name}")
        except ModuleNotFoundError as e:
            if e.name != f"{__name__}.{name}":
                raise


def import_onnx(data: bytes, filename: str = "<onnx>", **options: Any) -> builtin.ModuleOp:
    """Import a (Q)ONNX model's bytes as a module with one function, ``@main``."""
    # the onnx package and the converters load here, not with this package: the Keras
    # importer shares model_io and never reads an ONNX file
    from .float_model import prepare_float_model
    from .graph import MIN_OPSET, GraphImporter, load_model
    from .scope import check_in_scope
    from .upgrade import upgraded

    _load_converters()
    model = load_model(data, filename)
    check_in_scope(model, filename)
    model = upgraded(model, filename, MIN_OPSET)
    model = prepare_float_model(model, filename, options)
    return GraphImporter(model, filename, options).run()


__all__ = ["import_onnx", "predict", "predict_hardware", "records"]
