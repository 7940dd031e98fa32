"""Building and editing ``.keras`` archives for the importer tests (no Keras needed)."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable
from pathlib import Path

import h5py
import numpy as np

from fpga_opt.testing.models import model_path  # noqa: F401 - the tests import it from here

def read_zip(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {n: z.read(n) for n in z.namelist()}


def write_zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name, content in members.items():
            z.writestr(name, content)
    return out.getvalue()


def edit_archive(data: bytes, tmp: Path, config: Callable[[dict], None] | None = None,
                 weights: Callable[[h5py.File], None] | None = None) -> bytes:
    """A copy of the archive with its config.json and/or model.weights.h5 edited in place."""
    members = read_zip(data)
    if config is not None:
        parsed = json.loads(members["config.json"])
        config(parsed)
        members["config.json"] = json.dumps(parsed).encode()
    if weights is not None:
        path = tmp / "weights.h5"
        path.write_bytes(members["model.weights.h5"])
        with h5py.File(path, "r+") as f:
            weights(f)
        members["model.weights.h5"] = path.read_bytes()
    return write_zip(members)


def make_archive(config: dict, tmp: Path, variables: dict[str, list[np.ndarray]],
                 names: dict[str, str]) -> bytes:
    """A .keras archive from a model config and the variables of each h5 group
    (``{"layers/q_dense": [kernel, bias], "layers/q_dense/iq/quantizer": [...]}``);
    ``names`` gives the ``name`` attribute of a group's ``vars`` (the layer name)."""
    path = tmp / "model.weights.h5"
    with h5py.File(path, "w") as f:
        for group, arrays in variables.items():
            vars_group = f.require_group(f"{group}/vars")
            if group in names:
                vars_group.attrs["name"] = names[group]
            for n, array in enumerate(arrays):
                vars_group.create_dataset(str(n), data=array)
    return write_zip({
        "metadata.json": b'{"keras_version": "3.11.2"}',
        "config.json": json.dumps(config).encode(),
        "model.weights.h5": path.read_bytes(),
    })
