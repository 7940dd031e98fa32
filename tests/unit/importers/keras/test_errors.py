"""Bad or unsupported .keras files give located CompileErrors, and the driver exits 1
without a traceback."""

import copy
import subprocess
import sys

import numpy as np
import pytest

from fpga_opt.errors import CompileError
from fpga_opt.importers.keras import import_keras
from fpga_opt.tools.driver import main as driver_main

from .archives import edit_archive, model_path, read_zip, write_zip

MODEL = model_path("hgq2_jsc_openml_0.758.keras")


@pytest.fixture
def original() -> bytes:
    if not MODEL.exists():
        pytest.skip(f"{MODEL.name} is neither in tests/data nor in ../shared/models")
    return MODEL.read_bytes()


def layer(config: dict, name: str) -> dict:
    return next(entry for entry in config["config"]["layers"] if entry["name"] == name)


def rename_class(name: str, class_name: str):
    def edit(config):
        entry = layer(config, name)
        entry["class_name"] = class_name

    return edit


def insert_lambda(config):
    """A Lambda layer between t3 and out, with a (never executed) Python function."""
    layers = config["config"]["layers"]
    t3_output = copy.deepcopy(layer(config, "out")["inbound_nodes"][0]["args"][0])
    lam = {
        "module": "keras.layers", "class_name": "Lambda", "name": "scale_by_two",
        "config": {"name": "scale_by_two", "function": {"class_name": "__lambda__", "config": {
            "code": "4wEAAAAAAAAAAAAAAAEAAAACAAAAQwAAAHMIAAAAfABkARQAUwApAk7pAgAAAKkAKQHaAXhyAgAAAHIC"
                    "AAAA+gg8c3RyaW5nPtoIPGxhbWJkYT4BAAAA8wAAAAA=", "defaults": None, "closure": None}}},
        "inbound_nodes": [{"args": [t3_output], "kwargs": {}}],
    }
    layers.insert(len(layers) - 1, lam)
    out_input = layer(config, "out")["inbound_nodes"][0]["args"][0]["config"]
    out_input["keras_history"] = ["scale_by_two", 0, 0]


def to_plain_dense(config):
    """The output layer becomes a plain keras Dense: a model that is not all HGQ2."""
    entry = layer(config, "out")
    entry["module"], entry["class_name"], entry["registered_name"] = "keras.layers", "Dense", None


def located(data: bytes) -> str:
    with pytest.raises(CompileError) as error:
        import_keras(data, "model.keras")
    return str(error.value)


def test_unknown_layer_names_the_layer_and_its_class(original, tmp_path):
    message = located(edit_archive(original, tmp_path, config=rename_class("t2", "QFancyLayer")))
    assert "layer 't2' (QFancyLayer)" in message and "not supported" in message


def test_lambda_layer_is_rejected_without_running_it(original, tmp_path):
    message = located(edit_archive(original, tmp_path, config=insert_lambda))
    assert "layer 'scale_by_two' (Lambda)" in message and "never executed" in message


def test_plain_keras_dense_is_not_an_hgq_model(original, tmp_path):
    message = located(edit_archive(original, tmp_path, config=to_plain_dense))
    assert "layer 'out' (Dense)" in message


def test_unquantized_input_is_rejected(original, tmp_path):
    def no_input_quantizer(config):
        layer(config, "t1")["config"]["enable_iq"] = False

    message = located(edit_archive(original, tmp_path, config=no_input_quantizer))
    assert "layer 't1' (QEinsumDenseBatchnorm)" in message and "without quantizing" in message


def test_missing_layer_weight(original, tmp_path):
    def drop_bias(f):
        del f["layers/q_einsum_dense_batchnorm_1/vars/1"]

    message = located(edit_archive(original, tmp_path, weights=drop_bias))
    assert "layer 't2' (QEinsumDenseBatchnorm)" in message and "missing weight" in message


def test_missing_quantizer_weight(original, tmp_path):
    def drop_kernel_bits(f):
        del f["layers/q_dense/kq/quantizer/vars/0"]

    message = located(edit_archive(original, tmp_path, weights=drop_kernel_bits))
    assert "layer 'out' (QDense), quantizer kq" in message and "missing weight" in message


