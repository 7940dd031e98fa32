"""fixedpoint-infer-precision reaches its fixed point in one run: on random chains of ops,
a second run prints exactly the same IR, the result re-parses to itself, and every result
type is the one its op infers."""

from hypothesis import given, settings
from hypothesis import strategies as st
from xdsl.context import Context
from xdsl.dialects import func
from xdsl.dialects.builtin import Builtin
from xdsl.parser import Parser

from fpga_opt.dialects.fixedpoint import FixedPoint, ops
from fpga_opt.dialects.fixedpoint.types import FixedTensorType
from fpga_opt.numerics import Overflow, Rounding
from fpga_opt.transforms.fixedpoint_infer_precision import FixedPointInferPrecision

from .exhaustive import build
from .test_infer_exhaustive import constants, small_formats, tensor_types

SHAPE = (2, 2)


def random_chain(draw, x, y):
    """Apply a random sequence of ops to values of shape SHAPE; returns the last values."""
    values = [x, y]
    pick = lambda: values[draw(st.integers(0, len(values) - 1))]  # noqa: E731
    for _ in range(draw(st.integers(1, 8))):
        kind = draw(st.sampled_from(["quantize", "dense", "binary", "mul", "relu", "move"]))
        a = pick()
        if kind == "quantize":
            fmt = draw(small_formats(min_width=1, max_width=6))
            mode = draw(st.sampled_from(list(Rounding))), draw(st.sampled_from(list(Overflow)))
            values.append(ops.QuantizeOp(a, fmt, *mode).result)
        elif kind == "dense":
            w = ops.ConstantOp(*draw(constants((2, 2)))).result
            b = ops.ConstantOp(*draw(constants((2,)))).result if draw(st.booleans()) else None
            values.append(ops.DenseOp(a, w, b).result)
        elif kind == "binary":
            op = draw(st.sampled_from([ops.AddOp, ops.SubOp, ops.MaxOp, ops.MinOp]))
            values.append(op(a, pick()).result)
        elif kind == "mul":
            values.append(ops.MulOp(a, ops.ConstantOp(*draw(constants(SHAPE))).result).result)
        elif kind == "relu":
            values.append(ops.ReluOp(a).result)
        else:  # data movement that ends in the same shape
            values.append(ops.TransposeOp(a, (1, 0)).result)
            rows = [ops.ReshapeOp(v, (1, 4)).result for v in (a, pick())]
            pairs = ops.TransposeOp(ops.ConcatOp(rows, 0).result, (1, 0)).result  # 4 x 2
            w = ops.ConstantOp(*draw(constants((2, 1)))).result
            values.append(ops.ReshapeOp(ops.DenseOp(pairs, w).result, SHAPE).result)
    return values[-2:]


def parse(text: str):
    ctx = Context()
    ctx.load_dialect(Builtin)
    ctx.load_dialect(func.Func)
    ctx.load_dialect(FixedPoint)
    return Parser(ctx, text).parse_module()


@settings(max_examples=30, deadline=None)
@given(data=st.data(), x=tensor_types(SHAPE), y=tensor_types(SHAPE))
def test_second_run_changes_nothing(data, x: FixedTensorType, y: FixedTensorType):
    module = build([x, y], lambda a, b: random_chain(data.draw, a, b))
    FixedPointInferPrecision().apply(Context(), module)
    module.verify()
    once = str(module)
    FixedPointInferPrecision().apply(Context(), module)
    assert str(module) == once
    assert str(parse(once)) == once
    for op in module.walk():
        if isinstance(op, ops.FixedPointOp):
            assert op.results[0].type == ops.inferred_type(op), op.name
