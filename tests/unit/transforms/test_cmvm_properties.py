"""Hypothesis: for any small integer matrix and input formats, every cmvm pipeline and the
optimize API compute exactly W x, and the API's statistics agree with its graph."""

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fpga_opt.cmvm import stats
from fpga_opt.lowering.optimizer_ir import optimize
from fpga_opt.numerics import Format

from ..dialects.cmvm.helpers import apply, matrix_module, random_inputs, reference, run, same_values

formats_strategy = st.sampled_from([Format(1, 7, 0), Format(0, 8, 0), Format(1, 3, 3), Format(0, 0, 2), Format(1, 11, -1)])


@st.composite
def problems(draw):
    n_out = draw(st.integers(1, 5))
    n_in = draw(st.integers(1, 5))
    bits = draw(st.integers(1, 12))
    entries = st.integers(-(1 << (bits - 1)) if bits > 1 else -1, 1 << (bits - 1) if bits > 1 else 1)
    w = draw(st.lists(st.lists(entries, min_size=n_in, max_size=n_in), min_size=n_out, max_size=n_out))
    formats = draw(st.lists(formats_strategy, min_size=n_in, max_size=n_in))
    return np.array(w, dtype=object), formats


PIPELINES = ["cmvm-csd,cmvm-decompose{extra_depth=1},cmvm-cse", "cmvm-cse{objective=adder_bits}", "cmvm-optimize{effort=fast}"]


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems(), st.integers(0, 2**32 - 1))
def test_pipelines_are_bit_exact(problem, seed):
    w, formats = problem
    module = matrix_module(w, formats)
    x = random_inputs(np.random.default_rng(seed), formats, 24)
    expected = reference(w, formats, x)
    for pipeline in PIPELINES:
        got = run(apply(module, pipeline), formats, x)
        assert all(same_values(r, e) for r, e in zip(got, expected)), pipeline


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems(), st.sampled_from(["adders", "adder_bits"]), st.integers(0, 2**32 - 1))
def test_optimize_is_bit_exact_with_consistent_stats(problem, objective, seed):
    w, formats = problem
    result = optimize(w, formats, objective=objective, effort="fast")
    result.module.verify()
    x = random_inputs(np.random.default_rng(seed), formats, 24)
    assert all(same_values(r, e) for r, e in zip(run(result.module, formats, x), reference(w, formats, x)))
    assert result.stats == stats(result.graph, [f.interval() for f in formats])