def test_missing_layer_group(original, tmp_path):
    def drop_layer(f):
        del f["layers/q_dense"]

    message = located(edit_archive(original, tmp_path, weights=drop_layer))
    assert "layer 'out' (QDense)" in message and "missing weight" in message


def test_unsupported_activation(original, tmp_path):
    def tanh(config):
        layer(config, "t3")["config"]["activation"] = "tanh"

    message = located(edit_archive(original, tmp_path, config=tanh))
    assert "layer 't3' (QEinsumDenseBatchnorm)" in message and "'tanh'" in message


def test_unsupported_rounding_mode(original, tmp_path):
    def round_to_zero(config):
        layer(config, "out")["config"]["iq_conf"]["config"]["round_mode"] = "RND_ZERO"

    message = located(edit_archive(original, tmp_path, config=round_to_zero))
    assert "layer 'out' (QDense), quantizer iq" in message and "RND_ZERO" in message


def test_not_a_zip_and_missing_members(original):
    assert "not a zip archive" in located(b"plain text")
    members = read_zip(original)
    del members["model.weights.h5"]
    assert "model.weights.h5" in located(write_zip(members))
    members = read_zip(original)
    members["config.json"] = b"{ not json"
    assert "config.json" in located(write_zip(members))


def bad_file(original: bytes, tmp_path, edit: str):
    if edit == "lambda":
        data = edit_archive(original, tmp_path, config=insert_lambda)
    elif edit == "unknown":
        data = edit_archive(original, tmp_path, config=rename_class("out", "QMystery"))
    else:
        data = edit_archive(original, tmp_path, weights=lambda f: f.__delitem__("layers/q_dense/vars/0"))
    path = tmp_path / "bad.keras"
    path.write_bytes(data)
    return path


def test_driver_process_exits_1_without_traceback(original, tmp_path):
    path = bad_file(original, tmp_path, "lambda")
    output = tmp_path / "out.mlir"
    run = subprocess.run([sys.executable, "-m", "fpga_opt.tools.driver", str(path), "-o", str(output)],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 1
    assert run.stderr.startswith(f"fpga-opt: error: {path}: layer 'scale_by_two' (Lambda)")
    assert "Traceback" not in run.stderr
    assert not output.exists()


@pytest.mark.parametrize("edit", ["unknown", "missing"])
def test_driver_reports_located_errors(original, tmp_path, capsys, edit):
    path = bad_file(original, tmp_path, edit)
    assert driver_main([str(path), "-p", "fixedpoint-infer-precision"]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"fpga-opt: error: {path}: layer 'out' (")
    assert "Traceback" not in err


def test_driver_imports_into_fixedpoint_ir(original, capsys):
    assert driver_main([str(MODEL), "-p", "fixedpoint-infer-precision"]) == 0
    out = capsys.readouterr().out
    assert out.count("fixedpoint.dense") == 4 and "func.func @main" in out


@pytest.mark.parametrize("edit", [
    lambda c: layer(c, "t2")["config"].update(equation=3),
    lambda c: layer(c, "t2")["config"].update(dtype={"config": 7}),
    lambda c: layer(c, "t2")["inbound_nodes"][0]["args"][0]["config"].update(keras_history=["t1", 0]),
    lambda c: layer(c, "t2").update(inbound_nodes=5),
])
def test_config_values_of_the_wrong_kind_are_located(original, tmp_path, edit):
    assert "layer 't2' (QEinsumDenseBatchnorm)" in located(edit_archive(original, tmp_path, config=edit))


@pytest.mark.parametrize("value", [np.nan, 1e30])
def test_impossible_bit_widths_are_located(original, tmp_path, value):
    def corrupt(f):
        path = "layers/q_dense/kq/quantizer/vars/0"
        shape = f[path].shape
        del f[path]
        f[path] = np.full(shape, value, np.float32)

    message = located(edit_archive(original, tmp_path, weights=corrupt))
    assert "layer 'out' (QDense), quantizer kq" in message and "bit counts" in message


def test_weights_of_the_wrong_shape_are_located(original, tmp_path):
    def reshape_kernel(f):
        del f["layers/q_dense/vars/0"]
        f["layers/q_dense/vars/0"] = np.zeros((31, 10), np.float32)

    message = located(edit_archive(original, tmp_path, weights=reshape_kernel))
    assert "layer 'out' (QDense)" in message
