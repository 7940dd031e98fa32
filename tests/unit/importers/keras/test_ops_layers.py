"""HGQ2's QSum / QMeanPow2, Keras GetItem and broadcasting merges, on hand-built archives,
checked against a numpy model of HGQ2's formulas (``hgq.layers.ops.accum``, Keras ``ops``
indexing, Keras merge broadcasting)."""

import numpy as np
import pytest
from xdsl.context import Context

import fpga_opt

from fpga_opt.dialects.fixedpoint.ops import DenseOp
from fpga_opt.errors import CompileError
from fpga_opt.importers.keras import import_keras, predict
from fpga_opt.interpreters.fixedpoint import find_function
from fpga_opt.lowering.fixedpoint_to_cmvm import FixedPointToCmvm

from .archives import make_archive
from .test_graph import kif, layer


def hgq_round(x, f):
    """An HGQ2 KIF WRAP quantizer with RND rounding on values inside its range."""
    return np.floor(x * 2.0 ** f + 0.5) / 2.0 ** f


def tensor(source):
    return {"class_name": "__keras_tensor__", "config": {"keras_history": [source, 0, 0]}}


def slice_item(start=None, stop=None, step=None):
    return {"class_name": "__slice__", "config": {"start": start, "stop": stop, "step": step}}


def functional(layers, inputs, output):
    return {"class_name": "Functional", "config": {
        "layers": layers, "input_layers": [[n, 0, 0] for n in inputs], "output_layers": [[output, 0, 0]]}}


def sum_model(tmp_path, shape, f, class_name="QSum", **config):
    """x (shape) -> QSum / QMeanPow2 with an input quantizer of per-element f (k=1, i=4)."""
    f = np.broadcast_to(np.asarray(f, dtype=np.float32), (1, *shape))
    conf, variables = kif(np.ones_like(f), np.full_like(f, 4), f)
    model = functional([layer("InputLayer", "x", [], batch_shape=[None, *shape]),
                        layer(class_name, "s", ["x"], iq_conf=conf, enable_iq=True, **config)], ["x"], "s")
    group = "layers/q_sum" if class_name == "QSum" else "layers/q_mean_pow2"
    return make_archive(model, tmp_path, {group: [], f"{group}/iq/quantizer": variables}, {group: "s"})


@pytest.mark.parametrize("axes, scale, keepdims", [
    ([1], 0.03125, True), ([1], 0.0625, False), ([-1], 1.0, False), ([1, 2], 4.0, True), ([2, 1], 0.5, False)])
def test_qsum_is_the_scaled_sum_of_the_quantized_input(tmp_path, axes, scale, keepdims):
    rng = np.random.default_rng(1)
    f = rng.integers(0, 4, size=(5, 3))
    data = sum_model(tmp_path, (5, 3), f, axes=axes, scale=scale, keepdims=keepdims)
    x = rng.uniform(-8, 8, size=(40, 5, 3)).astype(np.float32)
    (y,) = predict(import_keras(data, "sum.keras"), [x])
    expected = hgq_round(x.astype(np.float64), f[None]).sum(axis=tuple(axes), keepdims=keepdims) * scale
    assert y.shape == expected.shape and np.array_equal(y, expected)


def test_qsum_is_one_shared_adder_tree_per_kept_position(tmp_path):
    data = sum_model(tmp_path, (8, 3), 2, axes=[1], scale=0.125, keepdims=True)
    module = import_keras(data, "sum.keras")
    dense = [op for op in find_function(module).walk() if isinstance(op, DenseOp)]
    assert [op.weight.type.shape for op in dense] == [(8, 1)]
    FixedPointToCmvm().apply(Context(), module)
    assert len([op for op in module.walk() if op.name == "func.call"]) == 3  # one call per feature


def test_qmeanpow2_scales_by_the_nearest_power_of_two_of_the_count(tmp_path):
    data = sum_model(tmp_path, (3, 2), 3, class_name="QMeanPow2", axes=[1, 2], keepdims=False)
    x = np.random.default_rng(2).uniform(-8, 8, size=(30, 3, 2)).astype(np.float32)
    (y,) = predict(import_keras(data, "mean.keras"), [x])
    # 6 elements: 2**round(log2(1/6)) = 2**-3
    assert np.array_equal(y, hgq_round(x.astype(np.float64), 3).sum(axis=(1, 2)) / 8)


@pytest.mark.parametrize("axes, scale, message", [
    ([0], 1.0, "the batch axis cannot be summed"), ([3], 1.0, "out of range"),
    ([1], 0.3, "not a power of two"), ("x", 1.0, "not a list of integers")])
def test_qsum_bad_configurations_are_located(tmp_path, axes, scale, message):
    data = sum_model(tmp_path, (4, 2), 2, axes=axes, scale=scale)
    with pytest.raises(CompileError, match=rf"layer 's' \(QSum\).*{message}"):
        import_keras(data, "sum.keras")


def get_item_model(tmp_path, shape, key):
    """x (shape) -> Quantizer (fixed<1,4,2>) -> x[key]."""
    conf, variables = kif(np.ones((1, *shape)), np.full((1, *shape), 4), np.full((1, *shape), 2))
    get_item = {"class_name": "GetItem", "name": "g", "config": {"name": "g"},
                "inbound_nodes": [{"args": [tensor("q"), key], "kwargs": {}}]}
    model = functional([layer("InputLayer", "x", [], batch_shape=[None, *shape]),
                        layer("Quantizer", "q", ["x"], config=conf), get_item], ["x"], "g")
    return make_archive(model, tmp_path, {"layers/quantizer": [], "layers/quantizer/quantizer": variables},
                        {"layers/quantizer": "q"})


