"""Hostile inputs for the driver, built on the fly (issue 17): model files that point
outside themselves, archives that inflate without end, special files as input.

``run`` sends one command line through the driver's ``main`` in this process (with the
fuzz runner's time limit) and returns its ``Outcome``.
"""

from __future__ import annotations

import io
import json
import struct
import zipfile
from collections.abc import Callable
from pathlib import Path

import h5py
import numpy as np
from onnx import TensorProto, external_data_helper, helper, numpy_helper

from fuzz_corpus import Case, Graph
from fuzz_runner import Outcome, run_case

SECRET = b"TOP-SECRET-0123456789abcdef" * 4
"""Bytes of a file next to the model that no model may make the compiler read."""

KERAS_CONFIG = {"class_name": "Functional", "config": {"name": "m", "layers": []}}


def run(argv: list[str], folder: Path, timeout: int = 60) -> Outcome:
    """The driver's outcome for ``argv`` (files already in ``folder``)."""
    return run_case(Case("hostile", {}, argv, output=None), folder, timeout)


def one_line_error(outcome: Outcome, *fragments: str) -> None:
    """Exit 1, exactly one line on stderr, ``fpga-opt: error:`` with every fragment."""
    lines = outcome.stderr.strip().splitlines()
    assert outcome.code == 1, outcome.stderr
    assert len(lines) == 1 and lines[0].startswith("fpga-opt: error: "), outcome.stderr
    assert "internal error" not in lines[0], lines[0]
    for fragment in fragments:
        assert fragment in lines[0], (fragment, lines[0])


# ------------------------------------------------------------------------------ .keras


def zip_bytes(members: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression) as z:
        for name, content in members.items():
            z.writestr(name, content)
    return out.getvalue()


def h5_bytes(build: Callable[[h5py.File], None]) -> bytes:
    """An in-memory HDF5 file with a Keras-like ``layers/dense/vars/0`` plus ``build``'s
    additions."""
    buffer = io.BytesIO()
    with h5py.File(buffer, "w") as f:
        f.create_dataset("layers/dense/vars/0", data=np.ones((2, 2), np.float32))
        build(f)
    return buffer.getvalue()


def keras_bytes(build: Callable[[h5py.File], None] = lambda f: None, config=None) -> bytes:
    return zip_bytes({"config.json": json.dumps(config or KERAS_CONFIG).encode(),
                      "metadata.json": b"{}", "model.weights.h5": h5_bytes(build)})


def patch_central_directory(data: bytes, member: str, *, flags: int | None = None,
                            method: int | None = None, file_size: int | None = None) -> bytes:
    """``data`` with the central-directory entry of ``member`` rewritten: its general
    purpose flags, compression method or declared inflated size (what a crafted archive
    may claim)."""
    out = bytearray(data)
    start = out.find(b"PK\x01\x02")
    while start != -1:
        name_length = struct.unpack_from("<H", out, start + 28)[0]
        if out[start + 46:start + 46 + name_length] == member.encode():
            if flags is not None:
                struct.pack_into("<H", out, start + 8, flags)
            if method is not None:
                struct.pack_into("<H", out, start + 10, method)
            if file_size is not None:
                struct.pack_into("<I", out, start + 24, file_size)
        start = out.find(b"PK\x01\x02", start + 4)
    return bytes(out)


# ------------------------------------------------------------------------------- ONNX


def onnx_with_external_weight(location: str, in_constant: bool = False) -> bytes:
    """The fuzz corpus's QONNX MLP whose weight W keeps its data in ``location``."""
    graph = Graph.base(np.random.default_rng(0))
    weight = numpy_helper.from_array(np.ones((4, 3), np.float32), "W")
    external_data_helper.set_external_data(weight, location, offset=0, length=48)
    weight.data_location = TensorProto.EXTERNAL
    weight.ClearField("raw_data")
    if in_constant:
        graph.inits = [t for t in graph.inits if t.name != "W"]
        graph.nodes.insert(0, helper.make_node("Constant", [], ["W"], name="w_const", value=weight))
    else:
        graph.inits = [weight if t.name == "W" else t for t in graph.inits]
    return graph.to_bytes()


def onnx_mlp(edit: Callable[[Graph], None] = lambda g: None) -> bytes:
    graph = Graph.base(np.random.default_rng(0))
    edit(graph)
    return graph.to_bytes()
