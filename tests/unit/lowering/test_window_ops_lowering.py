"""Convolutions and pools lower bit-exactly: random small CNN layers give the same bits in
the fixedpoint interpreter, the cmvm interpreter (before and after the optimizer) and the
rtl interpreter; a conv's kernel is solved once for every set of positions whose windows
reach the same inputs (the interior, and each border where padding drops inputs)."""

import numpy as np
import pytest
from xdsl.builder import Builder, InsertPoint
from xdsl.context import Context
from xdsl.dialects import builtin, func
from xdsl.ir import Block, Region

from fpga_opt.dialects.cmvm import ops as cmvm_ops
from fpga_opt.dialects.fixedpoint import ops as fp
from fpga_opt.dialects.fixedpoint.nn_ops import AvgPoolOp, ConvOp, MaxPoolOp
from fpga_opt.dialects.fixedpoint.types import FixedTensorType, ValuesAttr
from fpga_opt.interpreters import cmvm as cmvm_interp
from fpga_opt.interpreters import rtl as rtl_interp
from fpga_opt.interpreters.fixedpoint import Fixed, run_function
from fpga_opt.lowering.cmvm_to_rtl import CmvmToRtl
from fpga_opt.lowering.fixedpoint_to_cmvm import FixedPointToCmvm
from fpga_opt.numerics import Format, Overflow, Rounding
from fpga_opt.transforms.cmvm_optimize import CmvmOptimize
from fpga_opt.transforms.fixedpoint_infer_precision import FixedPointInferPrecision


def cnn(rng: np.random.Generator, rank: int) -> builtin.ModuleOp:
    """conv (random stride/pad/groups) -> relu -> quantize -> max or avg pool."""
    channels, spatial = 2, (5,) * rank
    fmt = Format(1, 2, 1)
    block = Block(arg_types=[FixedTensorType((channels,) + spatial, fmt)])
    b = Builder(InsertPoint.at_end(block))
    groups = int(rng.integers(1, 3))
    out_channels = 2 * groups
    kernel = (int(rng.integers(1, 4)),) * rank
    w = rng.integers(-5, 6, (out_channels, channels // groups) + kernel)
    weight = b.insert(fp.ConstantOp(w, 1)).result
    bias = b.insert(fp.ConstantOp(rng.integers(-3, 4, (out_channels,)), 0)).result
    pads = [int(rng.integers(0, 2))] * (2 * rank)
    x = b.insert(ConvOp(block.args[0], weight, bias, strides=[int(rng.integers(1, 3))] * rank,
                        pads=pads, groups=groups)).result
    x = b.insert(fp.ReluOp(x)).result
    x = b.insert(fp.QuantizeOp(x, Format(0, 4, 1), Rounding.RND, Overflow.SAT)).result
    pool = (2,) * rank if min(x.type.shape[1:]) >= 2 else (1,) * rank
    if rng.random() < 0.5:
        x = b.insert(MaxPoolOp(x, pool)).result
    else:
        x = b.insert(AvgPoolOp(x, pool, ValuesAttr([3], 2))).result
    b.insert(func.ReturnOp(x))
    return builtin.ModuleOp([func.FuncOp("cnn", ([block.args[0].type], [x.type]), Region(block))])


def flat_fixed(x: Fixed) -> list[Fixed]:
    m = x.mantissas.reshape(x.mantissas.shape[0], -1)
    return [Fixed(m[:, j], x.f) for j in range(m.shape[1])]


def exact_columns(outputs: list[Fixed], f: int) -> np.ndarray:
    return np.stack([o.at(f) for o in outputs], axis=1)


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("rank", [1, 2])
def test_cnn_layers_are_bit_exact(seed, rank):
    rng = np.random.default_rng(seed + 10 * rank)
    module = cnn(rng, rank)
    FixedPointInferPrecision().apply(Context(), module)
    module.verify()
    (arg,) = module.body.block.ops.first.args
    x = Fixed.from_mantissas(rng.integers(-8, 8, (200,) + arg.type.shape), 1)
    (expected,) = run_function(module, [x])
    f = expected.f + 4
    want = expected.at(f).reshape(200, -1)

    FixedPointToCmvm().apply(Context(), module)
    module.verify()
    main, *kernels = [op for op in module.body.block.ops if isinstance(op, func.FuncOp)]
    # conv matrices have a row per output channel of a group (2); avgpool's have one
    inline = [op for op in main.walk() if isinstance(op, cmvm_ops.MatrixOp) and len(op.results) == 2]
    calls = [op for op in main.walk() if isinstance(op, func.CallOp)]
    assert len({c.callee.string_value() for c in calls}) == len(kernels)
    assert len(kernels) + len(inline) <= 2 * 3 ** rank  # groups x padding patterns per axis
    assert np.array_equal(exact_columns(cmvm_interp.run_function(module, flat_fixed(x)), f), want)

    CmvmOptimize().apply(Context(), module)
    module.verify()
    assert np.array_equal(exact_columns(cmvm_interp.run_function(module, flat_fixed(x)), f), want)

    CmvmToRtl().apply(Context(), module)
    module.verify()
    hardware = rtl_interp.single_module(module)
    got = rtl_interp.simulate(hardware, x.mantissas.reshape(200, -1))
    cols = [Fixed(got[:, j].astype(object), fmt.f).at(f) for j, (_, _, fmt) in enumerate(hardware.outputs)]
    assert np.array_equal(np.stack(cols, axis=1), want)


def test_padding_drops_inputs_and_equal_windows_share_a_kernel():
    """1-D, 5 positions, kernel 3, padding 1: the three interior windows share one kernel
    of three inputs, each border window gets its own two-input matrix."""
    block = Block(arg_types=[FixedTensorType((1, 5), Format(1, 3, 0))])
    b = Builder(InsertPoint.at_end(block))
    weight = b.insert(fp.ConstantOp(np.array([[[3, -5, 7]]]), 0)).result
    y = b.insert(ConvOp(block.args[0], weight, None, strides=[1], pads=[1, 1], groups=1)).result
    b.insert(func.ReturnOp(y))
    module = builtin.ModuleOp([func.FuncOp("conv", ([block.args[0].type], [y.type]), Region(block))])
    FixedPointInferPrecision().apply(Context(), module)
    x = Fixed.from_mantissas(np.random.default_rng(0).integers(-8, 8, (100, 1, 5)), 0)
    (expected,) = run_function(module, [x])
    FixedPointToCmvm().apply(Context(), module)
    module.verify()
    main, *kernels = [op for op in module.body.block.ops if isinstance(op, func.FuncOp)]
    assert [len(k.args) for k in kernels] == [3]
    assert len([op for op in main.walk() if isinstance(op, func.CallOp)]) == 3
    inline = [op for op in main.walk() if isinstance(op, cmvm_ops.MatrixOp)]
    assert sorted(len(op.operands) for op in inline) == [2, 2]
    got = exact_columns(cmvm_interp.run_function(module, flat_fixed(x)), expected.f)
    assert np.array_equal(got, expected.at(expected.f).reshape(100, -1))
