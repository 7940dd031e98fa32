"""QKeras quantizers: against QKeras's own outputs on edge cases (ties, saturation, per-channel
auto_po2 scales; qkeras_quantizer_cases.npz, written by make_references.py), against numpy
transcriptions of their formulas, and as fixed-point activations."""

import json
from pathlib import Path

import numpy as np
import pytest

from fpga_opt.errors import CompileError
from fpga_opt.importers.keras2.quantizers import exact_mantissas, parse_quantizer
from fpga_opt.numerics import Rounding, quantize

CASES = np.load(Path(__file__).parents[3] / "data" / "keras2" / "qkeras_quantizer_cases.npz")
SPECS = json.loads(str(CASES["specs"]))
IDS = [f"{s['class_name']}({', '.join(f'{k}={v}' for k, v in s['config'].items())})" for s in SPECS]


@pytest.mark.parametrize("n", range(len(SPECS)), ids=IDS)
def test_weights_equal_qkeras_bit_for_bit(n):
    x, expected = CASES[f"x{n}"], CASES[f"y{n}"]
    y = parse_quantizer(SPECS[n], "test").quantize_weights(x)
    assert y.dtype == np.float32
    differ = np.flatnonzero(y.view(np.uint32) != expected.view(np.uint32))
    assert differ.size == 0, f"{differ.size} differ, first x={x.ravel()[differ[0]]}: {y.ravel()[differ[0]]} != {expected.ravel()[differ[0]]}"


def _is_fixed_point_activation(spec) -> bool:
    cls, config = spec["class_name"], spec["config"]
    if cls in ("quantized_relu", "quantized_tanh", "quantized_sigmoid"):
        return True
    return cls == "quantized_bits" and config.get("alpha") in (None, 1) and \
        config["bits"] - config.get("keep_negative", True) > 0


@pytest.mark.parametrize("n", [n for n, s in enumerate(SPECS) if _is_fixed_point_activation(s)],
                         ids=[i for i, s in zip(IDS, SPECS) if _is_fixed_point_activation(s)])
def test_activation_is_the_fixed_point_quantize_of_its_format(n):
    """The exact quantize op the design uses equals QKeras's float32 result (of x/2 + 1/2
    for the hard sigmoid)."""
    x, expected = CASES[f"x{n}"], CASES[f"y{n}"]
    quantizer = parse_quantizer(SPECS[n], "test")
    act = quantizer.activation_format()
    assert act.rounding is Rounding.RND_CONV
    m, f = exact_mantissas(x, "test")
    if quantizer.sigmoid_offset:
        m, f = m + (1 << f), f + 1
    q = np.array([quantize(int(v), f, act.format, act.rounding, act.overflow) for v in m.ravel()])
    got = np.array([float(v) * 2.0 ** -act.format.f for v in q])
    assert np.array_equal(got, expected.astype(np.float64).ravel())


def qkeras_bits(x, bits, integer, symmetric=0, keep_negative=1):
    """quantized_bits(alpha=None) transcribed: round half to even, clip, in float64."""
    unsigned = bits - keep_negative
    scale = 2.0 ** (unsigned - integer)
    low = -keep_negative * (2.0 ** unsigned - symmetric)
    return np.clip(np.round(x * scale), low, 2.0 ** unsigned - 1) / scale


def qkeras_relu(x, bits, integer):
    scale = 2.0 ** (bits - integer)
    return np.clip(np.round(x * scale), 0, 2.0 ** bits - 1) / scale


TIES = np.array([-1.5, -0.03125, -0.015625, 0.0078125, 0.015625, 0.046875, 0.484375, 0.5,
                 0.9921875, 0.99, 1.0, 1.01, 7.99, -8.5, 100.0, -100.0], dtype=np.float32)


@pytest.mark.parametrize("bits,integer,symmetric,keep_negative", [
    (6, 0, 0, 1), (4, 0, 1, 1), (8, 3, 0, 1), (5, 2, 1, 1), (4, 1, 0, 0), (3, 0, 0, 0)])
def test_quantized_bits_is_its_formula(bits, integer, symmetric, keep_negative):
    q = parse_quantizer({"class_name": "quantized_bits", "config": {
        "bits": bits, "integer": integer, "symmetric": symmetric, "keep_negative": keep_negative}}, "t")
    expected = qkeras_bits(TIES.astype(np.float64), bits, integer, symmetric, keep_negative)
    assert np.array_equal(q.quantize_weights(TIES).astype(np.float64), expected)
    # ties go to the even level: 0.5 LSB -> 0, 1.5 LSB -> 2 LSB
    lsb = 2.0 ** (integer - bits + keep_negative)
    halves = np.array([0.5, 1.5, 2.5], dtype=np.float32) * np.float32(lsb)
    assert list(q.quantize_weights(halves) / lsb) == [0.0, 2.0, 2.0]


