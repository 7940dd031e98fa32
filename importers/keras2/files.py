"""Reading a Keras 2 / QKeras model without Keras: its config (JSON) and its weights (HDF5).

Three ways a model comes, all read with ``json`` and ``h5py`` only, nothing executed:

- a full-model ``.h5``: the root attribute ``model_config`` holds the architecture JSON and
  the group ``model_weights`` holds one group per layer;
- a ``.json`` architecture with a weights-only ``.h5`` beside it (``<stem>_weights.h5``, as
  example-models names them) or named by the ``weights`` option; the weights file's root
  holds the layer groups;
- a Keras 3 ``.keras`` archive of QKeras layers (``importers.keras.archive`` reads it).

In a Keras 2 weights file the group of layer ``L`` has an attribute ``weight_names``
(``L/kernel:0``, ``L/bias:0``, ...) naming datasets under it; a weight is known here by the
last part of its name without ``:0`` (``kernel``, ``bias``, ``gamma``, ``moving_mean``).
Keras 3 stores a layer's variables as ``vars/0, 1, ...`` in the layer's creation order,
trainable ones first; ``KERAS3_VARIABLES`` names them for the layer classes read here.
"""

from __future__ import annotations

import io
import json
import os
from dataclasses import dataclass
from typing import Any

import h5py
import numpy as np

from ...errors import CompileError
from ..keras.archive import KerasArchive, read_archive
from ..keras.graph import LayerCall

WEIGHTS_SUFFIX = "_weights.h5"


@dataclass
class Keras2Model:
    """The parsed model config and a way to read each layer's weights."""

    filename: str
    config: dict[str, Any]
    weights_name: str  # the file the weights come from, for messages
    h5: h5py.File | None  # Keras 2 layout (full model or weights-only file)
    archive: KerasArchive | None  # Keras 3 layout

    def close(self) -> None:
        (self.h5 if self.h5 is not None else self.archive.weights).close()

    def layer_weights(self, call: LayerCall) -> dict[str, np.ndarray]:
        """The weights of one layer by short name (no weights: an empty dict)."""
        if self.archive is not None:
            return _keras3_weights(self.archive, call)
        root = self.h5["model_weights"] if "model_weights" in self.h5 else self.h5
        group = root.get(call.name)
        if not isinstance(group, h5py.Group):
            return {}
        names = [n.decode() if isinstance(n, bytes) else str(n) for n in group.attrs.get("weight_names", [])]
        out = {}
        for full in names:
            dataset = group.get(full)
            if not isinstance(dataset, h5py.Dataset):
                raise CompileError(call.where, f"{self.weights_name} lists weight '{full}' but does not hold it")
            out[full.split("/")[-1].split(":")[0]] = np.asarray(dataset[()])
        return out


KERAS3_VARIABLES = {
    "QDense": ("kernel", "bias"),
    "Dense": ("kernel", "bias"),
    "QConv1D": ("kernel", "bias"),
    "QConv2D": ("kernel", "bias"),
    "Conv1D": ("kernel", "bias"),
    "Conv2D": ("kernel", "bias"),
    "BatchNormalization": ("gamma", "beta", "moving_mean", "moving_variance"),
    "QBatchNormalization": ("gamma", "beta", "moving_mean", "moving_variance"),
}


def _keras3_weights(archive: KerasArchive, call: LayerCall) -> dict[str, np.ndarray]:
    group = archive.layer_group(call.name, call.saved_as)
    vars_group = group.get("vars") if group is not None else None
    if not isinstance(vars_group, h5py.Group) or len(vars_group) == 0:
        return {}
    names = list(KERAS3_VARIABLES.get(call.class_name, ()))
    config = call.config
    if "gamma" in names:
        names = [n for n in names if (n != "gamma" or config.get("scale", True))
                 and (n != "beta" or config.get("center", True))]
    elif not config.get("use_bias", True):
        names.remove("bias")
    if set(vars_group.keys()) != {str(n) for n in range(len(names))}:
        raise CompileError(call.where, f"expected {len(names)} weights ({', '.join(names)}) in "
                           f"model.weights.h5, found {len(vars_group)}")
    return {name: np.asarray(vars_group[str(n)][()]) for n, name in enumerate(names)}


def _open_h5(data: bytes, filename: str) -> h5py.File:
    try:
        return h5py.File(io.BytesIO(data), "r")
    except OSError as e:
        raise CompileError(filename, f"cannot read the HDF5 file: {e}") from None


def _json(text: bytes | str, filename: str) -> dict[str, Any]:
    try:
        config = json.loads(text)
    except (json.JSONDecodeError, UnicodeDecodeError) as e:
        raise CompileError(filename, f"invalid JSON: {e}") from None
    if not isinstance(config, dict):
        raise CompileError(filename, "the model config must be a JSON object")
    return config


def read_h5_model(data: bytes, filename: str) -> Keras2Model:
    """A full-model ``.h5`` (architecture and weights in one file)."""
    h5 = _open_h5(data, filename)
    text = h5.attrs.get("model_config")
    if text is None:
        h5.close()
        raise CompileError(filename, "the HDF5 file has no 'model_config' attribute: it holds only "
                           "weights; compile the architecture's .json and give this file as its weights")
    if "model_weights" not in h5:
        h5.close()
        raise CompileError(filename, "the HDF5 file has no 'model_weights' group (missing weights)")
    return Keras2Model(filename, _json(text, f"{filename}:model_config"), filename, h5, None)


def weights_path(filename: str, weights: str | None) -> str:
    """The weights file of a ``.json`` architecture: the ``weights`` option, else the file
    ``<stem>_weights.h5`` beside it."""
    if weights:
        return weights
    return os.path.splitext(filename)[0] + WEIGHTS_SUFFIX


def read_json_model(data: bytes, filename: str, weights: str | None) -> Keras2Model:
    """A ``.json`` architecture and its weights-only ``.h5``."""
    config = _json(data, filename)
    path = weights_path(filename, weights)
    try:
        with open(path, "rb") as f:
            blob = f.read()
    except OSError as e:
        hint = "" if weights else " (give the weights file with --weights / weights=)"
        raise CompileError(filename, f"cannot read its weights file '{path}': {e.strerror}{hint}") from None
    return Keras2Model(filename, config, path, _open_h5(blob, path), None)


def read_keras3_model(data: bytes, filename: str) -> Keras2Model:
    """A Keras 3 ``.keras`` archive (of QKeras layers)."""
    archive = read_archive(data, filename)
    return Keras2Model(filename, archive.config, f"{filename}:model.weights.h5", None, archive)
