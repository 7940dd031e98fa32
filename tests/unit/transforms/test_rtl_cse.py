"""rtl-cse gives exactly what xDSL's generic cse gives, and the module still computes the
same: on random adder trees whose ops are repeated (some copies read in place of the
original, some read by nothing) and whose ops are left unread at random."""

import random

import numpy as np
import pytest
from xdsl.context import Context
from xdsl.transforms.common_subexpression_elimination import CommonSubexpressionElimination

from fpga_opt.dialects import rtl
from fpga_opt.interpreters.rtl import simulate
from fpga_opt.transforms.rtl_cse import RtlCse

from ..dialects.rtl.rtl_random import random_design


def with_repeats(design, seed: int):
    """The design's module with a copy after each op; each use of an op's result moves
    to the copy at random, so originals, copies or both may end up unread."""
    module = design.module.clone()
    block = module.body.block.first_op.block
    rng = random.Random(seed)
    for op in list(block.ops):
        if isinstance(op, rtl.OutputOp):
            continue
        copy = op.clone()
        block.insert_op_after(copy, op)
        for use in list(op.results[0].uses):
            if rng.random() < 0.5:
                use.operation.operands[use.index] = copy.results[0]
    return module


@pytest.mark.parametrize("seed", range(12))
def test_rtl_cse_equals_xdsl_cse_and_keeps_the_results(seed):
    design = random_design(seed, batch=200)
    repeated = with_repeats(design, seed)
    ours, generic = repeated.clone(), repeated.clone()
    RtlCse().apply(Context(), ours)
    CommonSubexpressionElimination().apply(Context(), generic)
    ours.verify()
    assert str(ours) == str(generic)
    assert np.array_equal(simulate(ours, design.inputs), design.expected)
    ops = list(ours.body.block.first_op.block.ops)
    assert len(ops) < len(list(repeated.body.block.first_op.block.ops))
