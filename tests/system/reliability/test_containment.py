"""A model file reads nothing outside itself (issue 17, class 1): HDF5 external storage,
external and soft links, virtual datasets and plugin filters in a ``.keras`` archive,
ONNX external data, zip bombs and encrypted members, special files as input.  Each case
ends in exit 1 with one located line; the secret file next to the model never shows up."""

import os
import zipfile

import h5py
import numpy as np
import pytest

from fpga_opt.importers import containment
from .hostile_inputs import (
    SECRET,
    keras_bytes,
    one_line_error,
    onnx_mlp,
    onnx_with_external_weight,
    patch_central_directory,
    run,
    zip_bytes,
)


@pytest.fixture
def folder(tmp_path):
    (tmp_path / "secret.bin").write_bytes(SECRET)
    return tmp_path


def compile_file(folder, name: str, content: bytes, *args: str):
    (folder / name).write_bytes(content)
    outcome = run([str(folder / name), "-o", str(folder / "out.v"), *args], folder)
    assert not (folder / "out.v").exists()
    assert SECRET[:20].decode() not in outcome.stderr + outcome.stdout
    return outcome


def external_storage(folder):
    return lambda f: f.create_dataset("layers/dense/vars/1", shape=(len(SECRET),), dtype="u1",
                                      external=[(str(folder / "secret.bin"), 0, len(SECRET))])


def virtual_dataset(folder):
    def build(f):
        layout = h5py.VirtualLayout(shape=(len(SECRET),), dtype="u1")
        layout[:] = h5py.VirtualSource(str(folder / "other.h5"), "data", shape=(len(SECRET),))
        f.create_virtual_dataset("layers/dense/vars/1", layout)
    with h5py.File(folder / "other.h5", "w") as other:
        other["data"] = np.frombuffer(SECRET, np.uint8)
    return build


def external_link(folder):
    with h5py.File(folder / "other.h5", "w") as other:
        other["data"] = np.frombuffer(SECRET, np.uint8)
    return lambda f: f.__setitem__("layers/dense/vars/1", h5py.ExternalLink(str(folder / "other.h5"), "/data"))


def soft_link_loop(folder):
    def build(f):
        f["layers/a"] = h5py.SoftLink("/layers/b")
        f["layers/b"] = h5py.SoftLink("/layers/a")
    return build


def plugin_filter(folder):
    return lambda f: f.create_dataset("layers/dense/vars/1", data=np.zeros(16, np.uint8),
                                      chunks=(16,), compression=32001, allow_unknown_filter=True)


@pytest.mark.parametrize("make, fragments", [
    (external_storage, ("model.weights.h5:/layers/dense/vars/1", "external storage")),
    (virtual_dataset, ("model.weights.h5:/layers/dense/vars/1", "virtual dataset")),
    (external_link, ("model.weights.h5:/layers/dense/vars/1", "ExternalLink")),
    (soft_link_loop, ("model.weights.h5:/layers/", "SoftLink")),
    (plugin_filter, ("model.weights.h5:/layers/dense/vars/1", "filter 32001")),
], ids=["external storage", "virtual dataset", "external link", "soft-link loop", "plugin filter"])
def test_keras_weights_point_nowhere_else(folder, make, fragments):
    outcome = compile_file(folder, "model.keras", keras_bytes(make(folder)))
    one_line_error(outcome, str(folder / "model.keras"), *fragments)


def test_zip_member_declaring_a_huge_size_is_refused_before_inflating(folder):
    data = patch_central_directory(keras_bytes(), "model.weights.h5", file_size=0xFFFFFFF0)
    one_line_error(compile_file(folder, "model.keras", data),
                   "model.keras:model.weights.h5", "inflates to 4,294,967,280 bytes", "the limit is")


def test_zip_bomb_past_the_member_limit(folder, monkeypatch):
    monkeypatch.setattr(containment, "MAX_MEMBER_BYTES", 1 << 20)
    bomb = zip_bytes({"config.json": b" " * (4 << 20), "model.weights.h5": b""})
    assert len(bomb) < 20_000  # 4 MB of spaces deflate to a few kB
    one_line_error(compile_file(folder, "model.keras", bomb),
                   "model.keras:config.json", "inflates to 4,194,304 bytes", "the limit is 1,048,576")


def test_encrypted_member(folder):
    data = patch_central_directory(keras_bytes(), "config.json", flags=0x1)
    one_line_error(compile_file(folder, "model.keras", data), "model.keras:config.json", "encrypted")


def test_unknown_compression_method(folder):
    data = zip_bytes({"config.json": b"{}", "model.weights.h5": b""}, zipfile.ZIP_STORED)
    data = patch_central_directory(data, "config.json", method=99)
    one_line_error(compile_file(folder, "model.keras", data), "model.keras:config.json", "damaged archive member")


def test_deeply_nested_config_json(folder):
    data = zip_bytes({"config.json": b"[" * 100_000 + b"]" * 100_000, "model.weights.h5": b""})
    one_line_error(compile_file(folder, "model.keras", data), "model.keras", "nested too deeply")


@pytest.mark.parametrize("location", ["secret.bin", "../secret.bin", "/etc/passwd", "sub/../secret.bin"])
def test_onnx_external_data_is_refused(folder, location):
    outcome = compile_file(folder, "model.onnx", onnx_with_external_weight(location))
    one_line_error(outcome, "model.onnx: initializer 'W'", "external file")


def test_onnx_external_data_in_a_constant_node(folder):
    outcome = compile_file(folder, "model.onnx", onnx_with_external_weight("secret.bin", in_constant=True))
    one_line_error(outcome, "node 'w_const' (Constant) attribute 'value'", "external file")


@pytest.mark.parametrize("make_input, fragment", [
    (lambda d: os.mkfifo(d / "x.keras") or d / "x.keras", "is a FIFO, not a regular file"),
    (lambda d: os.symlink("/dev/zero", d / "zero.onnx") or d / "zero.onnx", "is a character device"),
    (lambda d: (d / "dir.onnx").mkdir() or d / "dir.onnx", "is a directory"),
    (lambda d: "/proc/self/mem", "cannot read"),
], ids=["fifo", "dev zero", "directory", "proc self mem"])
def test_inputs_must_be_regular_files(folder, make_input, fragment):
    path = make_input(folder)
    outcome = run([str(path), "-f", "onnx", "-o", str(folder / "out.v")], folder, timeout=20)
    one_line_error(outcome, str(path), fragment)
    assert not (folder / "out.v").exists()


def test_input_size_limit(folder):
    (folder / "model.onnx").write_bytes(onnx_mlp())
    outcome = run([str(folder / "model.onnx"), "--max-input-bytes", "100"], folder)
    one_line_error(outcome, "model.onnx", "the limit is 100 (--max-input-bytes)")


def test_file_without_extension(folder):
    (folder / "model").write_bytes(onnx_mlp())
    one_line_error(run([str(folder / "model")], folder), "no file extension", "-f")
    assert run([str(folder / "model"), "-f", "onnx", "-p", "fixedpoint-infer-precision"], folder).code == 0
