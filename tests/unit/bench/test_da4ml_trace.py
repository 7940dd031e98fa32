"""bench/da4ml_trace.py: da4ml, tracing our fixedpoint IR, computes exactly what our
interpreter computes (skipped when da4ml, the ``bench`` extra, is not installed)."""

import importlib.util
import sys
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("da4ml")

from xdsl.builder import Builder, InsertPoint  # noqa: E402
from xdsl.dialects import builtin, func  # noqa: E402
from xdsl.ir import Block, Region  # noqa: E402

from fpga_opt.dialects.fixedpoint import nn_ops as nn  # noqa: E402
from fpga_opt.dialects.fixedpoint import ops as fp  # noqa: E402
from fpga_opt.dialects.fixedpoint.types import FixedTensorType, ValuesAttr  # noqa: E402
from fpga_opt.interpreters.fixedpoint import Fixed, run_function  # noqa: E402
from fpga_opt.numerics import Format, Overflow, Rounding  # noqa: E402
from fpga_opt.testing.networks import NetworkSpec, random_inputs, random_mlp  # noqa: E402

_PATH = Path(__file__).resolve().parents[3] / "bench" / "da4ml_trace.py"
_spec = importlib.util.spec_from_file_location("da4ml_trace", _PATH)
da4ml_trace = importlib.util.module_from_spec(_spec)
sys.modules["da4ml_trace"] = da4ml_trace  # its dataclass looks its module up by name
_spec.loader.exec_module(da4ml_trace)

SEEDS = range(24)


def network(seed: int):
    """A small random MLP (every rounding and overflow mode) and its inputs."""
    rng = np.random.default_rng(seed)
    module = random_mlp(rng, NetworkSpec.random(rng, max_width=8))
    return module, random_inputs(rng, module, 300)


@pytest.mark.parametrize("seed", SEEDS)
def test_da4ml_evaluation_equals_our_interpreter(seed):
    module, x = network(seed)
    try:
        traced = da4ml_trace.trace(module)
    except da4ml_trace.Untraceable as e:
        pytest.skip(f"not expressible in da4ml: {e}")
    (ours,) = run_function(module, [x])
    (theirs,) = traced.evaluate([x])
    assert ours.mantissas.shape == theirs.mantissas.shape
    assert ours.exact_equal(theirs)


def test_most_random_networks_are_traced():
    """The skips above are the exception (da4ml's wrap into a wider unsigned format)."""
    traced = 0
    for seed in SEEDS:
        module, _ = network(seed)
        try:
            da4ml_trace.trace(module)
            traced += 1
        except da4ml_trace.Untraceable:
            pass
    assert traced >= 3 * len(SEEDS) // 4


def _one_quantizer(rounding: Rounding, overflow: Overflow, fmt: Format, x_fmt: Format):
    block = Block(arg_types=[FixedTensorType((4,), x_fmt)])
    b = Builder(InsertPoint.at_end(block))
    y = b.insert(fp.QuantizeOp(block.args[0], [fmt], rounding, overflow)).result
    b.insert(func.ReturnOp(y))
    return builtin.ModuleOp([func.FuncOp("q", ([block.args[0].type], [y.type]), Region(block))])


@pytest.mark.parametrize("overflow", [Overflow.WRAP, Overflow.SAT])
def test_round_half_to_even_on_every_input(overflow):
    """da4ml has no RND_CONV; the adapter's parity-bit offset must round every tie to even."""
    module = _one_quantizer(Rounding.RND_CONV, overflow, Format(1, 1, 0), Format(1, 3, 2))
    values = np.arange(-32, 32, dtype=np.int64)  # every mantissa of fixed<1,3,2>
    x = Fixed.from_mantissas(np.stack([values] * 4, axis=1), 2)
    (ours,) = run_function(module, [x])
    (theirs,) = da4ml_trace.trace(module).evaluate([x])
    assert ours.exact_equal(theirs)


def test_wrap_into_wider_unsigned_is_refused():
    module = _one_quantizer(Rounding.TRN, Overflow.WRAP, Format(0, 4, 0), Format(1, 1, 2))
    with pytest.raises(da4ml_trace.Untraceable, match="sign-extension"):
        da4ml_trace.trace(module)


def test_verilog_and_adder_count():
    rng = np.random.default_rng(3)
    module = random_mlp(rng, NetworkSpec(1, (6, 5), 5, 0, 0.0, False))
    traced = da4ml_trace.trace(module)
    counts = traced.adders()
    assert counts.get("add", 0) + counts.get("sub", 0) > 0
    text = traced.verilog("m")
    assert "module m (" in text and "module shift_adder" in text


@pytest.mark.parametrize("seed", range(4))
def test_conv_pool_and_lookup_are_traced_exactly(seed):
    """conv1d (padded, strided) -> relu -> max pool -> quantize -> avg pool -> lookup."""
    rng = np.random.default_rng(seed)
    block = Block(arg_types=[FixedTensorType((2, 9), Format(1, 3, 2))])
    b = Builder(InsertPoint.at_end(block))
    w = b.insert(fp.ConstantOp(rng.integers(-7, 8, (3, 2, 3)), 1)).result
    bias = b.insert(fp.ConstantOp(rng.integers(-4, 5, (3,)), 2)).result
    x = b.insert(nn.ConvOp(block.args[0], w, bias, strides=[2], pads=[1, 1], dilations=[1])).result
    x = b.insert(fp.ReluOp(x)).result
    x = b.insert(nn.MaxPoolOp(x, [2], strides=[1], pads=[0, 1])).result
    x = b.insert(fp.QuantizeOp(x, [Format(0, 3, 1)], Rounding.TRN, Overflow.SAT)).result
    x = b.insert(nn.AvgPoolOp(x, [2], ValuesAttr([3], 2), strides=[2])).result
    x = b.insert(nn.LookupOp(x, ValuesAttr([-1, 2, 9], 1), ValuesAttr([5, -3, 0, 7], 2))).result
    b.insert(func.ReturnOp(x))
    module = builtin.ModuleOp([func.FuncOp("net", ([block.args[0].type], [x.type]), Region(block))])
    module.verify()
    inputs = random_inputs(rng, module, 400)
    traced = da4ml_trace.trace(module)
    (ours,) = run_function(module, [inputs])
    (theirs,) = traced.evaluate([inputs])
    assert ours.exact_equal(theirs)
    assert traced.adders().get("lookup", 0) > 0
