"""Reading a Keras 3 ``.keras`` archive without Keras: a zip of ``config.json`` (the
architecture), ``model.weights.h5`` (every variable) and ``metadata.json``.

Nothing in the archive is executed: the config is parsed as JSON and the weights are read
as plain arrays.  Keras stores the variables of the n-th layer of a class under
``layers/<snake_case_class>[_n]/vars/<index>``; the ``vars`` group carries the layer's name
as an attribute, which is how a layer's group is found here first.
"""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import dataclass, field
from typing import Any

import h5py

from ...errors import CompileError
from ..containment import check_hdf5_contained, read_zip_member


@dataclass
class KerasArchive:
    """The parsed config and the open weights file of one ``.keras`` model."""

    filename: str
    config: dict[str, Any]
    weights: h5py.File
    groups: dict[str, h5py.Group] = field(init=False)

    def __post_init__(self) -> None:
        """Index the layer groups by the layer name stored on their ``vars`` group."""
        self.groups = {}
        layers = self.weights.get("layers")
        if not isinstance(layers, h5py.Group):
            return
        for key in sorted(layers.keys()):
            group = layers[key]
            vars_group = group.get("vars") if isinstance(group, h5py.Group) else None
            name = vars_group.attrs.get("name") if isinstance(vars_group, h5py.Group) else None
            name = name.decode() if isinstance(name, bytes) else name
            if isinstance(name, str):
                self.groups.setdefault(name, group)

    def layer_group(self, layer_name: str, saved_as: str) -> h5py.Group | None:
        """The h5 group holding the variables of the layer called ``layer_name``: found by
        the name on its ``vars`` group, else by Keras's group naming (``saved_as``)."""
        if layer_name in self.groups:
            return self.groups[layer_name]
        group = self.weights.get(f"layers/{saved_as}")
        return group if isinstance(group, h5py.Group) else None


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
        config = json.loads(_member(archive, "config.json", filename))
    except (json.JSONDecodeError, UnicodeDecodeError) as e:
        raise CompileError(f"{filename}:config.json", f"invalid JSON: {e}") from None
    if not isinstance(config, dict):
        raise CompileError(f"{filename}:config.json", "the model config must be a JSON object")
    try:
        weights = h5py.File(io.BytesIO(_member(archive, "model.weights.h5", filename)), "r")
    except OSError as e:
        raise CompileError(f"{filename}:model.weights.h5", f"cannot read the HDF5 file: {e}") from None
    check_hdf5_contained(weights, f"{filename}:model.weights.h5")
    return KerasArchive(filename, config, weights)


def _member(archive: zipfile.ZipFile, name: str, filename: str) -> bytes:
    """The bytes of one archive member; a damaged, encrypted or oversized member (bad CRC,
    broken deflate stream, cut short, zip bomb) is a located error (containment.py)."""
    return read_zip_member(archive, name, f"{filename}:{name}")
