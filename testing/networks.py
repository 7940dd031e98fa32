"""Random quantized MLPs in the fixedpoint dialect, as HGQ / QKeras training leaves them.

    rng = np.random.default_rng(seed)
    spec = NetworkSpec.random(rng)          # or NetworkSpec(...) by hand
    module = random_mlp(rng, spec)          # builtin.module with func.func @net
    x = random_inputs(rng, module, 1000)    # Fixed, over the whole input range

Every layer is ``dense (weights with `sparsity` zeros, optional bias) -> activation ->
quantize``; the activation is relu, max/min with a constant, or none; each quantize picks
its rounding and overflow mode, and with ``heterogeneous`` a format per element (HGQ's
per-activation bit-widths); the input may be heterogeneous too, and may carry leading axes
(the same dense applied at several positions).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from xdsl.builder import Builder, InsertPoint
from xdsl.dialects import builtin, func
from xdsl.ir import Block, Region

from ..dialects.fixedpoint import ops as fp
from ..dialects.fixedpoint.types import FixedTensorType
from ..interpreters.fixedpoint import Fixed
from ..numerics import Format, Overflow, Rounding


@dataclass(frozen=True)
class NetworkSpec:
    positions: int          # leading axis (1: a plain vector input)
    widths: tuple[int, ...]  # input features, then each layer's outputs
    weight_bits: int        # weights are signed integers of this many bits ...
    weight_f: int           # ... times 2**-weight_f
    sparsity: float
    heterogeneous: bool

    @classmethod
    def random(cls, rng: np.random.Generator, max_width: int = 12, max_layers: int = 3) -> "NetworkSpec":
        layers = int(rng.integers(1, max_layers + 1))
        return cls(
            positions=int(rng.choice([1, 1, 1, 2, 3])),
            widths=tuple(int(w) for w in rng.integers(1, max_width + 1, layers + 1)),
            weight_bits=int(rng.integers(1, 9)),
            weight_f=int(rng.integers(-1, 5)),
            sparsity=float(rng.choice([0.0, 0.3, 0.6, 0.9])),
            heterogeneous=bool(rng.random() < 0.4),
        )


def random_format(rng: np.random.Generator, max_int: int = 5, max_frac: int = 4) -> Format:
    while True:
        fmt = Format(int(rng.integers(0, 2)), int(rng.integers(-1, max_int + 1)),
                     int(rng.integers(-1, max_frac + 1)))
        if fmt.width >= 1:
            return fmt


def _formats(rng: np.random.Generator, count: int, heterogeneous: bool) -> list[Format]:
    if not heterogeneous:
        return [random_format(rng)] * count
    return [random_format(rng) for _ in range(count)]


def random_mlp(rng: np.random.Generator, spec: NetworkSpec, name: str = "net") -> builtin.ModuleOp:
    n_in = spec.widths[0]
    shape = (spec.positions, n_in) if spec.positions > 1 else (n_in,)
    in_formats = _formats(rng, n_in, spec.heterogeneous)
    block = Block(arg_types=[FixedTensorType(shape, in_formats * spec.positions)])
    b = Builder(InsertPoint.at_end(block))
    x = block.args[0]
    x.name_hint = "x"
    low = -(1 << (spec.weight_bits - 1))
    for layer, (n, m) in enumerate(zip(spec.widths, spec.widths[1:])):
        w = rng.integers(low, -low, (n, m)) if spec.weight_bits > 1 else rng.integers(-1, 2, (n, m))
        w[rng.random((n, m)) < spec.sparsity] = 0
        weight = b.insert(fp.ConstantOp(w, spec.weight_f)).result
        bias = None
        if rng.random() < 0.6:
            bias = b.insert(fp.ConstantOp(rng.integers(-4, 5, (m,)), int(rng.integers(0, 4)))).result
        x = b.insert(fp.DenseOp(x, weight, bias)).result
        activation = rng.choice(["relu", "max", "min", "none"])
        if activation == "relu":
            x = b.insert(fp.ReluOp(x)).result
        elif activation != "none":
            c = b.insert(fp.ConstantOp(rng.integers(-4, 5, x.type.shape), 1)).result
            op = fp.MaxOp if activation == "max" else fp.MinOp
            x = b.insert(op(x, c)).result
        per_position = _formats(rng, m, spec.heterogeneous)
        rounding = list(Rounding)[int(rng.integers(0, len(Rounding)))]
        overflow = list(Overflow)[int(rng.integers(0, len(Overflow)))]
        x = b.insert(fp.QuantizeOp(x, per_position * spec.positions, rounding, overflow)).result
    b.insert(func.ReturnOp(x))
    function = func.FuncOp(name, ([block.args[0].type], [x.type]), Region(block))
    return builtin.ModuleOp([function])


def random_inputs(rng: np.random.Generator, module: builtin.ModuleOp, batch: int) -> Fixed:
    """Random values over each input element's whole range, the extremes included."""
    function = next(op for op in module.walk() if isinstance(op, func.FuncOp))
    (arg,) = function.args
    intervals = arg.type.interval_array()
    f = max(iv.f for iv in intervals.ravel())
    m = np.empty((batch,) + intervals.shape, dtype=object)
    for index, iv in np.ndenumerate(intervals):
        column = rng.integers(iv.lo, iv.hi + 1, batch).astype(object)
        column[: min(batch, 2)] = [iv.lo, iv.hi][: min(batch, 2)]
        m[(slice(None),) + index] = column * (1 << (f - iv.f))
    return Fixed(m, f)