@pytest.mark.parametrize("key, index", [
    ([slice_item(), slice_item(None, 50)], np.s_[:, :50]),
    ([slice_item(), slice_item(50)], np.s_[:, 50:]),
    ([slice_item(), slice_item(-7, None, 3)], np.s_[:, -7::3]),
    ([slice_item(), 3], None),  # a scalar per sample: refused
])
def test_get_item_selects_as_numpy_indexing_does(tmp_path, key, index):
    data = get_item_model(tmp_path, (100,), key)
    if index is None:
        with pytest.raises(CompileError, match=r"layer 'g' \(GetItem\): selecting a single element"):
            import_keras(data, "slice.keras")
        return
    x = np.random.default_rng(3).uniform(-15, 15, size=(20, 100)).astype(np.float32)
    (y,) = predict(import_keras(data, "slice.keras"), [x])
    assert np.array_equal(y, hgq_round(x.astype(np.float64), 2)[index])


@pytest.mark.parametrize("key, index", [
    ([slice_item(), slice_item(1, None, 2), 2], np.s_[:, 1::2, 2]),
    ([{"class_name": "__ellipsis__", "config": {}}, slice_item(None, 2)], np.s_[..., :2]),
    ([slice_item(), -1], np.s_[:, -1]),
])
def test_get_item_on_two_axes(tmp_path, key, index):
    data = get_item_model(tmp_path, (6, 4), key)
    x = np.random.default_rng(4).uniform(-15, 15, size=(20, 6, 4)).astype(np.float32)
    (y,) = predict(import_keras(data, "slice.keras"), [x])
    assert np.array_equal(y, hgq_round(x.astype(np.float64), 2)[index])


@pytest.mark.parametrize("key, message", [
    ([slice_item(None, 1), slice_item()], "keep the batch axis whole"),
    ([0, slice_item()], "keep the batch axis whole"),
    ([slice_item(), None], "is not supported"),
    ([slice_item(), slice_item(), slice_item(), slice_item()], "does not fit"),
    ([slice_item(), slice_item(None, None, 0)], "is not supported"),
])
def test_get_item_bad_keys_are_located(tmp_path, key, message):
    with pytest.raises(CompileError, match=rf"layer 'g' \(GetItem\).*{message}"):
        import_keras(get_item_model(tmp_path, (6, 4), key), "slice.keras")


def add_model(tmp_path, shape_a, shape_b, f_a, f_b):
    """Two inputs, each through its own QAdd input quantizer (k=1, i=4), added."""
    conf_a, vars_a = kif(np.ones((1, *shape_a)), np.full((1, *shape_a), 4), np.full((1, *shape_a), f_a))
    conf_b, vars_b = kif(np.ones((1, *shape_b)), np.full((1, *shape_b), 4), np.full((1, *shape_b), f_b))
    model = functional([layer("InputLayer", "a", [], batch_shape=[None, *shape_a]),
                        layer("InputLayer", "b", [], batch_shape=[None, *shape_b]),
                        layer("QAdd", "add", ["a", "b"], iq_confs=[conf_a, conf_b], enable_iq=True)],
                       ["a", "b"], "add")
    return make_archive(model, tmp_path, {"layers/q_add": [], "layers/q_add/iq/quantizers/quantizer/quantizer": vars_a,
                                          "layers/q_add/iq/quantizers/quantizer_1/quantizer": vars_b},
                        {"layers/q_add": "add"})


@pytest.mark.parametrize("shape_a, shape_b, shape_b_expanded", [
    ((4, 3), (1, 3), (1, 3)), ((4, 3), (4, 1), (4, 1)), ((4, 3), (3,), (1, 3)), ((4, 3), (4, 3), (4, 3))])
def test_qadd_broadcasts_its_quantized_inputs(tmp_path, shape_a, shape_b, shape_b_expanded):
    data = add_model(tmp_path, shape_a, shape_b, 2, 3)
    rng = np.random.default_rng(5)
    a = rng.uniform(-8, 8, size=(25, *shape_a)).astype(np.float32)
    b = rng.uniform(-8, 8, size=(25, *shape_b)).astype(np.float32)
    (y,) = predict(import_keras(data, "add.keras"), [a, b])
    expected = hgq_round(a.astype(np.float64), 2) + hgq_round(b.astype(np.float64), 3).reshape(25, *shape_b_expanded)
    assert np.array_equal(y, expected)


def test_qadd_shapes_that_do_not_broadcast_are_located(tmp_path):
    with pytest.raises(CompileError, match=r"layer 'add' \(QAdd\): inputs of shapes \[\[4, 3\], \[2, 3\]\] do not broadcast"):
        import_keras(add_model(tmp_path, (4, 3), (2, 3), 2, 2), "add.keras")


def test_get_item_is_wiring_in_hardware(tmp_path):
    path = tmp_path / "slice.keras"
    path.write_bytes(get_item_model(tmp_path, (6, 4), [slice_item(), slice_item(1, None, 2)]))
    design = fpga_opt.compile(path)
    assert design.stats["adders"] == 0 and design.stats["outputs"] == 12
    x = np.random.default_rng(6).uniform(-15, 15, size=(20, 6, 4)).astype(np.float32)
    assert np.array_equal(design.predict(x), hgq_round(x.astype(np.float64), 2)[:, 1::2])
