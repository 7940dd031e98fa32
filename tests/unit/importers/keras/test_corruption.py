"""Corrupted files never escape as anything but a located CompileError: random changes to
config values and to h5 datasets of a model that uses every supported layer."""

import io
import json
import random
import zipfile
from pathlib import Path

import h5py
import numpy as np

from fpga_opt.errors import CompileError
from fpga_opt.importers.keras import import_keras

from .archives import edit_archive, read_zip, write_zip

MODEL = Path(__file__).parent / "fixtures" / "hgq2_functional_mix.keras"


def json_paths(obj, prefix=()):
    items = obj.items() if isinstance(obj, dict) else enumerate(obj) if isinstance(obj, list) else []
    for key, value in items:
        yield prefix + (key,)
        yield from json_paths(value, prefix + (key,))


def imports_or_compile_error(data: bytes) -> None:
    try:
        import_keras(data, "corrupt.keras")
    except CompileError as e:
        assert e.where.startswith("corrupt.keras")


def test_random_config_values():
    rng = random.Random(7)
    members = read_zip(MODEL.read_bytes())
    config = json.loads(members["config.json"])
    paths = list(json_paths(config))
    for _ in range(30):
        edited = json.loads(members["config.json"])
        path = rng.choice(paths)
        node = edited
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = rng.choice([None, "x", 3, -1, [], {}, [1, 2], 0.5, True])
        imports_or_compile_error(write_zip({**members, "config.json": json.dumps(edited).encode()}))


def test_random_weight_datasets(tmp_path):
    rng = random.Random(11)
    data = MODEL.read_bytes()
    names = []
    with h5py.File(io.BytesIO(zipfile.ZipFile(io.BytesIO(data)).read("model.weights.h5")), "r") as f:
        f.visititems(lambda n, o: names.append(n) if isinstance(o, h5py.Dataset) else None)
    replacements = [None, lambda s: np.zeros(s + (2,), np.float32), lambda s: np.bytes_("abc"),
                    lambda s: np.full(s, np.nan, np.float32), lambda s: np.full(s, 1e30, np.float32)]
    for _ in range(15):
        name, replace = rng.choice(names), rng.choice(replacements)

        def edit(f):
            shape = f[name].shape
            del f[name]
            if replace is not None:
                f[name] = replace(shape)

        imports_or_compile_error(edit_archive(data, tmp_path, weights=edit))
