"""Reading a Keras 3 ``.keras`` archive without Keras: a zip of ``config.json`` (the
architecture), ``model.weights.h5`` (every variable) and ``metadata.json``.

Nothing in the archive is executed: the config is parsed as JSON and the weights are read
as plain arrays.  Keras stores the variables of the n-th layer of a model under
``layers/<snake_case_class>[_n]/vars/<index>``; the ``vars`` group carries the layer's name
as an attribute, which is how a layer's group is found here.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from dataclasses import dataclass
from typing import Any

import h5py
import numpy as np

from ...errors import CompileError


@dataclass
class KerasArchive:
    """The parsed config and the open weights file of one ``.keras`` model."""

    filename: str
    config: dict[str, Any]
    weights: h5py.File

    def layer_group(self, layer_name: str) -> h5py.Group | None:
        """The h5 group holding the variables of the layer called ``layer_name``."""
        return self._groups_by_name().get(layer_name)

    def _groups_by_name(self) -> dict[str, h5py.Group]:
        if not hasattr(self, "_by_name"):
            by_name: dict[str, h5py.Group] = {}
            layers = self.weights.get("layers")
            if isinstance(layers, h5py.Group):
                for key in _natural_sorted(layers.keys()):
                    group = layers[key]
                    vars_group = group.get("vars") if isinstance(group, h5py.Group) else None
                    name = vars_group.attrs.get("name") if vars_group is not None else None
                    if isinstance(name, bytes):
                        name = name.decode()
                    if isinstance(name, str) and name not in by_name:
                        by_name[name] = group
            self._by_name = by_name
        return self._by_name


def read_archive(data: bytes, filename: str) -> KerasArchive:
    """Open the zip, parse config.json and open model.weights.h5 (located errors)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise CompileError(filename, "not a .keras file (it is not a zip archive)") from None
    names = set(archive.namelist())
    for needed in ("config.json", "model.weights.h5"):
        if needed not in names:
            raise CompileError(filename, f"the .keras archive has no '{needed}'")
    try:
        config = json.loads(archive.read("config.json"))
    except (json.JSONDecodeError, UnicodeDecodeError) as e:
        raise CompileError(f"{filename}:config.json", f"invalid JSON: {e}") from None
    if not isinstance(config, dict):
        raise CompileError(f"{filename}:config.json", "the model config must be a JSON object")
    try:
        weights = h5py.File(io.BytesIO(archive.read("model.weights.h5")), "r")
    except OSError as e:
        raise CompileError(f"{filename}:model.weights.h5", f"cannot read the HDF5 file: {e}") from None
    return KerasArchive(filename, config, weights)


def read_variables(group: h5py.Group | None, where: str) -> list[np.ndarray]:
    """The arrays under ``group/vars`` in their saved order (0, 1, 2, ...)."""
    if group is None:
        return []
    vars_group = group.get("vars")
    if not isinstance(vars_group, h5py.Group):
        return []
    keys = set(vars_group.keys())
    if keys != {str(n) for n in range(len(keys))}:
        raise CompileError(where, f"unexpected variable names {sorted(keys)} in the weights file")
    return [np.asarray(vars_group[str(n)][()]) for n in range(len(keys))]


def _natural_sorted(keys) -> list[str]:
    return sorted(keys, key=lambda k: [int(t) if t.isdigit() else t for t in re.split(r"(\d+)", k)])
