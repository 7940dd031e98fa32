"""HGQ2 quantizer parameters -> (k, i, f) and the weight quantization done as HGQ2 does it."""

import h5py
import numpy as np
import pytest

from fpga_opt.errors import CompileError
from fpga_opt.importers.keras.quantizer import load_quantizer
from fpga_opt.numerics import Format, Overflow, Rounding


def quantizer_group(arrays):
    f = h5py.File("q.h5", "w", driver="core", backing_store=False)
    group = f.create_group("q")
    for n, a in enumerate(arrays):
        group.create_dataset(f"quantizer/vars/{n}", data=a)
    return group


def config(q_type, round_mode="RND", overflow_mode="SAT_SYM", is_weight=True, trainable=True):
    return {"class_name": "QuantizerConfig", "config": {
        "q_type": q_type, "round_mode": round_mode, "overflow_mode": overflow_mode,
        "is_weight": is_weight, "trainable": trainable, "scaler": None, "bw_mapper": None}}


def kbi_weight(b, i, k, **options):
    """A KBI weight quantizer (SAT_SYM: b and i trainable, saved first, then k)."""
    arrays = [np.float32(b), np.float32(i), np.uint8(k)]
    return load_quantizer(config("kbi", **options), quantizer_group([np.asarray(a) for a in arrays]), "w")


def test_stored_bits_are_rounded_half_to_even():
    # KIF, WRAP: saved as f (trainable), then k, i, i_decay_speed
    arrays = [np.array([[3.5, 2.5, 0.49]], np.float32), np.array([[1, 0, 1]], np.uint8),
              np.array([[1.5, 2.5, -0.5]], np.float32), np.float32(0.01)]
    q = load_quantizer(config("kif", overflow_mode="WRAP", is_weight=False),
                       quantizer_group(arrays), "iq")
    assert list(q.formats((3,))) == [Format(1, 2, 4), Format(0, 2, 2), Format(1, 0, 0)]
    assert (q.rounding, q.overflow, q.round_only) == (Rounding.RND, Overflow.WRAP, False)


def test_kbi_fractional_bits_are_bits_minus_integer_bits_and_saturate_symmetrically():
    q = kbi_weight([3.0, 3.0, 0.0], [1.0, 1.0, 1.0], [1, 0, 0])
    m, f = q.quantize_constant(np.array([-5.0, -5.0, 0.7], np.float32))
    # (k=1, i=1, f=2): symmetric saturation at -(2 - 1/4); (k=0): at 0; b=0, k=0: zero
    assert f == 2 and list(m) == [-7, 0, 0]


def test_rnd_rounds_in_float32_like_hgq2():
    q = kbi_weight([8.0], [0.0], [1])  # f = 8
    tie_minus = np.float32((0.5 - 2.0**-25) * 2.0**-8)  # w * 2^8 + 0.5 rounds up in float32
    m, f = q.quantize_constant(np.array([tie_minus], np.float32))
    assert (f, list(m)) == (8, [1])


def test_trainable_wrap_weight_quantizer_only_rounds():
    # KBI, WRAP, RND, weight: saved as b, then k, i, i_decay_speed
    arrays = [np.array([0.0, 2.0], np.float32), np.array([0, 1], np.uint8),
              np.array([-2.0, 0.0], np.float32), np.float32(np.inf)]
    shortcut = load_quantizer(config("kbi", overflow_mode="WRAP"), quantizer_group(arrays), "bq")
    full = load_quantizer(config("kbi", overflow_mode="WRAP", trainable=False), quantizer_group(arrays), "bq")
    w = np.array([-16.2, 3.3], np.float32)
    # f = b - i = (2, 2): round to quarters; no wrapping and no zeroing of the 0-bit element
    m, f = shortcut.quantize_constant(w)
    assert (f, list(m)) == (2, [-65, 13])
    m, f = full.quantize_constant(w)
    assert (f, list(m)) == (2, [0, -3])  # zero width -> 0; 3.25 wraps in (1, 0, 2) to -0.75


@pytest.mark.parametrize("change, message", [
    (lambda c: c["config"].update(q_type="float"), "quantizer type 'float'"),
    (lambda c: c["config"].update(round_mode="RND_INF"), "rounding mode 'RND_INF'"),
    (lambda c: c["config"].update(overflow_mode="WRAP_SM"), "overflow mode 'WRAP_SM'"),
    (lambda c: c["config"].update(scaler=2.0), "'scaler'"),
])
def test_unsupported_quantizers_are_rejected(change, message):
    c = config("kbi")
    change(c)
    group = quantizer_group([np.float32([3]), np.float32([1]), np.uint8([1])])
    with pytest.raises(CompileError, match=message):
        load_quantizer(c, group, "kq")


def test_missing_or_misordered_variables_are_reported():
    with pytest.raises(CompileError, match="missing weight"):
        load_quantizer(config("kbi"), quantizer_group([np.float32([3]), np.float32([1])]), "kq")
    with pytest.raises(CompileError, match="uint8"):
        load_quantizer(config("kbi"), quantizer_group([np.float32([3]), np.uint8([1]), np.float32([1])]), "kq")
