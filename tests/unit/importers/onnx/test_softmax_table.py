"""``softmax="table"``: the probabilities computed in hardware by exp and log tables.

Every case compares the design's bits with the independent numpy model of the documented
arithmetic (testing/softmax.py) and the values with the real softmax of the quantized
logits, within SoftmaxTables.error_bound."""

import subprocess
import sys
from pathlib import Path

import numpy as np
import onnx
import pytest
from onnx import helper

from fpga_opt.errors import CompileError
from fpga_opt.importers.onnx import import_onnx, predict
from fpga_opt.importers.onnx.softmax import DEFAULT_SOFTMAX_PRECISION, SoftmaxTables
from fpga_opt.precision_syntax import parse_precision_string
from fpga_opt.testing.models import require_model
from fpga_opt.testing.softmax import table_softmax_oracle

from .onnx_builders import model, quant
from .onnx_oracle import run_oracle
from .test_float_models import FixedEmulation, model_inputs

RNG = np.random.default_rng(5)
FPGA_OPT = Path(sys.executable).parent / "fpga-opt"


def softmax_model(shape, opset, **attrs):
    q0, inits = quant("q0", "x", "xq", 2.0**-3, 0, 8)
    node = helper.make_node("Softmax", ["xq"], ["y"], name="softmax", **attrs)
    return model([q0, node], [("x", [1, *shape])], [("y", [1, *shape])], inits, opset=opset)


def real_softmax(x):
    e = np.exp(x - x.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def as_rows(x, axis, opset):
    """x (batch first) with the softmax axes last and flattened, and the way back."""
    if opset >= 13:
        moved = np.moveaxis(x, axis, -1)
        return moved, lambda y: np.moveaxis(y, -1, axis)
    rows = x.reshape(x.shape[:axis] + (-1,))
    return rows, lambda y: y.reshape(x.shape)


@pytest.mark.parametrize("shape,opset,axis,size,precision", [
    ((5,), 13, -1, 1024, None),
    ((5,), 11, 1, 256, "ufixed<8,1,RND,SAT>"),
    ((2, 4), 13, -1, 1024, None),
    ((2, 4), 13, 1, 512, "fixed<16,6>"),  # over the first feature axis: a transpose
    ((2, 4), 11, 1, 1024, None),  # before opset 13: the 8 values flattened from axis 1
    ((3, 2, 3), 11, 2, 4096, "ufixed<14,1,RND_CONV,SAT>"),
    ((1,), 13, -1, 64, None),  # one value: probability 1
])
def test_table_softmax_bits_and_error(shape, opset, axis, size, precision):
    onnx_model = softmax_model(shape, opset, axis=axis)
    options = {"softmax": "table", "softmax_table_size": size}
    if precision:
        options["softmax_precision"] = precision
    module = import_onnx(onnx_model.SerializeToString(), "m.onnx", **options)
    module.verify()
    x = (RNG.normal(0, 6, (400,) + shape)).astype(np.float32)
    (y,) = predict(module, [x])
    (logits,) = run_oracle(onnx_model, x, ["xq"])
    rows, back = as_rows(logits.astype(np.float64), axis if axis >= 0 else len(shape), opset)
    tables = SoftmaxTables.design(rows.shape[-1], size.bit_length() - 1,
                                  parse_precision_string(precision or DEFAULT_SOFTMAX_PRECISION))
    assert np.array_equal(y, back(table_softmax_oracle(rows, tables)))
    error = np.abs(y - back(real_softmax(rows))).max()
    assert error <= tables.error_bound(rows.shape[-1])


def test_a_larger_table_is_more_accurate():
    onnx_model = softmax_model((6,), 13, axis=-1)
    x = (RNG.normal(0, 4, (400, 6))).astype(np.float32)
    (logits,) = run_oracle(onnx_model, x, ["xq"])
    errors = []
    for size in (256, 4096):
        module = import_onnx(onnx_model.SerializeToString(), "m.onnx", softmax="table",
                             softmax_table_size=size, softmax_precision="ufixed<16,1,RND,SAT>")
        (y,) = predict(module, [x])
        errors.append(np.abs(y - real_softmax(logits.astype(np.float64))).max())
    assert errors[1] < errors[0] / 8


def test_a_table_softmax_can_feed_other_ops():
    q0, inits = quant("q0", "x", "xq", 2.0**-2, 0, 6)
    nodes = [q0, helper.make_node("Softmax", ["xq"], ["s"], name="softmax", axis=1),
             helper.make_node("Relu", ["s"], ["y"], name="after")]
    onnx_model = model(nodes, [("x", [1, 5])], [("y", [1, 5])], inits)
    module = import_onnx(onnx_model.SerializeToString(), "m.onnx", softmax="table")
    x = (RNG.normal(0, 4, (50, 5))).astype(np.float32)
    (y,) = predict(module, [x])
    assert np.allclose(y.sum(axis=1), 1, atol=0.05) and (y >= 0).all()


@pytest.mark.parametrize("options,message", [
    ({"softmax": "exact"}, "unknown softmax='exact'"),
    ({"softmax": "table", "softmax_table_size": 1000}, "power of two"),
    ({"softmax": "table", "softmax_precision": "ufixed<8,0>"}, "cannot hold a probability of 1"),
    ({"softmax": "table", "softmax_precision": "fixed<8"}, "softmax_precision"),
])
def test_bad_softmax_options_name_the_node(options, message):
    onnx_model = softmax_model((5,), 13, axis=-1)
    with pytest.raises(CompileError, match=message) as error:
        import_onnx(onnx_model.SerializeToString(), "m.onnx", **options)
    assert "softmax" in str(error.value)


def test_the_driver_builds_a_table_softmax(tmp_path):
    (tmp_path / "m.onnx").write_bytes(softmax_model((4,), 13, axis=-1).SerializeToString())
    run = lambda *args: subprocess.run([str(FPGA_OPT), "m.onnx", "--softmax", "table", *args],  # noqa: E731
                                       cwd=tmp_path, capture_output=True, text=True, timeout=300)
    built = run("--softmax-table-size", "256", "-t", "verilog", "-o", "m.v")
    assert built.returncode == 0, built.stderr
    assert "rom" in (tmp_path / "m.v").read_text().lower()
    failed = run("--softmax-table-size", "1000", "-t", "verilog", "-o", "bad.v")
    assert failed.returncode == 1 and "Traceback" not in failed.stderr
    assert "node 'softmax' (Softmax): softmax_table_size must be a power of two" in failed.stderr
    assert not (tmp_path / "bad.v").exists()


@pytest.mark.parametrize("name", ["three_layer_keras", "conv1d_small_keras"])
def test_float_model_softmax_at_the_default_precision(name):
    """hls4ml-style float model: the probabilities are rounded to default_precision
    (fixed<16,6>, TRN + WRAP), computed from the bit-exact hls4ml logits."""
    onnx_model = onnx.load(require_model(f"{name}.onnx"))
    x = model_inputs(name)
    module = import_onnx(onnx_model.SerializeToString(), "m.onnx", softmax="table",
                         default_precision="fixed<16,6>")
    (y,) = predict(module, [x])
    logits = FixedEmulation(onnx_model).run(x).reshape(len(x), -1)
    tables = SoftmaxTables.design(logits.shape[-1], 10, parse_precision_string("fixed<16,6>"))
    assert np.array_equal(y.reshape(len(x), -1), table_softmax_oracle(logits, tables))