@pytest.mark.parametrize("bits,integer", [(6, 0), (3, 1), (2, 0), (8, 4)])
def test_quantized_relu_is_its_formula(bits, integer):
    q = parse_quantizer(f"quantized_relu({bits},{integer})", "t")
    assert np.array_equal(q.quantize_weights(TIES).astype(np.float64),
                          qkeras_relu(TIES.astype(np.float64), bits, integer))


def test_auto_po2_scales_each_output_channel_by_its_own_power_of_two():
    rng = np.random.default_rng(3)
    kernel = (rng.normal(size=(16, 3)) * np.array([0.02, 0.5, 6.0])).astype(np.float32)
    q = parse_quantizer("quantized_bits(4, 0, 1, alpha='auto_po2')", "t")
    y = q.quantize_weights(kernel).astype(np.float64)
    for column in range(3):
        levels = y[:, column][y[:, column] != 0]
        scale = np.min(np.abs(levels))  # the scale times a level of 1 .. 7 over 8
        exponents = np.log2(np.abs(levels))
        assert np.all(np.abs(levels / scale - np.round(levels / scale)) == 0)
        # the channel's values are integers k * 2**e with |k| <= 7 and one e per channel
        e = np.floor(exponents.min())
        assert np.all(np.abs(levels) / 2.0 ** e <= 7 * 2 ** (np.ceil(exponents.max()) - e))
    ratio = np.abs(y).max(axis=0)
    assert ratio[0] < ratio[1] < ratio[2]  # each column keeps its own magnitude


def test_quantized_po2_rounds_the_exponent_and_clips_it():
    q = parse_quantizer("quantized_po2(4, 1)", "t")  # exponents -8 .. 0 (max_value 1)
    x = np.array([0.3, -0.7, 5.0, 1e-9, 0.0, -1e-3, 2 ** -8, 2 ** -12], dtype=np.float32)
    y = q.quantize_weights(x)
    assert list(y) == [0.25, -0.5, 1.0, 2 ** -8, 2 ** -8, -(2 ** -8), 2 ** -8, 2 ** -8]


def test_string_and_dict_forms_agree():
    a = parse_quantizer("quantized_bits(4,0,1,alpha=1)", "t")
    b = parse_quantizer({"class_name": "quantized_bits", "config": {"bits": 4, "integer": 0,
                                                                    "symmetric": 1, "alpha": 1}}, "t")
    assert a == b


@pytest.mark.parametrize("text", ["__import__('os').system('true')", "quantized_bits(bits=len('x'))",
                                  "quantized_bits(4)[0]", "quantized_ulaw(8)", "lambda: 0"])
def test_quantizer_strings_are_parsed_never_evaluated(text):
    with pytest.raises(CompileError):
        parse_quantizer(text, "layer 'q' (QActivation)")


@pytest.mark.parametrize("activation", ["quantized_sigmoid(4)", "quantized_tanh(4)", "quantized_bits(6,2,1)",
                                        "quantized_relu(4,2)"])
def test_activation_in_a_model_is_the_quantizer_of_the_layer_output(tmp_path, activation):
    """A QDense (weights exact in 2**-5) then a QActivation: the design's outputs are the
    QKeras-verified quantizer applied to the exact dense outputs."""
    from fpga_opt.importers.keras2 import import_keras2, predict

    from .test_keras2_errors import write_model

    kernel_q = {"class_name": "quantized_bits", "config": {"bits": 8, "integer": 2, "alpha": 1}}
    dense = {"class_name": "QDense", "config": {"name": "fc", "units": 3, "activation": "linear",
                                                "use_bias": False, "kernel_quantizer": kernel_q}}
    act = {"class_name": "QActivation", "config": {"name": "act", "activation": activation}}
    kernel = np.array([[0.5, -1.25, 2.0], [0.125, 0.75, -0.5], [-1.0, 0.25, 1.5], [0.0625, -0.375, 1.0]],
                      np.float32)
    path = write_model(tmp_path, [dense, act], {"fc": {"kernel": kernel}})
    module = import_keras2(path.read_bytes(), str(path), input_precision="fixed<1,2,8>")
    x = (np.random.default_rng(1).integers(-1024, 1024, (500, 4)) / 256).astype(np.float32)
    (y,) = predict(module, [x])
    expected = parse_quantizer(activation, "t").quantize_weights((x.astype(np.float64) @ kernel).astype(np.float32))
    assert np.array_equal(y, expected.astype(np.float64))
