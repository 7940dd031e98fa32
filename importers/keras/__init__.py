"""Import HGQ2-trained Keras 3 models (``.keras`` files) into the fixedpoint dialect.

Only ``json``, ``zipfile``, ``h5py`` and ``numpy`` are used: no Keras, no TensorFlow, and
nothing from the file is executed.  The result is one ``func.func @main`` whose arguments
are the quantized model inputs and whose results are the model outputs, exactly as HGQ2
computes them at inference (``model.predict``).

    module = import_keras(path.read_bytes(), str(path))
    y = predict(module, x)          # float inputs -> float outputs, bit-exact
"""

from xdsl.dialects import builtin

from ...errors import CompileError
from .archive import read_archive
from .builder import ModelBuilder
from .graph import parse_model
from . import layers, window_layers
from .predict import predict, quantize_inputs

__all__ = ["import_keras", "predict", "quantize_inputs"]

HANDLERS = layers.HANDLERS | window_layers.HANDLERS
ENTRY_QUANTIZERS = layers.ENTRY_QUANTIZERS | window_layers.ENTRY_QUANTIZERS


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
