"""Bit-exact execution of fixedpoint functions, vectorized over a batch.

A runtime value is a ``Fixed``: integer mantissas (a numpy object array of Python ints,
batch first) and one exponent ``f`` for the whole tensor, so the value is
``mantissas * 2**-f`` exactly.  Only ``quantize`` rounds; everything else is exact integer
arithmetic.  There is no floating point anywhere.

    outputs = run_function(module, [Fixed.from_mantissas(x, f=0)], name="main")
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from xdsl.dialects import builtin, func
from xdsl.interpreter import Interpreter, InterpreterFunctions, impl, register_impls

from ..dialects.fixedpoint import ops
from ..numerics import Format, quantize
from .fixed import Fixed
from .fixedpoint_lut import FixedPointLutFunctions
from .fixedpoint_nn import FixedPointNNFunctions


def _aligned(*values: Fixed) -> tuple[int, list[np.ndarray]]:
    f = max(v.f for v in values)
    return f, [v.at(f) for v in values]


def _constant(op: ops.ConstantOp) -> Fixed:
    return Fixed(op.mantissas(), op.value.data.f)


def _constant_operand(value) -> Fixed:
    owner = value.owner
    assert isinstance(owner, ops.ConstantOp)
    return _constant(owner)


@register_impls
class FixedPointFunctions(InterpreterFunctions):
    @impl(ops.ConstantOp)
    def run_constant(self, interpreter: Interpreter, op: ops.ConstantOp, args: tuple[Any, ...]):
        c = _constant(op)
        return (Fixed(c.mantissas[None], c.f),)

    @impl(ops.QuantizeOp)
    def run_quantize(self, interpreter: Interpreter, op: ops.QuantizeOp, args: tuple[Fixed]):
        (x,) = args
        formats = op.formats()
        rounding, overflow = op.rounding.data, op.overflow.data
        if len(set(formats.ravel().tolist())) == 1:
            fmt: Format = formats.ravel()[0]
            return (Fixed(quantize(x.mantissas, x.f, fmt, rounding, overflow), fmt.f),)
        f_out = max(fmt.f for fmt in formats.ravel())
        out = np.empty(x.mantissas.shape, dtype=object)
        flat_in = x.mantissas.reshape(x.mantissas.shape[0], -1)
        flat_out = out.reshape(out.shape[0], -1)
        for j, fmt in enumerate(formats.ravel()):
            q = quantize(flat_in[:, j], x.f, fmt, rounding, overflow)
            flat_out[:, j] = q * (1 << (f_out - fmt.f))
        return (Fixed(out, f_out),)

    @impl(ops.DenseOp)
    def run_dense(self, interpreter: Interpreter, op: ops.DenseOp, args: tuple[Fixed, ...]):
        x = args[0]
        w = _constant_operand(op.weight)
        y = Fixed(np.matmul(x.mantissas, w.mantissas), x.f + w.f)
        if op.bias is not None:
            b = _constant_operand(op.bias)
            f, (ym, bm) = _aligned(y, b)
            y = Fixed(ym + bm, f)
        return (y,)

    @impl(ops.AddOp)
    def run_add(self, interpreter: Interpreter, op: ops.AddOp, args: tuple[Fixed, Fixed]):
        f, (a, b) = _aligned(*args)
        return (Fixed(a + b, f),)

    @impl(ops.SubOp)
    def run_sub(self, interpreter: Interpreter, op: ops.SubOp, args: tuple[Fixed, Fixed]):
        f, (a, b) = _aligned(*args)
        return (Fixed(a - b, f),)

    @impl(ops.MulOp)
    def run_mul(self, interpreter: Interpreter, op: ops.MulOp, args: tuple[Fixed, Fixed]):
        x, c = args
        return (Fixed(x.mantissas * c.mantissas, x.f + c.f),)

    @impl(ops.MaxOp)
    def run_max(self, interpreter: Interpreter, op: ops.MaxOp, args: tuple[Fixed, Fixed]):
        f, (a, b) = _aligned(*args)
        return (Fixed(np.maximum(a, b), f),)

    @impl(ops.MinOp)
    def run_min(self, interpreter: Interpreter, op: ops.MinOp, args: tuple[Fixed, Fixed]):
        f, (a, b) = _aligned(*args)
        return (Fixed(np.minimum(a, b), f),)

    @impl(ops.ReluOp)
    def run_relu(self, interpreter: Interpreter, op: ops.ReluOp, args: tuple[Fixed]):
        (x,) = args
        return (Fixed(np.maximum(x.mantissas, 0), x.f),)

    @impl(ops.ReshapeOp)
    def run_reshape(self, interpreter: Interpreter, op: ops.ReshapeOp, args: tuple[Fixed]):
        (x,) = args
        shape = (x.mantissas.shape[0],) + ops.tensor_type(op.result).shape
        return (Fixed(x.mantissas.reshape(shape), x.f),)

    @impl(ops.TransposeOp)
    def run_transpose(self, interpreter: Interpreter, op: ops.TransposeOp, args: tuple[Fixed]):
        (x,) = args
        perm = (0,) + tuple(p + 1 for p in op.perm())
        return (Fixed(x.mantissas.transpose(perm), x.f),)

    @impl(ops.ConcatOp)
    def run_concat(self, interpreter: Interpreter, op: ops.ConcatOp, args: tuple[Fixed, ...]):
        batch = max(a.mantissas.shape[0] for a in args)
        f, parts = _aligned(*args)
        parts = [np.broadcast_to(p, (batch,) + p.shape[1:]) for p in parts]
        return (Fixed(np.concatenate(parts, axis=op.axis.value.data + 1), f),)


def find_function(module: builtin.ModuleOp, name: str | None = None) -> func.FuncOp:
    """The function called ``name``, or else the module's one public function."""
    functions = [op for op in module.walk() if isinstance(op, func.FuncOp)]
    if name is not None:
        functions = [f for f in functions if f.sym_name.data == name]
    else:
        functions = [f for f in functions if f.sym_visibility is None or f.sym_visibility.data != "private"]
    if len(functions) != 1:
        wanted = f"a function named '{name}'" if name else "exactly one function"
        raise ValueError(f"expected {wanted} in the module, found {len(functions)}")
    return functions[0]


def run_function(module: builtin.ModuleOp, inputs: Sequence[Fixed],
                 name: str | None = None) -> list[Fixed]:
    """Run one function of ``module`` on batched exact inputs; returns its results."""
    # xdsl.interpreters loads every dialect's interpreter (0.2 s): only when data is run,
    # not whenever a model is imported or compiled
    from xdsl.interpreters.func import FuncFunctions

    function = find_function(module, name)
    interpreter = Interpreter(module)
    interpreter.register_implementations(FixedPointFunctions())
    interpreter.register_implementations(FixedPointNNFunctions())
    interpreter.register_implementations(FixedPointLutFunctions())
    interpreter.register_implementations(FuncFunctions())
    results = interpreter.call_op(function, tuple(inputs))
    batch = max((x.mantissas.shape[0] for x in inputs), default=1)
    return [Fixed(np.broadcast_to(r.mantissas, (batch,) + r.mantissas.shape[1:]), r.f) for r in results]

