"""The VHDL target simulated by GHDL gives the rtl interpreter's bits, on random vectors:
random rtl modules (combinational, pipelined, wider than 64 bits), the jet tagger
(combinational and pipelined) and an HGQ2 jet tagger.  Every design also analyses with
no message at all under ``ghdl -a --std=08`` (simulate_vhdl rejects any)."""

import numpy as np
import pytest

from fpga_opt.dialects import rtl
from fpga_opt.errors import CompileError
from fpga_opt.interpreters.rtl import simulate, single_module
from fpga_opt.verification import ghdl_sim
from fpga_opt.verification.ghdl_sim import simulate_vhdl
from fpga_opt.verification.vectors import random_port_inputs

from ..backends.reference_designs import (
    NETWORK_CASES,
    RANDOM_CASES,
    TERNARY_CASES,
    hgq2_model,
    jet_tagger,
    random_module,
    random_network,
    ternary_jet_tagger,
    with_an_add_made_a_sub,
)

REAL_MODEL_VECTORS = 200
"""GHDL takes ~0.1 s per vector through the jet tagger's 20k signals: few vectors, each
through every adder."""
TERNARY_MODEL_VECTORS = 100


def assert_same_bits(module, batch, seed=0):
    inputs = random_port_inputs(single_module(module), batch, seed)
    expected = simulate(module, inputs)
    assert np.array_equal(simulate_vhdl(module, inputs), expected)


@pytest.mark.ghdl
@pytest.mark.parametrize("seed, cutoff", RANDOM_CASES)
def test_random_modules(seed, cutoff):
    module = random_module(seed, cutoff)
    assert single_module(module).latency_cycles >= (1 if cutoff else 0)
    assert_same_bits(module, 3000, seed)


@pytest.mark.ghdl
@pytest.mark.parametrize("seed, cutoff", TERNARY_CASES)
def test_random_ternary_adders(seed, cutoff):
    module = random_module(seed, cutoff, ternary=True)
    assert any(isinstance(op, rtl.TernaryAddOp) for op in module.walk())
    assert_same_bits(module, 3000, seed)


@pytest.mark.ghdl
def test_wide_ternary_adders():
    module = random_module(101, 2, wide=True, nonlinear=False, ternary=True)
    assert any(isinstance(op, rtl.TernaryAddOp) and op.result.type.width.data > 64
               for op in module.walk())
    assert_same_bits(module, 300)


@pytest.mark.ghdl
def test_wide_ports():
    module = random_module(101, 2, wide=True, nonlinear=False)
    m = single_module(module)
    assert max(v.type.width.data for _, v, _ in [*m.inputs, *m.outputs]) > 64
    assert_same_bits(module, 500)


@pytest.mark.ghdl
@pytest.mark.parametrize("seed, cutoff", NETWORK_CASES)
def test_random_networks(seed, cutoff):
    module = random_network(seed, cutoff)
    assert single_module(module).latency_cycles >= (1 if cutoff else 0)
    assert_same_bits(module, 1000, seed)


@pytest.mark.ghdl
@pytest.mark.parametrize("cutoff", [0, 2])
def test_jet_tagger(cutoff):
    assert_same_bits(jet_tagger(cutoff), REAL_MODEL_VECTORS)


@pytest.mark.ghdl
def test_jet_tagger_with_ternary_adders():
    module = ternary_jet_tagger(2)
    assert any(isinstance(op, rtl.TernaryAddOp) for op in module.walk())
    assert_same_bits(module, TERNARY_MODEL_VECTORS)


@pytest.mark.ghdl
def test_hgq2_model():
    assert_same_bits(hgq2_model(), REAL_MODEL_VECTORS)


@pytest.mark.ghdl
def test_simulation_streams_the_batch_in_order():
    module = random_module(3, 2)
    inputs = random_port_inputs(single_module(module), 50, 5)
    whole = simulate_vhdl(module, inputs)
    assert np.array_equal(simulate_vhdl(module, inputs[::-1]), whole[::-1])


def test_missing_ghdl_is_a_clear_error(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))
    assert not ghdl_sim.ghdl_available()
    module = random_module(0, 0)
    with pytest.raises(CompileError, match="GHDL is not installed"):
        simulate_vhdl(module, random_port_inputs(single_module(module), 2))


@pytest.mark.ghdl
def test_a_wrong_design_is_caught():
    module = random_module(0, 0)
    inputs = random_port_inputs(single_module(module), 1000)
    wrong = simulate_vhdl(with_an_add_made_a_sub(module), inputs)
    assert not np.array_equal(wrong, simulate(module, inputs))
