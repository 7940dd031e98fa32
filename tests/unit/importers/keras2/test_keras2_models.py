"""Every model of tests/data/keras2 (example-models' Keras 2 / QKeras files) compiles and
reproduces its reference: QKeras models bit for bit against QKeras itself
(make_references.py), float models within the error of their default_precision against
TensorFlow 2.15."""

import json
from pathlib import Path

import h5py
import numpy as np
import pytest

import fpga_opt
from fpga_opt.verification.verilator_sim import verilator_available
from fpga_opt.importers.keras2 import import_keras2, predict

DATA = Path(__file__).parents[3] / "data" / "keras2"
MANIFEST = json.loads((DATA / "manifest.json").read_text())

# QKeras models: file, compile options; the inputs of their references lie on the 2**-8 grid
QKERAS = {
    "qkeras_3layer": ("qkeras_3layer.json", {"input_precision": "fixed<1,2,8>"}),
    "qkeras_mnist_dense": ("qkeras_mnist_dense.json", {}),  # its input QActivation types the input
    "qkeras-v3_3layer": ("qkeras-v3_3layer.keras", {"input_precision": "fixed<1,2,8>"}),
}
FLOAT = {name: (entry["file"], {**entry["options"], "softmax": "table"}) for name, entry in MANIFEST.items()}

_designs: dict = {}


def design(name: str):
    if name not in _designs:
        file, options = {**QKERAS, **FLOAT}[name]
        _designs[name] = fpga_opt.compile(DATA / file, **options)
    return _designs[name]


def reference(name: str):
    ref = np.load(DATA / f"{name}_reference.npz")
    return ref["x0"], ref["y0"]


@pytest.mark.parametrize("name", list(QKERAS))
def test_qkeras_model_reproduces_qkeras_bit_for_bit(name):
    x, expected = reference(name)
    y = design(name).predict(x)
    assert y.shape == expected.shape
    # the logits are short dyadic numbers: float32 holds them exactly
    assert np.array_equal(y.astype(np.float32).astype(np.float64), y)
    mismatches = int(np.count_nonzero(y != expected.astype(np.float64)))
    assert mismatches == 0, f"{mismatches} of {y.size} outputs differ"
    assert design(name).stats["adders"] > 0


@pytest.mark.verilator
@pytest.mark.skipif(not verilator_available(), reason="Verilator or a C++ compiler is missing")
def test_qkeras_jet_tagger_verilog_equals_the_model():
    x, expected = reference("qkeras_3layer")
    y = design("qkeras_3layer").simulate(x[:64])
    assert np.array_equal(y, expected[:64].astype(np.float64))


@pytest.mark.parametrize("name", list(FLOAT))
def test_float_model_is_within_the_precision_of_tensorflow(name):
    """Probabilities (table softmax) within 0.04 of TensorFlow's where no layer leaves the
    range of fixed<16,6> (beyond it the design wraps, as hls4ml's does), and the decisions
    agree on nearly every input."""
    x, expected = reference(name)
    y = design(name).predict(x)
    error = np.abs(y - expected).max(axis=-1)
    agree = np.mean(np.argmax(y, -1) == np.argmax(expected, -1))
    assert agree >= 0.95, f"only {agree:.1%} of the decisions agree"
    assert np.mean(error <= 0.04) >= 0.95, f"{np.mean(error > 0.04):.1%} of the inputs are off"


def test_float_dense_model_is_hls4ml_fixed_point_arithmetic_bit_for_bit():
    """The float jet tagger at fixed<16,6>: weights truncated to 2**-10, every layer result
    truncated to 2**-10 (TRN, WRAP), exact accumulation -- on inputs that stay in range."""
    file, options = FLOAT["KERAS_3layer"]
    x, _ = reference("KERAS_3layer")
    path = DATA / file
    (logits,) = predict(import_keras2(path.read_bytes(), str(path), **{**options, "softmax": "argmax"}), [x])
    weights = h5py.File(DATA / "KERAS_3layer_weights.h5", "r")
    lsb = 2.0 ** -10

    def truncated(v):
        return np.floor(v / lsb) * lsb

    a, peak = x.astype(np.float64), np.zeros(len(x))
    for layer in ("fc1_relu", "fc2_relu", "fc3_relu", "output_softmax"):
        group = weights[layer][layer]
        w, b = group["kernel:0"][()].astype(np.float64), group["bias:0"][()].astype(np.float64)
        a = truncated(a @ truncated(w) + truncated(b))
        peak = np.maximum(peak, np.abs(a).max(-1))
        if layer != "output_softmax":
            a = np.maximum(a, 0)
    in_range = peak < 32
    assert in_range.mean() > 0.9
    assert np.array_equal(logits[in_range], a[in_range])


def test_float_batch_norm_is_folded_into_the_dense_layer_before_it():
    """KERAS_3layer_batch_norm: Dense -> BatchNormalization -> Activation four times; the
    normalization is folded into the dense weights (hls4ml's fuse_batchnorm), and the
    logits stay within the precision's error of a float64 evaluation."""
    from fpga_opt.dialects.fixedpoint.ops import DenseOp, MulOp

    path = DATA / "KERAS_3layer_batch_norm.json"
    module = import_keras2(path.read_bytes(), str(path), input_precision="fixed<1,2,8>",
                           default_precision="fixed<16,6>")
    ops = list(module.walk())
    assert sum(isinstance(op, DenseOp) for op in ops) == 4
    assert not any(isinstance(op, MulOp) for op in ops)
    x = (np.random.default_rng(0).integers(-512, 512, (256, 16)) / 256).astype(np.float32)
    (y,) = predict(module, [x])
    weights = h5py.File(DATA / "KERAS_3layer_batch_norm_weights.h5", "r")
    a = x.astype(np.float64)
    for dense, bn in [("fc1_relu", "bn1"), ("fc2_relu", "bn2"), ("fc3_relu", "bn3"), ("output_softmax", "bn4")]:
        d, n = weights[dense][dense], weights[bn][bn]
        a = a @ d["kernel:0"][()] + d["bias:0"][()]
        a = (a - n["moving_mean:0"][()]) / np.sqrt(n["moving_variance:0"][()] + 1e-3) * n["gamma:0"][()] + n["beta:0"][()]
        if bn != "bn4":
            a = np.maximum(a, 0)
    assert np.abs(a).max() < 32  # no layer wraps on these inputs
    assert np.abs(y - a).max() < 1.0  # 2**-10 truncations through four layers of ~10x gain
    assert np.mean(np.argmax(y, -1) == np.argmax(a, -1)) >= 0.95


def test_qkeras_cnn_reproduces_qkeras_bit_for_bit():
    """qkeras_mnist_cnn (QConv2D, QActivation, MaxPooling2D, Flatten, Dropout, QDense) by the
    fixedpoint interpreter (its full compile is in docs/keras2-models.md)."""
    path = DATA / "qkeras_mnist_cnn.json"
    x, expected = reference("qkeras_mnist_cnn")
    module = import_keras2(path.read_bytes(), str(path), input_precision="fixed<0,1,8>")
    (y,) = predict(module, [x[:256]])
    assert int(np.count_nonzero(y != expected[:256].astype(np.float64))) == 0
