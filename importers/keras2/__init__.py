"""Import Keras 2 and QKeras models (hls4ml's classic front end) into the fixedpoint dialect.

Read with ``json`` and ``h5py`` only: no TensorFlow, no Keras, and nothing from the file is
executed (no Lambda layers, no custom objects; a QKeras quantizer string is parsed, not
evaluated).  Three forms (files.py):

    import_keras2(open("model.h5", "rb").read(), "model.h5")               # full model
    import_keras2(open("m.json", "rb").read(), "m.json")                  # + m_weights.h5 beside it
    import_keras2(data, "m.json", weights="elsewhere.h5")                  # weights named
    import_keras2(open("q.keras", "rb").read(), "q.keras")                # QKeras in Keras 3 format

QKeras models are bit-exact: weights are quantized as QKeras computes them in float32
(quantizers.py), activation quantizers are fixed-point roundings.  A float Keras model takes
``default_precision`` (an hls4ml string such as ``fixed<16,6>``) for its weights and layer
results, as hls4ml and the float ONNX path do; model inputs without a QActivation in front
take ``input_precision`` (else ``default_precision``).  ``softmax``, ``softmax_precision`` and
``softmax_table_size`` are as for ONNX.  ``predict`` is the shared host conversion.

This is its own package (not part of ``importers.keras``, the HGQ2 reader) because the
semantics differ: QKeras quantizers are fixed by their config, HGQ2's are trained variables;
it reuses that reader's archive, layer graph, builder and dense/conv/pooling handlers.

Layers (layers.py): Dense, Conv1D/2D, BatchNormalization, Activation (linear, relu,
softmax, sigmoid, tanh), Softmax, ReLU, Add, Concatenate, Reshape, Flatten, Dropout,
Max/Average(Global)Pooling1D/2D; QDense, QConv1D/2D, QActivation.
"""

from __future__ import annotations

import io
import json
import os
import zipfile
from typing import Any

from xdsl.dialects import builtin

from ...errors import CompileError
from ..containment import read_zip_member
from ..keras.graph import parse_model
from ..onnx.model_io import predict
from .files import Keras2Model, read_h5_model, read_json_model, read_keras3_model

__all__ = ["import_keras2", "is_qkeras_archive", "predict"]

OPTIONS = ("weights", "default_precision", "input_precision", "softmax", "softmax_precision",
           "softmax_table_size")


def import_keras2(data: bytes, filename: str, **options: Any) -> builtin.ModuleOp:
    """The fixedpoint module of a Keras 2 ``.h5`` / ``.json`` or QKeras ``.keras`` model."""
    unknown = sorted(k for k, v in options.items() if v is not None and k not in OPTIONS)
    if unknown:
        raise CompileError(filename, f"unknown import option(s) {', '.join(unknown)}")
    extension = os.path.splitext(filename)[1].lower()
    if extension == ".json":
        model = read_json_model(data, filename, options.get("weights"))
    elif options.get("weights"):
        raise CompileError(filename, "the weights option is for a .json architecture only")
    elif extension == ".keras":
        model = read_keras3_model(data, filename)
    else:
        model = read_h5_model(data, filename)
    try:
        return _build(model, options)
    except CompileError as e:  # locate layer-level errors in the file too
        raise CompileError(f"{filename}: {e.where}", e.message) from None
    finally:
        model.close()


def _build(model: Keras2Model, options: dict[str, Any]) -> builtin.ModuleOp:
    # the layers load the ONNX importer's tables (and the onnx package) here, not with this
    # package: the registry asks ``is_qkeras_archive`` about every HGQ2 file
    from ..onnx.float_model import float_precision
    from .builder import Keras2Builder
    from .layers import ENTRY_QUANTIZERS, HANDLERS

    config = model.config
    if config.get("class_name") == "Sequential" and isinstance(config.get("config"), list):
        config = {**config, "config": {"layers": config["config"]}}  # Keras 2.0-2.2 layout
    graph = parse_model(config, "the model config")
    precision = float_precision(options, model.filename)
    return Keras2Builder(model, graph, HANDLERS, ENTRY_QUANTIZERS, options, precision).build()


def is_qkeras_archive(data: bytes, filename: str = "model.keras") -> bool:
    """Whether a ``.keras`` archive holds QKeras layers (then this importer reads it).  The
    config is read as every archive member is (``importers/containment.py``): an encrypted,
    damaged or oversized one is a located error, not a guess."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if "config.json" not in archive.namelist():
                return False
            config = json.loads(read_zip_member(archive, "config.json", f"{filename}:config.json"))
    except (zipfile.BadZipFile, ValueError, OSError):
        return False
    layers = config.get("config", {}).get("layers") if isinstance(config, dict) else None
    return isinstance(layers, list) and any(
        isinstance(layer, dict) and (str(layer.get("module") or "").startswith("qkeras")
                                     or str(layer.get("registered_name") or "").startswith("qkeras>"))
        for layer in layers)
