"""cmvm.refine: dissolving and redoing subexpressions keeps W x exact, never costs adders,
and honours a hard depth limit."""

import numpy as np
import pytest

from fpga_opt.cmvm.graph import depth, realized_matrix
from fpga_opt.cmvm.refine import state_adders
from fpga_opt.cmvm.solver import CseRun, least_depth
from fpga_opt.numerics import Format

from ..transforms.test_cmvm_passes_exact import random_formats, random_matrix


@pytest.mark.parametrize("decompose", ["none", "chain"])
@pytest.mark.parametrize("seed", range(6))
def test_refined_graph_is_exact_and_no_larger(decompose, seed):
    rng = np.random.default_rng(100 + seed)
    n_out, n_in = (int(v) for v in rng.integers(2, 20, size=2))
    w = random_matrix(rng, n_out, n_in, int(rng.integers(2, 10))).astype(np.int64)
    formats = random_formats(rng, n_in)
    limit = least_depth(w) + int(rng.integers(0, 3))
    run = CseRun(w, [f.interval() for f in formats], limit, decompose, "recent")
    counted = state_adders(run.builder, run.rows, run.dec.parent)
    graph = run.refine(40)
    assert np.array_equal(realized_matrix(graph).astype(object), w.astype(object))
    assert state_adders(run.builder, run.rows, run.dec.parent) <= counted
    assert depth(graph) <= limit


def test_refine_finds_fewer_adders_on_a_dense_matrix():
    w = np.random.default_rng(7).integers(-128, 128, size=(24, 24))
    run = CseRun(w, [Format(1, 7, 0).interval()] * 24, least_depth(w) + 1, "none", "recent")
    before = state_adders(run.builder, run.rows, run.dec.parent)
    graph = run.refine(100)
    assert state_adders(run.builder, run.rows, run.dec.parent) < before
    assert np.array_equal(realized_matrix(graph).astype(object), w.astype(object))
