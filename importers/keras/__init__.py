"""Import HGQ2-trained Keras 3 models (``.keras`` files) into the fixedpoint dialect.

Only ``json``, ``zipfile``, ``h5py`` and ``numpy`` are used: no Keras, no TensorFlow, and
nothing from the file is executed.  The result is one ``func.func @main`` whose arguments
are the quantized model inputs and whose results are the model outputs, exactly as HGQ2
computes them at inference (``model.predict``).

    module = import_keras(path.read_bytes(), str(path))
    (y,) = predict(module, [x])     # float inputs -> float outputs, bit-exact

Each function argument is typed with the per-element formats of the model input's first
quantizer, and the function records its modes as an ``fpga.inputs`` record of kind
"fixed" (and identity ``fpga.outputs`` records), the convention of
``importers.onnx.model_io`` that every importer shares, for example

    func.func @main(%x: !fixedpoint.tensor<16x[fixed<1,3,6> * 2, ...]>) -> ...
        attributes {fpga.inputs = [{name = "x", shape = array<i64: 16>, pre_ops = [],
                    kind = "fixed", rounding = "RND", overflow = "WRAP"}], fpga.outputs = ...}

``predict`` is ``importers.onnx.model_io.predict``: the same host conversion for every
importer, exact from the dyadic value of each float32 input (Keras casts inputs to
float32 too).  HGQ2 quantizes in float32, which agrees with this exact quantization except
in two corners: RND rounding of an input whose scaled value ``x * 2**f`` is exactly
``0.5 - 2**-25`` (float32 rounds ``x*2**f + 0.5`` up to 1), and WRAP of inputs more than
2**24 LSBs outside the format (float32 loses the low bits before wrapping).

Supported layers (``layers.py``, ``window_layers.py``): HGQ2's QDense, QEinsumDense (a
dense product over the last axis), QEinsumDenseBatchnorm, QBatchNormDense,
QBatchNormalization, QConv1D/2D, Q(Max|Average|GlobalMax|GlobalAverage)Pooling1D/2D,
QAdd, QSubtract, QMaximum, QMinimum, QAveragePow2 (inputs broadcast as Keras merges do),
QSum, QMeanPow2, Quantizer (``ops_layers.py``: also Keras GetItem slicing); Keras InputLayer,
Concatenate, Reshape, Flatten, Permute, ReLU, Activation (linear, relu), Dropout, Add,
Subtract, Maximum, Minimum and the plain pooling layers.  Anything else, Lambda layers,
float or LUT quantizers and missing weights are located ``CompileError``s.
"""

from xdsl.dialects import builtin

from ...errors import CompileError
from . import layers, ops_layers, window_layers
from .archive import read_archive
from .builder import ModelBuilder
from .graph import parse_model
from ..onnx.model_io import predict

__all__ = ["import_keras", "predict"]

HANDLERS = layers.HANDLERS | window_layers.HANDLERS | ops_layers.HANDLERS
ENTRY_QUANTIZERS = layers.ENTRY_QUANTIZERS | window_layers.ENTRY_QUANTIZERS | ops_layers.ENTRY_QUANTIZERS


def import_keras(data: bytes, filename: str) -> builtin.ModuleOp:
    """The fixedpoint module of the ``.keras`` file with contents ``data``."""
    archive = read_archive(data, filename)
    try:
        graph = parse_model(archive.config, "config.json")
        return ModelBuilder(archive, graph, HANDLERS, ENTRY_QUANTIZERS).build()
    except CompileError as e:  # locate layer-level errors in the file too
        raise CompileError(f"{filename}: {e.where}", e.message) from None
    finally:
        archive.weights.close()
