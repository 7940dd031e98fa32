"""The table softmax (``softmax="table"``) alone: cost and accuracy per table size.

    python bench/softmax.py [--classes 5] [--yosys]

A model that is only a 16-bit quantizer (f = 11) and a Softmax over ``--classes`` values
is compiled at each table size; the accuracy columns compare the design's exact
probabilities (the numpy model of the table arithmetic, which the tests prove equal to
the hardware's bits) with the float64 softmax on the QKeras jet tagger's reference logits
when ``--classes 5`` (random logits otherwise).  Prints a markdown table.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

import numpy as np
from onnx import TensorProto, helper, numpy_helper

import fpga_opt
from fpga_opt.backends.stats import yosys_available, yosys_report
from fpga_opt.importers.onnx.softmax import DEFAULT_SOFTMAX_PRECISION, SoftmaxTables
from fpga_opt.interpreters.rtl import single_module
from fpga_opt.precision_syntax import parse_precision_string
from fpga_opt.testing.softmax import table_softmax_oracle

REFERENCE = Path(__file__).resolve().parents[2] / "shared" / "models" / "qkeras_jettagging_reference.npz"
SIZES = (256, 1024, 4096)


def softmax_model(classes: int) -> bytes:
    """Float input -> Quant (16 bits, scale 2**-11) -> Softmax over the classes."""
    quant = helper.make_node("Quant", ["x", "s", "z", "b"], ["xq"], name="q",
                             domain="qonnx.custom_op.general", signed=1, narrow=0,
                             rounding_mode="ROUND")
    softmax = helper.make_node("Softmax", ["xq"], ["y"], name="softmax", axis=-1)
    inits = [numpy_helper.from_array(np.float32(v), n) for n, v in
             (("s", 2.0 ** -11), ("z", 0.0), ("b", 16.0))]
    graph = helper.make_graph(
        [quant, softmax], "softmax",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, classes])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, classes])], inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13),
                                                    helper.make_opsetid("qonnx.custom_op.general", 1)])
    return model.SerializeToString()


def logits(classes: int) -> np.ndarray:
    if classes == 5 and REFERENCE.exists():
        return np.load(REFERENCE)["logits"].astype(np.float64)
    rng = np.random.default_rng(0)
    return np.round(rng.normal(0, 3, (1000, classes)) * 2048) / 2048


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--classes", type=int, default=5)
    parser.add_argument("--yosys", action="store_true", help="also synthesize with Yosys")
    args = parser.parse_args()
    x = logits(args.classes)
    e = np.exp(x - x.max(axis=1, keepdims=True))
    exact = e / e.sum(axis=1, keepdims=True)
    yosys = args.yosys and yosys_available()
    print(f"| table size | adders | compares | ROMs | LUT estimate |{' Yosys LUT+INV |' if yosys else ''}"
          " adder levels | max error | mean error | bound |")
    print(f"|---|---|---|---|---|{'---|' if yosys else ''}---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "softmax.onnx")
        Path(path).write_bytes(softmax_model(args.classes))
        for size in SIZES:
            design = fpga_opt.compile(path, softmax="table", softmax_table_size=size)
            s = design.stats
            tables = SoftmaxTables.design(args.classes, size.bit_length() - 1,
                                          parse_precision_string(DEFAULT_SOFTMAX_PRECISION))
            error = np.abs(table_softmax_oracle(x, tables) - exact)
            synthesized = ""
            if yosys:
                report = yosys_report(single_module(design.hardware))
                synthesized = f" {report['luts'] + report['inv']} |"
            print(f"| {size} | {s['adders']} | {s['comparators']} | {s['roms']} | {s['luts']} |"
                  f"{synthesized} {s['deepest_stage']['adder_levels']} | {error.max():.5f} | "
                  f"{error.mean():.6f} | {tables.error_bound(args.classes):.4f} |")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
