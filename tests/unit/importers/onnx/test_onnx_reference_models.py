"""The four quantized QONNX models bundled in tests/data reproduce their qonnx
reference outputs, and agree with an independent float32 oracle quantizer by quantizer on
random inputs (any difference must be a float32 rounding tie, listed value by value)."""

import numpy as np
import onnx
import pytest

from fpga_opt.importers.onnx import import_onnx, predict, predict_hardware, records

from .onnx_oracle import explain_mismatches, model_path

# The jet tagger has no input quantizer: its float inputs enter the first MatMul.  28-bit
# inputs (f=24, the float32 significand width) reproduce the logits exactly.
JET_INPUT = "fixed<1,3,24>"
# The UNSW-NB15 inputs are bits (0 or 1); the model computes (x + 1) / 2 in float.
UNSW_INPUT = "fixed<0,1,0>"


def load(name: str, **options):
    path, ref = model_path(f"{name}.onnx"), model_path(f"{name}_reference.npz")
    if not path.exists() or not ref.exists():
        pytest.skip(f"{path} or its reference is absent (neither in tests/data nor in ../shared/models)")
    module = import_onnx(path.read_bytes(), path.name, **options)
    module.verify()
    return module, np.load(ref)


def output_integers(module, y: np.ndarray) -> np.ndarray:
    """The hardware integers behind float reference outputs (inverting the recorded
    output transform; each must land within float32 noise of an integer)."""
    _, (out,) = records(module)
    value = (y.astype(np.float64) - out.offset.reshape(out.shape)) / out.scale.reshape(out.shape)
    assert np.all(np.abs(value - np.round(value)) < 1e-3)
    return np.round(value)


def test_jet_tagger_logits_exact():
    module, ref = load("qkeras_jettagging", input_precision=JET_INPUT)
    (logits,) = predict(module, [ref["x"]])
    assert logits.shape == ref["logits"].shape
    assert np.array_equal(logits, ref["logits"].astype(np.float64))  # 0 of 1500 differ
    _, (out,) = records(module)
    assert out.dropped == "Softmax"
    assert np.array_equal(np.argmax(logits, axis=1), np.argmax(ref["y"], axis=1))


def test_tfc_2w2a_exact():
    module, ref = load("TFC_2W2A")
    (y,) = predict_hardware(module, [ref["x"]])
    assert np.array_equal(y.to_float(), output_integers(module, ref["y"]))  # 0 of 3000
    (yf,) = predict(module, [ref["x"]])
    np.testing.assert_allclose(yf, ref["y"], rtol=0, atol=1e-5)  # float32 tail vs float64
    inputs, _ = records(module)
    assert [op for op, _ in inputs[0].pre_ops] == ["reshape", "mul", "sub"]


def test_unsw_nb15_exact():
    module, ref = load("unsw_nb15_mlp_w2a2", input_precision=UNSW_INPUT)
    (y,) = predict(module, [ref["x"]])
    assert np.array_equal(y, ref["y"].astype(np.float64))  # 0 of 300


def test_bnn_one_layer_exact():
    module, ref = load("bnn_model_fc_1layer")
    (y,) = predict(module, [ref["x"]])
    assert np.array_equal(y, ref["y"].astype(np.float64))  # 0 of 1200


RANDOM = {
    "TFC_2W2A": (lambda rng, n: rng.random((n, 1, 28, 28), dtype=np.float32), {}),
    "unsw_nb15_mlp_w2a2": (lambda rng, n: rng.integers(0, 2, (n, 600)).astype(np.float32),
                           {"input_precision": UNSW_INPUT}),
    "bnn_model_fc_1layer": (lambda rng, n: rng.normal(0, 3, (n, 3)).astype(np.float32), {}),
    "qkeras_jettagging": (lambda rng, n: rng.normal(0, 1.5, (n, 16)).astype(np.float32),
                          {"input_precision": JET_INPUT}),
}


@pytest.mark.parametrize("name", sorted(RANDOM))
def test_random_inputs_agree_with_float32_oracle(name):
    path = model_path(f"{name}.onnx")
    if not path.exists():
        pytest.skip(f"{path} is absent")
    make, options = RANDOM[name]
    x = make(np.random.default_rng(5), 256)
    mismatches, compared = explain_mismatches(onnx.load(path), x, **options)
    assert compared > 0
    # Measured on these 256 inputs: no value differs (each difference would have been
    # asserted to be a float32 tie inside explain_mismatches).
    assert mismatches == []


def test_reference_inputs_agree_quantizer_by_quantizer():
    for name, options in (("TFC_2W2A", {}), ("unsw_nb15_mlp_w2a2", {"input_precision": UNSW_INPUT})):
        path = model_path(f"{name}.onnx")
        if not path.exists():
            pytest.skip(f"{path} is absent")
        x = np.load(model_path(f"{name}_reference.npz"))["x"]
        mismatches, compared = explain_mismatches(onnx.load(path), x, **options)
        assert mismatches == [] and compared > 0
