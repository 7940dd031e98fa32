"""Write ``<name>_reference.npz`` (x0, y0) for the QKeras models here, computed by QKeras.

Not run in CI: it needs TensorFlow and QKeras, in an environment of their own::

    python3 -m venv /work/tfenv
    /work/tfenv/bin/pip install tensorflow-cpu==2.15.1 qkeras==0.9.0 pyparsing
    /work/tfenv/bin/python tests/data/keras2/make_references.py [name ...]

Each model is built by Keras 2.15 from its JSON config with QKeras's objects as
custom_objects (``Sequential.from_config``: tensorflow-model-optimization registers tf_keras
classes that ``model_from_json`` would pick up; a functional chain is rebuilt as the same
Sequential model), its weights loaded, and run with ``model.predict``.  ``y0`` is the output of the layer before the final
softmax: the logits, which a design compiled with ``softmax="argmax"`` (the default) outputs;
``y_softmax`` is the model's own output.  Inputs lie on the 2**-8 grid of the input
precision (``INPUTS``), so a compiled design sees them exactly; they include ties and values
beyond the quantizers' ranges.

``qkeras-v3_3layer.keras`` is a Keras 3 file, which Keras 2.15 cannot load: its config is
checked to be ``qkeras_3layer``'s (same layers, quantizers and shapes) and that Keras 2 model
is run with the Keras 3 file's weights.
"""

import json
import pathlib
import sys
import zipfile

import h5py
import numpy as np
import tensorflow as tf
from qkeras.utils import _add_supported_quantized_objects

HERE = pathlib.Path(__file__).parent
N = 512
# name: (per-sample input shape, low, high) of inputs on the 2**-8 grid
INPUTS = {
    "qkeras_3layer": ((16,), -4.0, 4.0),
    "qkeras_mnist_dense": ((784,), -0.5, 1.5),
    "qkeras-v3_3layer": ((16,), -4.0, 4.0),
    "qkeras_mnist_cnn": ((28, 28, 1), 0.0, 1.0),
}


def custom_objects() -> dict:
    objects = {}
    _add_supported_quantized_objects(objects)
    return objects


def as_sequential(config: dict) -> dict:
    """A functional model that is a chain of layers as the same Sequential model (Keras
    2.15's ``Model.from_config`` never returns on qkeras_mnist_dense's Keras 2.4 nodes)."""
    if config["class_name"] == "Sequential":
        return config
    layers = config["config"]["layers"]
    for previous, layer in zip(layers, layers[1:]):
        (node,) = layer["inbound_nodes"]
        assert [ref[0] for ref in node] == [previous["name"]], "not a chain of layers"
    entries = [{"class_name": layer["class_name"], "config": layer["config"]} for layer in layers]
    return {"class_name": "Sequential", "config": {"name": config["config"]["name"], "layers": entries}}


def from_config(config: dict) -> tf.keras.Model:
    config = as_sequential(config)
    return tf.keras.Sequential.from_config(config["config"], custom_objects=custom_objects())


def inputs(name: str) -> np.ndarray:
    shape, low, high = INPUTS[name]
    rng = np.random.default_rng(sum(map(ord, name)))
    grid = rng.integers(int(low * 256), int(high * 256), size=(N,) + shape)
    return (grid / 256.0).astype(np.float32)


def logits_model(model: tf.keras.Model) -> tf.keras.Model:
    last = model.layers[-1]
    if last.__class__.__name__ == "Activation" and last.get_config()["activation"] == "softmax":
        return tf.keras.Model(model.inputs, model.layers[-2].output)
    return model


def keras2_model(name: str) -> tf.keras.Model:
    model = from_config(json.loads((HERE / f"{name}.json").read_text()))
    model.load_weights(HERE / f"{name}_weights.h5")
    return model


def _comparable(value):
    """A serialized quantizer without Keras 3's bookkeeping keys."""
    if isinstance(value, dict):
        return {k: _comparable(v) for k, v in value.items()
                if k not in ("module", "registered_name", "shared_object_id", "post_training_scale",
                             "__passive_serialization__")}
    return value


def keras3_qkeras_3layer() -> tf.keras.Model:
    keras2 = json.loads((HERE / "qkeras_3layer.json").read_text())
    with zipfile.ZipFile(HERE / "qkeras-v3_3layer.keras") as archive:
        config = json.loads(archive.read("config.json"))
        weights = h5py.File(archive.open("model.weights.h5"), "r")
        for ours, theirs in zip(keras2["config"]["layers"], config["config"]["layers"]):
            assert (ours["class_name"], ours["config"]["name"]) == (theirs["class_name"], theirs["config"]["name"])
            for key in ("units", "activation", "kernel_quantizer", "bias_quantizer", "use_bias"):
                assert _comparable(ours["config"].get(key)) == _comparable(theirs["config"].get(key)), \
                    (ours["config"]["name"], key)
        model = from_config(keras2)
        groups = {g["vars"].attrs["name"]: g for g in weights["layers"].values()}
        for layer in model.layers:
            variables = groups[layer.name]["vars"]
            layer.set_weights([variables[str(n)][()] for n in range(len(variables))])
    return model


