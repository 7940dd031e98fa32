"""The two HGQ2 jet taggers reproduce their Keras+HGQ2 reference outputs bit for bit."""

import numpy as np
import pytest

from fpga_opt.dialects.fixedpoint.ops import DenseOp, QuantizeOp
from fpga_opt.importers.keras import import_keras, predict
from fpga_opt.importers.onnx.model_io import records
from fpga_opt.interpreters.fixedpoint import find_function

from fpga_opt.testing.models import require_full_corpus

from .archives import model_path

MODELS = ["hgq2_jsc_openml_0.771", "hgq2_jsc_openml_0.758"]


def load(name):
    path, ref = model_path(f"{name}.keras"), model_path(f"{name}_reference.npz")
    if not path.exists() or not ref.exists():
        pytest.skip(f"{path.name} or its reference is neither in tests/data nor in ../shared/models")
    return import_keras(path.read_bytes(), str(path)), np.load(ref)


@pytest.mark.parametrize("corpus", ["bundled", "full"])
@pytest.mark.parametrize("name", MODELS)
def test_reference_outputs_are_reproduced_exactly(name, corpus):
    """On the first 200 reference rows (bundled in tests/data) and, where ../shared is
    beside the repository, on all 20000."""
    module, ref = load(name)
    if corpus == "full":
        ref = np.load(require_full_corpus(f"{name}_reference.npz"))
    x, expected = ref["x"], ref["y"]
    (y,) = predict(module, [x])
    assert y.dtype == np.float64 and y.shape == expected.shape == ({"bundled": 200, "full": 20000}[corpus], 10)
    # Every output is a dyadic value short enough for float32, so comparing the exact
    # float64 result with the float32 reference is a comparison of exact values.
    assert np.array_equal(y.astype(np.float32).astype(np.float64), y)
    mismatches = int(np.count_nonzero(y != expected.astype(np.float64)))
    assert mismatches == 0


@pytest.mark.parametrize("name", MODELS)
def test_structure_is_three_batchnorm_dense_layers_and_a_dense(name):
    module, _ = load(name)
    function = find_function(module, "main")
    dense = [op for op in function.walk() if isinstance(op, DenseOp)]
    assert [op.results[0].type.shape for op in dense] == [(64,), (32,), (32,), (10,)]
    # the input quantizer is the argument's type; each later layer quantizes its input
    assert len([op for op in function.walk() if isinstance(op, QuantizeOp)]) == 3
    arg = function.body.block.args[0]
    assert arg.type.shape == (16,) and not arg.type.is_homogeneous
    (record,), (output,) = records(module)
    assert (record.kind, record.shape, record.pre_ops) == ("fixed", (16,), ())
    assert (record.rounding, record.overflow) == ("RND", "WRAP")
    assert output.shape == (10,) and np.all(output.scale == 1) and np.all(output.offset == 0)
