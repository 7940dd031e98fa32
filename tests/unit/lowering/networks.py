"""Random small quantized networks in the fixedpoint dialect, for lowering tests."""

import numpy as np
from xdsl.builder import Builder, InsertPoint
from xdsl.dialects import builtin, func
from xdsl.ir import Block, Region

from fpga_opt.dialects.fixedpoint import ops as fp
from fpga_opt.dialects.fixedpoint.types import FixedTensorType
from fpga_opt.interpreters.fixedpoint import Fixed
from fpga_opt.numerics import Format, Overflow, Rounding


def random_network(rng: np.random.Generator, shape: tuple[int, ...], layers: int) -> builtin.ModuleOp:
    """dense -> (relu | max with a constant) -> quantize, repeated; random formats."""
    fmt = Format(int(rng.integers(0, 2)), int(rng.integers(1, 5)), int(rng.integers(-1, 3)))
    block = Block(arg_types=[FixedTensorType(shape, fmt)])
    b = Builder(InsertPoint.at_end(block))
    x = block.args[0]
    n = shape[-1]
    for layer in range(layers):
        m = int(rng.integers(1, 6))
        w = rng.integers(-9, 10, (n, m))
        w[rng.random((n, m)) < 0.3] = 0
        wc = b.insert(fp.ConstantOp(w, int(rng.integers(-1, 3))))
        bias = b.insert(fp.ConstantOp(rng.integers(-5, 6, (m,)), 1)) if layer % 2 else None
        x = b.insert(fp.DenseOp(x, wc.result, bias.result if bias else None)).result
        if rng.random() < 0.5:
            x = b.insert(fp.ReluOp(x)).result
        else:
            c = b.insert(fp.ConstantOp(rng.integers(-3, 3, x.type.shape), 0))
            x = b.insert(fp.MaxOp(x, c.result)).result
        out_fmt = Format(int(rng.integers(0, 2)), int(rng.integers(1, 6)), int(rng.integers(0, 3)))
        rounding = list(Rounding)[int(rng.integers(0, 3))]
        overflow = list(Overflow)[int(rng.integers(0, 3))]
        x = b.insert(fp.QuantizeOp(x, out_fmt, rounding, overflow)).result
        n = m
    b.insert(func.ReturnOp(x))
    function = func.FuncOp("net", ([block.args[0].type], [x.type]), Region(block))
    return builtin.ModuleOp([function])


def random_inputs(rng: np.random.Generator, module: builtin.ModuleOp, batch: int) -> Fixed:
    """Random mantissas over the whole declared input format."""
    (arg,) = [f for f in module.walk() if isinstance(f, func.FuncOp)][0].args
    iv = arg.type.interval_array().ravel()[0]
    return Fixed.from_mantissas(rng.integers(iv.lo, iv.hi + 1, (batch,) + arg.type.shape), iv.f)