def random_cnn(rng: np.random.Generator, name: str = "cnn") -> builtin.ModuleOp:
    """conv (random kernel, stride, padding) -> relu -> quantize [-> maxpool] -> flatten ->
    dense -> quantize, on a small channels-first image with a random input format."""
    from ..dialects.fixedpoint.nn_ops import ConvOp, MaxPoolOp

    channels, height, width = (int(v) for v in rng.integers([1, 3, 3], [4, 7, 7]))
    block = Block(arg_types=[FixedTensorType((channels, height, width), random_format(rng))])
    b = Builder(InsertPoint.at_end(block))
    x = block.args[0]
    x.name_hint = "img"
    out_channels = int(rng.integers(1, 5))
    kernel = [int(k) for k in rng.integers(1, 4, 2)]
    w = rng.integers(-8, 8, (out_channels, channels, *kernel))
    w[rng.random(w.shape) < 0.3] = 0
    weight = b.insert(fp.ConstantOp(w, int(rng.integers(0, 4)))).result
    bias = b.insert(fp.ConstantOp(rng.integers(-4, 5, (out_channels,)), 2)).result
    pads = [int(p) for p in rng.integers(0, 2, 4)]
    strides = [int(s) for s in rng.integers(1, 3, 2)]
    x = b.insert(ConvOp(x, weight, bias, strides=strides, pads=pads)).result
    x = b.insert(fp.ReluOp(x)).result
    rounding = list(Rounding)[int(rng.integers(0, len(Rounding)))]
    x = b.insert(fp.QuantizeOp(x, [random_format(rng)], rounding, Overflow.SAT)).result
    if rng.random() < 0.5 and min(x.type.shape[1:]) >= 2:
        x = b.insert(MaxPoolOp(x, [2, 2], [2, 2])).result
    size = int(np.prod(x.type.shape))
    x = b.insert(fp.ReshapeOp(x, [size])).result
    m = int(rng.integers(1, 6))
    dense = b.insert(fp.ConstantOp(rng.integers(-8, 8, (size, m)), 2)).result
    x = b.insert(fp.DenseOp(x, dense)).result
    x = b.insert(fp.QuantizeOp(x, [random_format(rng)], rounding, Overflow.WRAP)).result
    b.insert(func.ReturnOp(x))
    function = func.FuncOp(name, ([block.args[0].type], [x.type]), Region(block))
    return builtin.ModuleOp([function])
