"""Every cmvm pass keeps the computation bit-exact: for random matrices (zero rows and
columns, repeated and negated columns, powers of two, 1- to 12-bit entries, huge entries)
and random inputs, the IR before and after each pass computes exactly W x."""

import numpy as np
import pytest

from fpga_opt.cmvm.graph import realized_matrix
from fpga_opt.dialects.cmvm import ops
from fpga_opt.interpreters.fixedpoint import find_function
from fpga_opt.lowering.optimizer_ir import ops_to_graph
from fpga_opt.numerics import Format

from ..dialects.cmvm.helpers import apply, matrix_module, random_inputs, reference, run, same_values

PIPELINES = [
    "cmvm-csd",
    "cmvm-decompose",
    "cmvm-decompose{extra_depth=2}",
    "cmvm-cse",
    "cmvm-cse{objective=adder_bits}",
    "cmvm-csd,cmvm-decompose,cmvm-cse",
    "cmvm-csd,cmvm-decompose{extra_depth=1},cmvm-cse{objective=adder_bits}",
    "cmvm-optimize{effort=fast}",
    "cmvm-optimize{objective=adder_bits extra_depth=1 effort=fast}",
]


def random_matrix(rng: np.random.Generator, n_out: int, n_in: int, bits: int) -> np.ndarray:
    """Signed entries of up to ``bits`` bits with the awkward structure real weights have."""
    top = 1 << (bits - 1) if bits > 1 else 1
    w = rng.integers(-top, top, size=(n_out, n_in), endpoint=True).astype(object)
    w[rng.random(w.shape) < 0.3] = 0
    if n_in > 2:
        w[:, rng.integers(n_in)] = 0  # a zero column
        w[:, 1] = -w[:, 0] if rng.random() < 0.5 else w[:, 0]  # a negated / repeated column
    if n_out > 2:
        w[rng.integers(n_out)] = 0  # a zero row
        w[1] = w[0] * (1 << int(rng.integers(0, 3)))  # a row repeated with a power of two
    if n_out > 3 and n_in > 3:
        w[3, 3] = 1 << int(rng.integers(0, bits))  # a power of two
    return w


def random_formats(rng: np.random.Generator, n_in: int) -> list[Format]:
    choices = [Format(1, 7, 0), Format(0, 8, 0), Format(1, 3, 2), Format(0, 1, 3), Format(1, 15, 0), Format(1, 0, 0)]
    return [choices[int(i)] for i in rng.integers(0, len(choices), size=n_in)]


CASES = [(1, 1, 1), (1, 1, 12), (2, 3, 4), (3, 2, 8), (4, 4, 3), (5, 7, 6), (8, 8, 8), (6, 12, 12),
         (12, 5, 2), (16, 16, 8), (7, 1, 5), (1, 9, 7)]


@pytest.mark.parametrize("n_out,n_in,bits", CASES)
def test_every_pass_is_bit_exact(n_out, n_in, bits):
    rng = np.random.default_rng(1000 * n_out + 10 * n_in + bits)
    w = random_matrix(rng, n_out, n_in, bits)
    formats = random_formats(rng, n_in)
    module = matrix_module(w, formats)
    x = random_inputs(rng, formats, 64)
    expected = reference(w, formats, x)
    assert all(same_values(r, e) for r, e in zip(run(module, formats, x), expected))
    for pipeline in PIPELINES:
        out = apply(module, pipeline)
        got = run(out, formats, x)
        assert len(got) == n_out
        for j, (r, e) in enumerate(zip(got, expected)):
            assert same_values(r, e), f"{pipeline}: output {j} differs for W={w.tolist()}"


@pytest.mark.parametrize("pipeline", ["cmvm-cse", "cmvm-optimize", "cmvm-csd,cmvm-decompose,cmvm-cse"])
def test_adder_graph_reads_back_as_the_matrix(pipeline):
    rng = np.random.default_rng(7)
    w = random_matrix(rng, 6, 6, 7)
    out = apply(matrix_module(w, [Format(1, 7, 0)] * 6), pipeline)
    function = find_function(out, "main")
    assert not any(isinstance(op, ops.MatrixLikeOp) for op in function.walk())
    read = ops_to_graph(function)
    assert realized_matrix(read.graph).tolist() == w.tolist()


def test_max_depth_is_honoured_exactly():
    rng = np.random.default_rng(3)
    w = random_matrix(rng, 8, 8, 10)
    formats = [Format(1, 7, 0)] * 8
    module = matrix_module(w, formats)
    x = random_inputs(rng, formats, 32)
    expected = reference(w, formats, x)
    least = None
    for depth in range(1, 12):
        try:
            out = apply(module, f"cmvm-cse{{max_depth={depth}}}")
        except Exception as e:  # below the least possible depth: a located CompileError
            assert "max_depth" in str(e)
            continue
        least = depth if least is None else least
        assert graph_depth(out) <= depth
        assert all(same_values(r, e) for r, e in zip(run(out, formats, x), expected))
    assert least is not None and graph_depth(apply(module, f"cmvm-cse{{max_depth={least}}}")) == least


def graph_depth(module) -> int:
    from fpga_opt.lowering.optimizer_ir import ir_stats

    return ir_stats(find_function(module, "main"))["depth"]


def test_huge_entries_and_wide_inputs_stay_exact():
    """Entries past 64 bits and 63-bit inputs: the interpreter switches to Python ints."""
    rng = np.random.default_rng(11)
    w = np.array([[(1 << 70) + 3, -5, 0], [7, (1 << 65) - 1, 1], [0, 0, -(1 << 80)]], dtype=object)
    formats = [Format(1, 62, 0), Format(1, 7, 0), Format(0, 40, 3)]
    module = matrix_module(w, formats)
    x = random_inputs(rng, formats, 16)
    expected = reference(w, formats, x)
    for pipeline in ["", "cmvm-csd", "cmvm-csd,cmvm-decompose,cmvm-cse", "cmvm-optimize{effort=fast}"]:
        out = apply(module, pipeline) if pipeline else module
        assert all(same_values(r, e) for r, e in zip(run(out, formats, x), expected)), pipeline


def test_one_large_matrix():
    rng = np.random.default_rng(64)
    w = random_matrix(rng, 64, 64, 8)
    formats = [Format(1, 7, 0)] * 64
    module = matrix_module(w, formats)
    x = random_inputs(rng, formats, 256)
    expected = reference(w, formats, x)
    for pipeline in ["cmvm-csd,cmvm-decompose,cmvm-cse", "cmvm-optimize{effort=fast}"]:
        out = apply(module, pipeline)
        assert all(same_values(r, e) for r, e in zip(run(out, formats, x), expected)), pipeline
