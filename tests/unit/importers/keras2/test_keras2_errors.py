"""Bad Keras 2 / QKeras input: located errors naming the layer and its class, never a
traceback, and nothing from the file executed; the file forms (full-model .h5, .json with
its weights beside it or named, QKeras in a .keras archive) read alike."""

import json
import subprocess
import sys
from pathlib import Path

import h5py
import numpy as np
import pytest

from fpga_opt.errors import CompileError
from fpga_opt.importers.keras2 import import_keras2, is_qkeras_archive, predict
from fpga_opt.registry import get_all_frontends

DATA = Path(__file__).parents[3] / "data" / "keras2"
FPGA_OPT = Path(sys.executable).parent / "fpga-opt"


def dense_entry(name, units, **config):
    return {"class_name": "Dense", "config": {"name": name, "units": units, "activation": "linear",
                                              "use_bias": True, **config}}


def write_model(tmp_path: Path, layers: list[dict], weights: dict[str, dict[str, np.ndarray]],
                stem: str = "m") -> Path:
    """A Keras 2 sequential .json and its <stem>_weights.h5."""
    config = {"class_name": "Sequential", "keras_version": "2.4.0",
              "config": {"name": "s", "layers": [
                  {"class_name": "InputLayer", "config": {"name": "x", "batch_input_shape": [None, 4]}},
                  *layers]}}
    path = tmp_path / f"{stem}.json"
    path.write_text(json.dumps(config))
    with h5py.File(tmp_path / f"{stem}_weights.h5", "w") as h5:
        for layer, arrays in weights.items():
            group = h5.create_group(layer)
            group.attrs["weight_names"] = [f"{layer}/{k}:0".encode() for k in arrays]
            for k, v in arrays.items():
                group.create_dataset(f"{layer}/{k}:0", data=v)
    return path


DENSE_WEIGHTS = {"fc": {"kernel": np.full((4, 3), 0.25, np.float32), "bias": np.zeros(3, np.float32)}}


def compile_json(path: Path, **options):
    return import_keras2(path.read_bytes(), str(path), **options)


def test_lambda_layer_is_refused_by_name_and_class(tmp_path):
    lam = {"class_name": "Lambda", "config": {"name": "sneaky", "function": ["4wEAAAAAAAAA", None, None]}}
    path = write_model(tmp_path, [dense_entry("fc", 3), lam], DENSE_WEIGHTS)
    with pytest.raises(CompileError, match=r"layer 'sneaky' \(Lambda\).*never executed"):
        compile_json(path, input_precision="fixed<1,2,8>", default_precision="fixed<16,6>")


def test_unknown_layer_class_is_refused_by_name_and_class(tmp_path):
    odd = {"class_name": "MyCustomLayer", "config": {"name": "custom"}}
    path = write_model(tmp_path, [dense_entry("fc", 3), odd], DENSE_WEIGHTS)
    with pytest.raises(CompileError, match=r"layer 'custom' \(MyCustomLayer\): this layer class is not supported"):
        compile_json(path, input_precision="fixed<1,2,8>", default_precision="fixed<16,6>")


def test_missing_weights_file_is_named(tmp_path):
    path = write_model(tmp_path, [dense_entry("fc", 3)], DENSE_WEIGHTS)
    (tmp_path / "m_weights.h5").unlink()
    with pytest.raises(CompileError, match=r"m\.json: cannot read its weights file '.*m_weights\.h5'"):
        compile_json(path, default_precision="fixed<16,6>")


def test_missing_layer_weights_are_located(tmp_path):
    path = write_model(tmp_path, [dense_entry("fc", 3), dense_entry("fc2", 2)], DENSE_WEIGHTS)
    with pytest.raises(CompileError, match=r"layer 'fc2' \(Dense\): .*has no 'kernel' weight.*missing weight"):
        compile_json(path, default_precision="fixed<16,6>")


def test_float_model_needs_a_default_precision(tmp_path):
    path = write_model(tmp_path, [dense_entry("fc", 3)], DENSE_WEIGHTS)
    with pytest.raises(CompileError, match=r"layer 'fc' \(Dense\): a float .*default_precision"):
        compile_json(path, input_precision="fixed<1,2,8>")


def test_unsupported_quantizer_is_located(tmp_path):
    layer = {"class_name": "QActivation", "config": {"name": "act", "activation": "quantized_ulaw(8)"}}
    path = write_model(tmp_path, [dense_entry("fc", 3), layer], DENSE_WEIGHTS)
    with pytest.raises(CompileError, match=r"layer 'act' \(QActivation\), activation: QKeras quantizer 'quantized_ulaw'"):
        compile_json(path, input_precision="fixed<1,2,8>")


def test_weights_option_names_the_weights_file(tmp_path):
    path = write_model(tmp_path, [dense_entry("fc", 3)], DENSE_WEIGHTS)
    moved = tmp_path / "elsewhere.h5"
    (tmp_path / "m_weights.h5").rename(moved)
    module = compile_json(path, weights=str(moved), input_precision="fixed<1,2,8>",
                          default_precision="fixed<16,6>")
    (y,) = predict(module, [np.array([[1.0, 0.5, -0.25, 2.0]], np.float32)])
    assert y.tolist() == [[0.8125] * 3]


def test_full_model_h5_reads_like_json_and_weights(tmp_path):
    """A full-model .h5: the architecture in the model_config attribute, the weights under
    model_weights (built here from qkeras_3layer's two files)."""
    full = tmp_path / "qkeras_3layer.h5"
    with h5py.File(full, "w") as out, h5py.File(DATA / "qkeras_3layer_weights.h5", "r") as weights:
        out.attrs["model_config"] = (DATA / "qkeras_3layer.json").read_text()
        group = out.create_group("model_weights")
        for key in weights:
            weights.copy(weights[key], group, name=key)
    ref = np.load(DATA / "qkeras_3layer_reference.npz")
    module = import_keras2(full.read_bytes(), str(full), input_precision="fixed<1,2,8>")
    (y,) = predict(module, [ref["x0"]])
    assert np.array_equal(y, ref["y0"].astype(np.float64))


def test_weights_only_h5_asks_for_the_architecture():
    path = DATA / "qkeras_3layer_weights.h5"
    with pytest.raises(CompileError, match="no 'model_config' attribute"):
        import_keras2(path.read_bytes(), str(path))


def test_qkeras_keras_archive_goes_to_this_importer():
    data = (DATA / "qkeras-v3_3layer.keras").read_bytes()
    assert is_qkeras_archive(data)
    hgq2 = Path(__file__).parents[1] / "keras" / "fixtures" / "hgq2_functional_mix.keras"
    assert not is_qkeras_archive(hgq2.read_bytes()) and not is_qkeras_archive(b"not a zip")
    module = get_all_frontends()["keras"](data, "qkeras-v3_3layer.keras", input_precision="fixed<1,2,8>")
    ref = np.load(DATA / "qkeras-v3_3layer_reference.npz")
    (y,) = predict(module, [ref["x0"]])
    assert np.array_equal(y, ref["y0"].astype(np.float64))


def test_cli_reports_a_missing_weights_file_without_a_traceback(tmp_path):
    path = write_model(tmp_path, [dense_entry("fc", 3)], DENSE_WEIGHTS)
    result = subprocess.run([str(FPGA_OPT), str(path), "--weights", str(tmp_path / "none.h5"),
                             "-t", "stats"], capture_output=True, text=True, timeout=300)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("fpga-opt: error: ") and "none.h5" in result.stderr
