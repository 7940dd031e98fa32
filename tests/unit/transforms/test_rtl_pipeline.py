"""rtl-pipeline on random adder trees: the pipelined module, streamed cycle by cycle
through the interpreter, gives the exact results; every stage keeps the budget; every
input-to-output path has the recorded latency."""

import numpy as np
import pytest
from xdsl.context import Context
from xdsl.ir import Operation

from fpga_opt.dialects import rtl
from fpga_opt.dialects.rtl.delay import carry_cost, level_cost, path_latency, stage_timing
from fpga_opt.interpreters.rtl import simulate
from fpga_opt.transforms.rtl_pipeline import RtlPipeline

from ..dialects.rtl.rtl_random import random_design


def pipelined(design, **options):
    module = design.module.clone()
    RtlPipeline(**options).apply(Context(), module)
    module.verify()
    return module


def the_module(module) -> rtl.ModuleOp:
    return module.body.block.first_op


@pytest.mark.parametrize("seed", range(8))
@pytest.mark.parametrize("cutoff", [1, 2, 3])
def test_pipelined_trees_stay_exact_and_keep_the_level_budget(seed, cutoff):
    design = random_design(seed)
    module = pipelined(design, cutoff=cutoff)
    m = the_module(module)
    assert np.array_equal(simulate(module, design.inputs), design.expected)
    assert stage_timing(m).levels <= cutoff
    assert path_latency(m) == m.latency_cycles


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("carry_cutoff", [8, 24])
def test_carry_budget(seed, carry_cutoff):
    design = random_design(seed)
    module = pipelined(design, carry_cutoff=carry_cutoff, cutoff=4)
    m = the_module(module)
    assert np.array_equal(simulate(module, design.inputs), design.expected)
    widest = max(carry_cost(op) for op in m.block.ops)
    assert stage_timing(m).carry <= max(carry_cutoff, widest)
    assert stage_timing(m).levels <= 4
    assert path_latency(m) == m.latency_cycles


def test_a_deep_chain_gets_one_stage_per_cutoff_levels():
    design = random_design(3, nonlinear=False, n_nodes=40)
    depth = stage_timing(the_module(design.module)).levels
    for cutoff in (1, 2, 5):
        m = the_module(pipelined(design, cutoff=cutoff))
        # Greedy ASAP never needs more stages than cutting at multiples of the cutoff.
        assert m.latency_cycles <= -(-depth // cutoff) - 1


def test_removing_a_register_is_detected():
    """The comparison above can fail: drop one register of a balanced pipeline and the
    streamed outputs are wrong."""
    design = random_design(5)
    module = pipelined(design, cutoff=1)
    m = the_module(module)
    live, todo = set(), list(m.output_op.operands)
    while todo:
        owner = todo.pop().owner
        if isinstance(owner, Operation) and owner not in live:
            live.add(owner)
            todo.extend(owner.operands)
    register = next(op for op in m.block.ops if isinstance(op, rtl.RegOp) and op in live)
    register.result.replace_all_uses_with(register.input)
    register.detach()
    register.erase()
    assert path_latency(m) is None
    assert not np.array_equal(simulate(module, design.inputs), design.expected)


def test_without_budget_nothing_changes():
    design = random_design(1)
    before = str(design.module)
    assert str(pipelined(design)) == before
    assert str(pipelined(design, cutoff=0, carry_cutoff=0)) == before


def test_every_costed_op_counts_once():
    design = random_design(2)
    m = the_module(pipelined(design, cutoff=1))
    costed = [op for op in m.block.ops if level_cost(op)]
    assert costed and all(level_cost(op) == 1 for op in costed)
