"""optimize (fpga_opt.lowering.optimizer_ir): the optimized module computes W x exactly, its
statistics agree with the graph it came from, and bad input is a CompileError."""

import subprocess
import sys

import numpy as np
import pytest

from fpga_opt.cmvm import stats
from fpga_opt.dialects.cmvm import ops
from fpga_opt.errors import CompileError
from fpga_opt.interpreters.fixedpoint import find_function
from fpga_opt.lowering.optimizer_ir import ir_stats, optimize
from fpga_opt.numerics import Format, Interval

from ..dialects.cmvm.helpers import random_inputs, reference, run, same_values
from ..transforms.test_cmvm_passes_exact import random_matrix

H264 = [[1, 1, 1, 1], [2, 1, -1, 1], [1, -1, -1, 1], [1, -2, 2, 1]]


def test_h264_transform_takes_eight_adders():
    result = optimize(H264, [(1, 7, 0)] * 4)
    result.module.verify()
    assert result.stats["adders"] == 8 and result.stats["depth"] == 2
    assert ir_stats(find_function(result.module))["negations"] == 0
    formats = [Format(1, 7, 0)] * 4
    x = random_inputs(np.random.default_rng(0), formats, 200)
    assert all(same_values(r, e) for r, e in zip(run(result.module, formats, x), reference(H264, formats, x)))


@pytest.mark.parametrize("objective", ["adders", "adder_bits"])
@pytest.mark.parametrize("seed", range(4))
def test_random_matrices_exact_and_stats_match_the_graph(objective, seed):
    rng = np.random.default_rng(seed)
    n_out, n_in = (int(v) for v in rng.integers(1, 10, size=2))
    w = random_matrix(rng, n_out, n_in, int(rng.integers(1, 13)))
    formats = [Format(1, 7, 0), Format(0, 4, 2), Format(1, 11, -2)] * 4
    formats = formats[:n_in]
    result = optimize(w, [(f.k, f.i, f.f) for f in formats], objective=objective, effort="fast")
    result.module.verify()
    x = random_inputs(rng, formats, 100)
    assert all(same_values(r, e) for r, e in zip(run(result.module, formats, x), reference(w, formats, x)))
    assert result.stats == stats(result.graph, [f.interval() for f in formats])
    assert {k: v for k, v in ir_stats(find_function(result.module)).items() if k != "negations"} == result.stats


def test_every_value_has_its_exact_range():
    """Types come from the graph's exact ranges: the module's own types say how wide each
    adder is, and they agree with ir_stats."""
    result = optimize([[7, -3], [5, 9]], [(1, 7, 0), (0, 8, 0)])
    function = find_function(result.module)
    adders = [op for op in function.walk() if isinstance(op, ops.ADDER_OPS)]
    assert sum(op.result.type.width for op in adders) == result.stats["adder_bits"]
    for op in adders:
        exact = op.tightest_range(0, op.result_ranges()[0], op.new_forms())
        assert op.result.type.data == exact or op.result.type.interval.contains(exact)


def test_max_depth_is_a_hard_limit():
    w = random_matrix(np.random.default_rng(9), 6, 6, 9)
    for depth in (4, 5, 6):
        result = optimize(w, [(1, 7, 0)] * 6, max_depth=depth, effort="fast")
        assert result.stats["depth"] <= depth
    with pytest.raises(CompileError, match="max_depth=1"):
        optimize(w, [(1, 7, 0)] * 6, max_depth=1)


def test_exact_interval_inputs_and_zero_outputs():
    result = optimize([[0, 0], [3, 0]], [Interval(-3, 5, 0), (1, 7, 0)])
    function = find_function(result.module)
    assert str(function.args[0].type) == "!cmvm.fx<range<-3,5,0>>"
    x = np.array([[-3, 100], [5, -128], [0, 0]], dtype=object)
    y0, y1 = run(result.module, [Interval(-3, 5, 0), Format(1, 7, 0)], x)
    assert [int(v) for v in y0.mantissas] == [0, 0, 0]
    assert [int(v) * 2 ** -y1.f for v in y1.mantissas] == [-9, 15, 0]


@pytest.mark.parametrize("bad, message", [
    (dict(W=[[1.5]], input_formats=[(1, 7, 0)]), "integers"),
    (dict(W=[[1, 2]], input_formats=[(1, 7, 0)]), "input formats"),
    (dict(W=[[1]], input_formats=[(3, 7, 0)]), "input 0"),
    (dict(W=[[1]], input_formats=[(1, 7, 0)], objective="luts"), "objective"),
])
def test_bad_input_is_a_compile_error(bad, message):
    with pytest.raises(CompileError, match=message):
        optimize(**bad)


def test_import_order_does_not_matter():
    for first in ("fpga_opt.dialects.cmvm", "fpga_opt.cmvm", "fpga_opt.transforms.cmvm_cse"):
        code = f"import {first}; from fpga_opt.lowering.optimizer_ir import optimize; print(optimize([[3]], [(1, 7, 0)]).stats)"
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
        assert out.returncode == 0, out.stderr
