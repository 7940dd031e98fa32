"""Compile example-models' Keras 2 / QKeras files and print the docs/keras2-models.md table.

    python bench/keras2_models.py <example-models>/keras [--only NAME ...]

Each model is compiled combinationally (``fpga_opt.compile``) with the options below; where
tests/data/keras2 holds a reference the design's ``predict`` is compared with it (QKeras:
mismatching outputs; float: decisions that agree with TensorFlow's).
"""

import argparse
import time
from pathlib import Path

import numpy as np

import fpga_opt

DATA = Path(__file__).parents[1] / "tests" / "data" / "keras2"
FLOAT = {"input_precision": "fixed<1,2,8>", "default_precision": "fixed<16,6>"}
QKERAS = {"input_precision": "fixed<1,2,8>"}
MODELS = {
    # name: (file, options)
    "KERAS_1layer": ("KERAS_1layer.json", FLOAT),
    "KERAS_3layer": ("KERAS_3layer.json", {**FLOAT, "softmax": "table"}),
    "KERAS_3layer_batch_norm": ("KERAS_3layer_batch_norm.json", FLOAT),
    "KERAS_conv1d_small": ("KERAS_conv1d_small.json", {**FLOAT, "softmax": "table"}),
    "KERAS_conv2d_model": ("KERAS_conv2d_model.json", FLOAT),
    "jetTagger_Conv2D_Small_NoBatchNorm": ("jetTagger_Conv2D_Small_NoBatchNorm.json", FLOAT),
    "jetTagger_Conv2D_Small": ("jetTagger_Conv2D_Small.json", FLOAT),
    "KERAS_dense_16x100x100x100x100x100x5": ("KERAS_dense_16x100x100x100x100x100x5.json", FLOAT),
    "qkeras_3layer": ("qkeras_3layer.json", QKERAS),
    "qkeras-v3_3layer": ("qkeras-v3_3layer.keras", QKERAS),
    "qkeras_mnist_dense": ("qkeras_mnist_dense.json", {}),
    "qkeras_mnist_cnn": ("qkeras_mnist_cnn.json", {"input_precision": "fixed<0,1,8>"}),
}


def result(name: str, design) -> str:
    path = DATA / f"{name}_reference.npz"
    if not path.exists():
        return "compiles (no reference)"
    ref = np.load(path)
    y = design.predict(ref["x0"])
    expected = ref["y0"].astype(np.float64)
    if name.startswith("qkeras"):
        return f"{int(np.count_nonzero(y != expected))} mismatches / {y.size} (QKeras 0.9)"
    agree = np.mean(np.argmax(y, -1) == np.argmax(expected, -1))
    return f"max prob. error {np.abs(y - expected).max():.3f}, argmax agrees {agree:.1%} (TF 2.15)"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("folder", type=Path)
    parser.add_argument("--only", nargs="*")
    args = parser.parse_args()
    print("| model | options | adders | LUT estimate | compile s | result |")
    print("|---|---|---|---|---|---|")
    for name, (file, options) in MODELS.items():
        if args.only and name not in args.only:
            continue
        path = DATA / file if (DATA / file).exists() else args.folder / file
        start = time.perf_counter()
        design = fpga_opt.compile(path, **options)
        seconds = time.perf_counter() - start
        shown = ", ".join(f"{k}={v}" for k, v in options.items()) or "-"
        print(f"| {name} | {shown} | {design.stats['adders']} | {design.stats['luts']} | "
              f"{seconds:.1f} | {result(name, design)} |", flush=True)


if __name__ == "__main__":
    main()