# QKeras quantizers on edge cases (ties, saturation, per-channel auto scales), for
# tests/unit/importers/keras2/test_qkeras_quantizers.py: (class, config, input kind)
QUANTIZER_CASES = [
    ("quantized_bits", {"bits": 6, "integer": 0, "symmetric": 0, "alpha": 1}, "edges"),
    ("quantized_bits", {"bits": 4, "integer": 0, "symmetric": 1, "alpha": None}, "edges"),
    ("quantized_bits", {"bits": 8, "integer": 3, "symmetric": 1}, "edges"),
    ("quantized_bits", {"bits": 4, "integer": 2, "keep_negative": False}, "edges"),
    ("quantized_bits", {"bits": 1, "integer": 0}, "edges"),
    ("quantized_bits", {"bits": 2, "integer": 0, "symmetric": 1, "alpha": 1}, "edges"),
    ("quantized_bits", {"bits": 4, "integer": 0, "symmetric": 1, "alpha": "auto_po2"}, "kernel"),
    ("quantized_bits", {"bits": 6, "integer": 1, "symmetric": 1, "alpha": "auto_po2"}, "kernel"),
    ("quantized_bits", {"bits": 4, "integer": 0, "alpha": "auto"}, "kernel"),
    ("quantized_bits", {"bits": 4, "integer": 0, "symmetric": 1, "alpha": "auto_po2"}, "edges"),
    ("quantized_relu", {"bits": 3, "integer": 1}, "edges"),
    ("quantized_relu", {"bits": 6, "integer": 0}, "edges"),
    ("quantized_relu", {"bits": 2, "integer": 0}, "edges"),
    ("quantized_po2", {"bits": 4, "max_value": 1}, "edges"),
    ("quantized_po2", {"bits": 5}, "edges"),
    ("binary", {}, "edges"),
    ("binary", {"alpha": 1}, "edges"),
    ("binary", {"alpha": "auto_po2"}, "kernel"),
    ("ternary", {}, "edges"),
    ("ternary", {"alpha": 1.0, "threshold": 0.5}, "edges"),
    ("quantized_tanh", {"bits": 4}, "edges"),
    ("quantized_tanh", {"bits": 6, "symmetric": True}, "edges"),
    ("quantized_sigmoid", {"bits": 4}, "edges"),
    ("quantized_sigmoid", {"bits": 7}, "edges"),
]


def quantizer_inputs(kind: str) -> np.ndarray:
    if kind == "kernel":  # 8 x 4, the output channels of very different sizes
        rng = np.random.default_rng(7)
        return (rng.normal(size=(8, 4)) * np.array([0.01, 0.3, 1.0, 7.0])).astype(np.float32)
    ticks = np.arange(-40 * 64, 40 * 64 + 1) / 512.0  # -5 .. 5, every tie of 2**-8 and coarser
    extra = [0.0, -0.0, 1e-8, -1e-8, 0.33, -0.33, 0.3299, 0.5 + 2**-20, 1e3, -1e3, 3e5, -3e5]
    return np.concatenate([ticks, extra]).astype(np.float32)


def write_quantizer_cases() -> None:
    from qkeras import quantizers

    arrays, specs = {}, []
    for n, (cls, config, kind) in enumerate(QUANTIZER_CASES):
        x = quantizer_inputs(kind)
        y = getattr(quantizers, cls)(**config)(tf.constant(x)).numpy()
        arrays[f"x{n}"], arrays[f"y{n}"] = x, y.astype(np.float32)
        specs.append({"class_name": cls, "config": config})
    arrays["specs"] = np.array(json.dumps(specs))
    np.savez_compressed(HERE / "qkeras_quantizer_cases.npz", **arrays)
    print(f"{len(specs)} quantizer cases")


def main(names: list[str]) -> None:
    if not names or "quantizers" in names:
        write_quantizer_cases()
    for name in names or INPUTS:
        if name == "quantizers":
            continue
        model = keras3_qkeras_3layer() if name == "qkeras-v3_3layer" else keras2_model(name)
        x = inputs(name)
        y = logits_model(model).predict(x, verbose=0)
        y_softmax = model.predict(x, verbose=0)
        np.savez_compressed(HERE / f"{name}_reference.npz", x0=x, y0=y, y_softmax=y_softmax)
        print(f"{name}: x0 {x.shape}, y0 {y.shape}")


if __name__ == "__main__":
    main(sys.argv[1:])  # names of INPUTS and/or "quantizers"; none: everything
