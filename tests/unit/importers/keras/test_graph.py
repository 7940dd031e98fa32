"""Model configs written by hand: the graph reader's located errors and a sequential model
without an InputLayer entry."""

import numpy as np
import pytest

from fpga_opt.errors import CompileError
from fpga_opt.importers.keras import import_keras, predict

from .archives import make_archive


def kif(k, i, f, round_mode="RND", overflow_mode="WRAP"):
    """An HGQ2 KIF datalane QuantizerConfig and the variables HGQ2 saves for it."""
    config = {"module": "hgq.quantizer.config", "class_name": "QuantizerConfig",
              "config": {"q_type": "kif", "place": "datalane", "round_mode": round_mode,
                         "overflow_mode": overflow_mode, "scaler": None, "bw_mapper": None,
                         "trainable": True, "is_weight": False}}
    k, i, f = (np.asarray(v, dtype=np.float32) for v in (k, i, f))
    if overflow_mode == "WRAP":  # trainable f; then k, i, i_decay_speed
        return config, [f, k.astype(np.uint8), i, np.float32(0.01)]
    return config, [i, f, k.astype(np.uint8)]


def layer(class_name, name, inputs=None, **config):
    entry = {"class_name": class_name, "name": name, "config": {"name": name, **config}}
    if inputs is not None:
        entry["inbound_nodes"] = [{"args": [{"class_name": "__keras_tensor__", "config": {
            "keras_history": [source, 0, 0]}} for source in inputs], "kwargs": {}}]
    return entry


def sequential_quantizer_model(tmp_path, with_input_layer: bool) -> bytes:
    """x -> Quantizer(fixed<1,2,3>, RND, SAT) -> ReLU, as a Sequential model."""
    conf, variables = kif([[1, 1, 1]], [[2, 2, 2]], [[3, 3, 3]], overflow_mode="SAT")
    layers = [layer("Quantizer", "q", config=conf), layer("ReLU", "relu")]
    if with_input_layer:
        layers.insert(0, layer("InputLayer", "in", batch_shape=[None, 3]))
        model = {"class_name": "Sequential", "config": {"layers": layers}}
    else:
        model = {"class_name": "Sequential", "config": {"layers": layers},
                 "build_config": {"input_shape": [None, 3]}}
    return make_archive(model, tmp_path, {"layers/quantizer": [], "layers/quantizer/quantizer": variables},
                        {"layers/quantizer": "q"})


@pytest.mark.parametrize("with_input_layer", [True, False])
def test_sequential_model_quantizes_and_rectifies(tmp_path, with_input_layer):
    module = import_keras(sequential_quantizer_model(tmp_path, with_input_layer), "seq.keras")
    x = np.array([[0.06, -1.3, 9.0], [-0.0625, 0.1875, -9.0]], dtype=np.float32)
    # fixed<1,2,3>: steps of 1/8, saturating at [-4, 3.875]; RND rounds ties up
    expected = np.array([[0.0, 0.0, 3.875], [0.0, 0.25, 0.0]])
    (y,) = predict(module, [x])
    assert np.array_equal(y, expected)


def test_plain_keras_model_is_rejected_at_its_first_layer(tmp_path):
    model = {"class_name": "Functional", "config": {
        "layers": [layer("InputLayer", "x", [], batch_shape=[None, 4]),
                   layer("Dense", "dense", ["x"], units=2)],
        "input_layers": [["x", 0, 0]], "output_layers": [["dense", 0, 0]]}}
    data = make_archive(model, tmp_path, {"layers/dense": [np.zeros((4, 2), np.float32)]},
                        {"layers/dense": "dense"})
    with pytest.raises(CompileError, match=r"plain\.keras: layer 'dense' \(Dense\): this layer class is not supported"):
        import_keras(data, "plain.keras")


@pytest.mark.parametrize("edit, message", [
    (lambda m: m["config"]["layers"][1]["inbound_nodes"].append(
        m["config"]["layers"][1]["inbound_nodes"][0]), "applied more than once"),
    (lambda m: m["config"]["layers"][1]["inbound_nodes"][0]["args"][0]["config"].update(
        keras_history=["nowhere", 0, 0]), "unknown layer 'nowhere'"),
    (lambda m: m["config"].update(output_layers=[["ghost", 0, 0]]), "unknown layer 'ghost'"),
    (lambda m: m.update(class_name="MyModel"), "unsupported model class 'MyModel'"),
])
def test_graph_errors_are_located(tmp_path, edit, message):
    conf, variables = kif([[1, 1]], [[2, 2]], [[3, 3]])
    model = {"class_name": "Functional", "config": {
        "layers": [layer("InputLayer", "x", [], batch_shape=[None, 2]),
                   layer("Quantizer", "q", ["x"], config=conf)],
        "input_layers": [["x", 0, 0]], "output_layers": [["q", 0, 0]]}}
    edit(model)
    data = make_archive(model, tmp_path, {"layers/quantizer": [], "layers/quantizer/quantizer": variables},
                        {"layers/quantizer": "q"})
    with pytest.raises(CompileError, match=message):
        import_keras(data, "graph.keras")
