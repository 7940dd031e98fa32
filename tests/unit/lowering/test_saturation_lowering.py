"""Every saturating quantize, lowered to rtl, against exact arithmetic on every input of
small formats: the bit tests that replace compares (below 0, above 2**m - 1, below -2**m),
the general compares (SAT_SYM, ranges that are not whole formats) and the order of the
two selects."""

import itertools

import numpy as np
import pytest
from xdsl.context import Context
from xdsl.dialects import func
from xdsl.dialects.builtin import ModuleOp
from xdsl.ir import Block, Region

from fpga_opt.dialects.cmvm import ops as cmvm
from fpga_opt.dialects.cmvm.types import FxType
from fpga_opt.interpreters import rtl as rtl_interp
from fpga_opt.lowering.cmvm_to_rtl import CmvmToRtl
from fpga_opt.numerics import Format, Interval, Overflow, Rounding, quantize

INPUTS = [Interval(-40, 37, 1), Interval(0, 90, 2), Interval(-64, 63, 0), Interval(-9, 100, 0),
          Interval(-100, -3, 1)]
TARGETS = [Format(0, 2, 0), Format(1, 2, 0), Format(1, 1, 1), Format(0, 3, -1), Format(1, 0, 2),
           Format(0, 0, 1)]


def lowered(x: Interval, fmt: Format, rounding: Rounding, overflow: Overflow):
    block = Block(arg_types=[FxType(x)])
    q = cmvm.QuantizeOp(block.args[0], fmt, rounding, overflow)
    block.add_ops([q, func.ReturnOp(q.result)])
    module = ModuleOp([func.FuncOp("q", ([FxType(x)], [q.result.type]), Region(block))])
    module.verify()
    CmvmToRtl().apply(Context(), module)
    module.verify()
    return rtl_interp.single_module(module)


@pytest.mark.parametrize("x,fmt,rounding,overflow", [
    (x, fmt, r, o) for x, fmt, r, o in itertools.product(
        INPUTS, TARGETS, [Rounding.TRN, Rounding.RND], [Overflow.SAT, Overflow.SAT_SYM])])
def test_saturation_is_exact_on_every_input(x, fmt, rounding, overflow):
    hardware = lowered(x, fmt, rounding, overflow)
    (_, _, port), (_, _, out) = hardware.inputs[0], hardware.outputs[0]
    mantissas = np.arange(x.lo, x.hi + 1)
    got = rtl_interp.simulate(hardware, (mantissas // (1 << (x.f - port.f))).reshape(-1, 1))[:, 0]
    want = [quantize(int(m), x.f, fmt, rounding, overflow) for m in mantissas]
    assert [int(g) * 2 ** -out.f for g in got] == [w * 2 ** -fmt.f for w in want]
