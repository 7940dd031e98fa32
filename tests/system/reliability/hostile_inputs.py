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

from .fuzz_corpus import Case, Graph
from .fuzz_runner import Outcome, run_case

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


# ------------------------------------------------------------------- seeded sweep cases

HOSTILE_WEIGHTS = {
    "complex64": lambda rng, shape: (rng.normal(size=shape) + 1j).astype(np.complex64),
    "complex128": lambda rng, shape: rng.normal(size=shape) * 1j,
    "1e300": lambda rng, shape: rng.choice([1e300, -1e300, 1.0], size=shape),
    "float16 inf": lambda rng, shape: np.where(rng.random(shape) < 0.5, np.inf, 1).astype(np.float16),
    "nan": lambda rng, shape: np.where(rng.random(shape) < 0.5, np.nan, 1).astype(np.float32),
    "int64 extremes": lambda rng, shape: rng.choice([np.iinfo(np.int64).min, np.iinfo(np.int64).max, 0], size=shape),
    "uint64 max": lambda rng, shape: np.full(shape, np.iinfo(np.uint64).max, np.uint64),
    "bool": lambda rng, shape: rng.random(shape) < 0.5,
}

EXTERNAL_LOCATIONS = ["secret.bin", "../secret.bin", "/etc/passwd", "/dev/zero", "/proc/self/mem", ""]


def hostile_cases(rng: np.random.Generator, scale: int = 1) -> list[Case]:
    """Seeded issue-17 cases for the fuzz sweep: hostile weight dtypes and values, ONNX
    external data, crafted zip headers and HDF5 pointers out of a .keras archive; each
    must fail cleanly (or compile, for values the model defines)."""
    import_only = ["-p", "fixedpoint-infer-precision"]
    cases = []
    for name, make in HOSTILE_WEIGHTS.items():
        for k in range(scale):
            weight = numpy_helper.from_array(np.asarray(make(rng, (4, 3))), "W")
            cases.append(Case(f"hostile:W {name} #{k}", {"model.onnx": onnx_mlp(_replace_init(weight))},
                              ["{dir}/model.onnx", "-t", "verilog"]))
    for k, location in enumerate(EXTERNAL_LOCATIONS):
        cases.append(Case(f"hostile:external data {location!r}",
                          {"model.onnx": onnx_with_external_weight(location, in_constant=bool(k % 2)),
                           "secret.bin": SECRET}, ["{dir}/model.onnx", *import_only]))
    archive = keras_bytes()
    for k in range(4 * scale):
        member = str(rng.choice(["config.json", "model.weights.h5"]))
        patch = {"flags": int(rng.integers(0, 1 << 16))} if k % 3 == 0 else \
            {"method": int(rng.choice([1, 6, 9, 12, 14, 95, 97, 98, 99]))} if k % 3 == 1 else \
            {"file_size": int(rng.integers(0, 1 << 32))}
        cases.append(Case(f"hostile:zip {member} {patch}", {"model.keras": patch_central_directory(archive, member, **patch)},
                          ["{dir}/model.keras", *import_only]))
    pointers = {
        "external storage": lambda f: f.create_dataset("layers/x", shape=(8,), dtype="u1", external=[("secret.bin", 0, 8)]),
        "external link": lambda f: f.__setitem__("layers/x", h5py.ExternalLink("secret.h5", "/d")),
        "soft link loop": lambda f: (f.__setitem__("a", h5py.SoftLink("/b")), f.__setitem__("b", h5py.SoftLink("/a"))),
        "dangling soft link": lambda f: f.__setitem__("layers/x", h5py.SoftLink("/nowhere")),
    }
    for name, build in pointers.items():
        cases.append(Case(f"hostile:h5 {name}", {"model.keras": keras_bytes(build), "secret.bin": SECRET},
                          ["{dir}/model.keras", *import_only]))
    return cases


def _replace_init(tensor) -> Callable:
    def edit(graph):
        graph.inits = [tensor if t.name == tensor.name else t for t in graph.inits]
    return edit
