"""Models older than the importer: ONNX opsets below 9 upgraded by onnx's own converter.

hls4ml's example-models hold Keras exports at opset 7 and 8.  Their standard-domain ops are
rewritten by ``onnx.version_converter`` (the ONNX project's adapters, not ours) to
``UPGRADE_OPSET`` before import, which is what the reference runtimes do too:

    opset_import [("", 7)]  MatMul, Add, Relu, Softmax
      -> opset_import [("", 13)]  the same graph at opset 13 (Softmax axis semantics kept)
"""

from __future__ import annotations

import onnx
from onnx import version_converter

from ...errors import CompileError
from .context import normalize_domain

UPGRADE_OPSET = 13


def standard_opset_version(model: onnx.ModelProto) -> int | None:
    versions = [o.version for o in model.opset_import if normalize_domain(o.domain) == ""]
    return versions[0] if versions else None


def upgraded(model: onnx.ModelProto, filename: str, min_opset: int) -> onnx.ModelProto:
    """The model itself, or, if its standard opset is below ``min_opset``, its conversion
    to ``UPGRADE_OPSET`` (a CompileError naming the file if the converter fails)."""
    version = standard_opset_version(model)
    if version is None or version >= min_opset:
        return model
    try:
        return version_converter.convert_version(model, UPGRADE_OPSET)
    except Exception as e:  # noqa: BLE001 - the converter raises several types
        message = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
        raise CompileError(filename, f"ONNX opset {version} is older than the supported "
                                     f"{min_opset}, and onnx.version_converter could not "
                                     f"upgrade it to opset {UPGRADE_OPSET}: {message}") from None
