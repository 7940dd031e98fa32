"""Every supported layer, checked against HGQ2 itself: three small models made by
``fixtures/generate.py`` with Keras 3.15 + HGQ2 0.2.0 (random per-element bit-widths and
batch-norm statistics) must reproduce ``model.predict`` exactly."""

from pathlib import Path

import numpy as np
import pytest
from xdsl.context import Context
from xdsl.dialects.builtin import Builtin
from xdsl.dialects.func import Func
from xdsl.parser import Parser

from fpga_opt.importers.keras import import_keras, predict
from fpga_opt.interpreters.fixedpoint import find_function
from fpga_opt.registry import get_all_dialects
from fpga_opt.transforms.fixedpoint_infer_precision import FixedPointInferPrecision

from .archives import edit_archive

FIXTURES = Path(__file__).parent / "fixtures"

EXPECTED_OPS = {
    "hgq2_functional_mix": {"fixedpoint.dense": 5, "fixedpoint.add": 2, "fixedpoint.mul": 1,
                            "fixedpoint.conv": 1, "fixedpoint.maxpool": 2,
                            "fixedpoint.avgpool": 1, "fixedpoint.concat": 4},
    "hgq2_sequential_conv2d": {"fixedpoint.conv": 2, "fixedpoint.maxpool": 1,
                               "fixedpoint.avgpool": 1, "fixedpoint.dense": 1,
                               "fixedpoint.transpose": 8},
    "hgq2_merge_variants": {"fixedpoint.sub": 2, "fixedpoint.max": 2, "fixedpoint.min": 1,
                            "fixedpoint.add": 3, "fixedpoint.mul": 2, "fixedpoint.transpose": 1,
                            "fixedpoint.dense": 4},
}


def load(name):
    """The imported module, the reference inputs and the reference outputs (lists)."""
    module = import_keras((FIXTURES / f"{name}.keras").read_bytes(), f"{name}.keras")
    ref = np.load(FIXTURES / f"{name}_reference.npz")
    if "x" in ref:
        return module, [ref["x"]], [ref["y"]]
    n_in, n_out = sum(k.startswith("x") for k in ref), sum(k.startswith("y") for k in ref)
    return module, [ref[f"x{n}"] for n in range(n_in)], [ref[f"y{n}"] for n in range(n_out)]


def outputs(module, xs):
    return predict(module, xs)


@pytest.mark.parametrize("name", sorted(EXPECTED_OPS))
def test_hgq2_predict_is_reproduced_exactly(name):
    module, xs, expected = load(name)
    ys = outputs(module, xs)
    assert len(ys) == len(expected)
    for y, ref in zip(ys, expected):
        assert y.shape == ref.shape
        assert np.count_nonzero(ref) > 0.5 * ref.size and len(np.unique(ref)) > 100
        assert np.array_equal(y.astype(np.float32).astype(np.float64), y)
        assert int(np.count_nonzero(y != ref.astype(np.float64))) == 0


@pytest.mark.parametrize("name", sorted(EXPECTED_OPS))
def test_layers_become_the_expected_ops(name):
    module, _, _ = load(name)
    counts: dict[str, int] = {}
    for op in find_function(module).walk():
        counts[op.name] = counts.get(op.name, 0) + 1
    for op_name, n in EXPECTED_OPS[name].items():
        assert counts.get(op_name, 0) == n, op_name


@pytest.mark.parametrize("name", sorted(EXPECTED_OPS))
def test_printed_ir_parses_back_and_infer_precision_keeps_the_bits(name):
    module, xs, _ = load(name)
    xs = [x[:100] for x in xs]
    expected = outputs(module, xs)
    context = Context()
    for dialect_name, factory in get_all_dialects().items():
        context.register_dialect(dialect_name, factory)
    context.load_dialect(Builtin)
    context.load_dialect(Func)
    reparsed = Parser(context, str(module)).parse_module()
    assert all(np.array_equal(a, b) for a, b in zip(outputs(reparsed, xs), expected))
    FixedPointInferPrecision().apply(context, reparsed)
    reparsed.verify()
    assert all(np.array_equal(a, b) for a, b in zip(outputs(reparsed, xs), expected))


@pytest.mark.parametrize("name", sorted(EXPECTED_OPS))
def test_layers_are_found_by_keras_group_names_without_name_attributes(name, tmp_path):
    """Older Keras versions may not store layer names in the h5 file; Keras's own group
    naming (snake-case class, numbered per class) finds the same weights."""

    def strip_names(f):
        f.visititems(lambda _, obj: obj.attrs.__delitem__("name") if "name" in obj.attrs else None)

    module, xs, expected = load(name)
    data = edit_archive((FIXTURES / f"{name}.keras").read_bytes(), tmp_path, weights=strip_names)
    stripped = import_keras(data, f"{name}.keras")
    xs = [x[:50] for x in xs]
    assert all(np.array_equal(a, b) for a, b in zip(outputs(stripped, xs), outputs(module, xs)))
