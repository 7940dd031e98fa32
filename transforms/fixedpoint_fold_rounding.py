"""fixedpoint-fold-rounding: round-to-nearest as a truncation of a biased sum.

``RND(v) = floor(v + lsb/2)``, and rounding commutes with relu (it is monotone and keeps
0 at 0), so a quantizer that rounds the output of a dense layer (directly or through a
relu) truncates instead once half an output LSB is added to the layer's bias:

    quantize_RND(relu(x @ W + b))  ==  quantize_TRN(relu(x @ W + (b + lsb/2)))

Truncation is free in hardware (the low bits are dropped) and the half LSB joins an
addition the bias already needs, so the rounding adder disappears.  Only the rounding
stage moves; the overflow mode is kept.  The dense result and the relu must have no other
users, and every position sharing a bias entry must have the same output resolution.

Before:

    %y = fixedpoint.dense %x, %w, %b : ... -> !fixedpoint.tensor<4xrange<-90,75,1>>
    %r = fixedpoint.relu %y : ...
    %q = fixedpoint.quantize %r to <fixed<0,6,0>> RND SAT : ...

After:

    %b2 = fixedpoint.constant <[3, 1, -1, 1], f=1> : ...          (b + 1/2)
    %y = fixedpoint.dense %x, %w, %b2 : ...
    %r = fixedpoint.relu %y : ...
    %q = fixedpoint.quantize %r to <fixed<0,6,0>> TRN SAT : ...
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from xdsl.context import Context
from xdsl.dialects.builtin import ModuleOp
from xdsl.passes import ModulePass
from xdsl.rewriter import InsertPoint
from xdsl.pattern_rewriter import (
    PatternRewriter,
    PatternRewriteWalker,
    RewritePattern,
    op_type_rewrite_pattern,
)

from ..dialects.fixedpoint import ops as fp
from ..numerics import Rounding


def _single_use(value) -> bool:
    return value.has_one_use()


def _half_lsb_per_channel(q: fp.QuantizeOp, channels: int) -> list[int] | None:
    """The output resolution f of each channel (last axis), if all positions agree."""
    formats = q.formats().reshape(-1, channels)
    fs = [{fmt.f for fmt in formats[:, j]} for j in range(channels)]
    return [f.pop() for f in fs] if all(len(f) == 1 for f in fs) else None


class FoldRoundingIntoBias(RewritePattern):
    @op_type_rewrite_pattern
    def match_and_rewrite(self, q: fp.QuantizeOp, rewriter: PatternRewriter) -> None:
        if q.rounding.data is not Rounding.RND:
            return
        relu = q.input.owner if isinstance(q.input.owner, fp.ReluOp) else None
        dense_value = relu.input if relu is not None else q.input
        dense = dense_value.owner
        if not isinstance(dense, fp.DenseOp) or not _single_use(dense.result):
            return
        if relu is not None and not _single_use(relu.result):
            return
        w, _ = fp.constant_values(dense.weight, "weight", dense)
        channels = w.shape[1]
        out_f = _half_lsb_per_channel(q, channels)
        if out_f is None:
            return
        if dense.bias is not None:
            b, f_b = fp.constant_values(dense.bias, "bias", dense)
        else:
            b, f_b = np.zeros(channels, dtype=object), 0
        f_new = max([f_b] + [f + 1 for f in out_f])
        mantissas = [int(m) << (f_new - f_b) for m in b]
        mantissas = [m + (1 << (f_new - f - 1)) for m, f in zip(mantissas, out_f)]
        bias = fp.ConstantOp(np.array(mantissas, dtype=object), f_new)
        new_dense = fp.DenseOp(dense.input, dense.weight, bias.result)
        rewriter.insert([bias, new_dense], InsertPoint.before(dense))
        value = new_dense.result
        new_ops = []
        if relu is not None:
            new_relu = fp.ReluOp(value)
            new_ops.append(new_relu)
            value = new_relu.result
        # the same values as before, so the result keeps its type
        new_q = fp.QuantizeOp(value, q.format.data, Rounding.TRN, q.overflow.data, q.result.type)
        new_ops.append(new_q)
        rewriter.replace(q, new_ops)
        old_bias = dense.bias.owner if dense.bias is not None else None
        if relu is not None:
            rewriter.erase(relu)
        rewriter.erase(dense)
        if old_bias is not None and not old_bias.results[0].uses:
            rewriter.erase(old_bias)


@dataclass(frozen=True)
class FixedPointFoldRounding(ModulePass):
    name = "fixedpoint-fold-rounding"

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        PatternRewriteWalker(FoldRoundingIntoBias(), apply_recursively=False).rewrite_module(op)
