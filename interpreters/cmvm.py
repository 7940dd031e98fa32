"""Bit-exact execution of cmvm functions, vectorized over a batch.

A runtime value is a ``Fixed`` (from the fixedpoint interpreter): mantissas of shape
``(batch,)`` and an exponent ``f``, the value being ``mantissas * 2**-f``.  Every value is
kept at the resolution of its type, so a value of type ``!cmvm.fx<range<lo,hi,f>>`` has
mantissas in ``[lo, hi]``.  Each op works in numpy int64 when the ranges of its operands
and result (known statically from the types) fit in 62 bits, and on object arrays of
Python integers otherwise.  Only ``quantize`` rounds; everything else is exact.

    outputs = run_function(module, [Fixed(x0, 0), Fixed(x1, 0)], name="main")

Inputs are checked against the function's argument types (a value outside its declared
range, or finer than its resolution, is a ValueError).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from xdsl.dialects import builtin
from xdsl.interpreter import Interpreter, InterpreterFunctions, impl, register_impls
from xdsl.interpreters.func import FuncFunctions
from xdsl.ir import SSAValue

from ..dialects.cmvm import ops
from ..dialects.cmvm.types import FxType, value_interval
from ..numerics import Interval, quantize
from .fixedpoint import Fixed, find_function

_INT64_BOUND = 1 << 62


def magnitude(iv: Interval, f: int) -> int:
    """An upper bound on ``|mantissa|`` of values of ``iv`` expressed at resolution f."""
    top = max(abs(iv.lo), abs(iv.hi))
    return top << (f - iv.f) if f >= iv.f else (top >> (iv.f - f)) + 1


def work_dtype(*bounds: int) -> Any:
    return np.int64 if max(bounds, default=0) < _INT64_BOUND else object


def mantissas_at(x: Fixed, f: int, dtype: Any) -> np.ndarray:
    """x's mantissas at resolution f (finer: a left shift; coarser: exact by the types)."""
    m = x.mantissas if x.mantissas.dtype == dtype else x.mantissas.astype(dtype)
    if f > x.f:
        return m << (f - x.f)
    if f < x.f:
        return m >> (x.f - f)
    return m


def result_f(value: SSAValue) -> int:
    return value_interval(value).f


def _finish(m: np.ndarray, f_work: int, result: SSAValue) -> Fixed:
    """The result at its type's resolution (exact: the verifier proved it representable)."""
    f = result_f(result)
    return Fixed(m >> (f_work - f) if f_work > f else m << (f - f_work), f)


@register_impls
class CmvmFunctions(InterpreterFunctions):
    @impl(ops.MatrixOp)
    def run_matrix(self, interpreter: Interpreter, op: ops.MatrixOp, args: tuple[Fixed, ...]):
        return run_matrix(op, args)

    @impl(ops.CsdOp)
    def run_csd(self, interpreter: Interpreter, op: ops.CsdOp, args: tuple[Fixed, ...]):
        return run_matrix(op, args)

    @impl(ops.AddOp)
    def run_add(self, interpreter: Interpreter, op: ops.AddOp, args: tuple[Fixed, Fixed]):
        return (run_shifted_binary(op, *args),)

    @impl(ops.SubOp)
    def run_sub(self, interpreter: Interpreter, op: ops.SubOp, args: tuple[Fixed, Fixed]):
        return (run_shifted_binary(op, *args),)

    @impl(ops.TernaryAddOp)
    def run_add3(self, interpreter: Interpreter, op: ops.TernaryAddOp, args: tuple[Fixed, Fixed, Fixed]):
        return (run_ternary_add(op, args),)

    @impl(ops.NegOp)
    def run_neg(self, interpreter: Interpreter, op: ops.NegOp, args: tuple[Fixed]):
        (x,) = args
        f = max(x.f, result_f(op.result))
        dtype = work_dtype(magnitude(value_interval(op.input), f))
        return (_finish(-mantissas_at(x, f, dtype), f, op.result),)

    @impl(ops.ShiftOp)
    def run_shift(self, interpreter: Interpreter, op: ops.ShiftOp, args: tuple[Fixed]):
        (x,) = args
        moved = Fixed(x.mantissas, x.f - op.amount.value.data)
        f = max(moved.f, result_f(op.result))
        dtype = work_dtype(magnitude(value_interval(op.result), f), magnitude(value_interval(op.input), x.f))
        return (_finish(mantissas_at(moved, f, dtype), f, op.result),)

    @impl(ops.ConstantOp)
    def run_constant(self, interpreter: Interpreter, op: ops.ConstantOp, args: tuple[()]):
        m, f = op.mantissa_and_f()
        f_r = result_f(op.result)
        value = m << (f_r - f) if f_r >= f else m >> (f - f_r)
        dtype = work_dtype(abs(value))
        return (Fixed(np.array([value], dtype=dtype), f_r),)

    @impl(ops.ReluOp)
    def run_relu(self, interpreter: Interpreter, op: ops.ReluOp, args: tuple[Fixed]):
        (x,) = args
        f = max(x.f, result_f(op.result))
        dtype = work_dtype(magnitude(value_interval(op.input), f))
        return (_finish(np.maximum(mantissas_at(x, f, dtype), 0), f, op.result),)

    @impl(ops.MaxOp)
    def run_max(self, interpreter: Interpreter, op: ops.MaxOp, args: tuple[Fixed, Fixed]):
        return (run_extremum(op, np.maximum, *args),)

    @impl(ops.MinOp)
    def run_min(self, interpreter: Interpreter, op: ops.MinOp, args: tuple[Fixed, Fixed]):
        return (run_extremum(op, np.minimum, *args),)

    @impl(ops.QuantizeOp)
    def run_quantize(self, interpreter: Interpreter, op: ops.QuantizeOp, args: tuple[Fixed]):
        (x,) = args
        fmt = op.target
        f = max(x.f, fmt.f)
        fmt_bounds = fmt.interval()
        dtype = work_dtype(magnitude(value_interval(op.input), f) + 1, magnitude(fmt_bounds, f) * 2 + 1,
                           magnitude(value_interval(op.result), result_f(op.result)))
        m = x.mantissas if x.mantissas.dtype == dtype else x.mantissas.astype(dtype)
        q = quantize(m, x.f, fmt, op.rounding.data, op.overflow.data)
        return (_finish(np.asarray(q).astype(dtype), fmt.f, op.result),)

    @impl(ops.LookupOp)
    def run_lookup(self, interpreter: Interpreter, op: ops.LookupOp, args: tuple[Fixed]):
        (x,) = args
        domain = op.domain_interval
        index = mantissas_at(x, domain.f, np.int64) - domain.lo
        entries = op.table.data.mantissas
        dtype = work_dtype(*(abs(e) for e in entries), magnitude(value_interval(op.result), result_f(op.result)))
        table = np.array(entries, dtype=dtype) if dtype is np.int64 else _object_array(entries)
        return (_finish(table[index], op.table.data.f, op.result),)


def run_shifted_binary(op: ops.ShiftedBinaryOp, a: Fixed, b: Fixed) -> Fixed:
    """``a ± b * 2**shift`` at a resolution both terms are exact at."""
    moved = Fixed(b.mantissas, b.f - op.amount)
    f = max(a.f, moved.f, result_f(op.result))
    dtype = work_dtype(magnitude(value_interval(op.lhs), f) + magnitude(value_interval(op.rhs).shift(op.amount), f))
    pa, pb = mantissas_at(a, f, dtype), mantissas_at(moved, f, dtype)
    return _finish(pa + pb if op.SIGN > 0 else pa - pb, f, op.result)


def run_ternary_add(op: ops.TernaryAddOp, args: Sequence[Fixed]) -> Fixed:
    """``sum_i sign_i * x_i * 2**shift_i`` at a resolution every term is exact at."""
    moved = [Fixed(x.mantissas, x.f - s) for x, s in zip(args, op.term_shifts)]
    f = max(*(m.f for m in moved), result_f(op.result))
    dtype = work_dtype(sum(magnitude(value_interval(t).shift(s), f) for t, s in zip(op.terms, op.term_shifts)))
    total = None
    for m, sign in zip(moved, op.term_signs):
        term = mantissas_at(m, f, dtype)
        total = (term if sign > 0 else -term) if total is None else (total + term if sign > 0 else total - term)
    return _finish(total, f, op.result)


def run_extremum(op: ops.ExtremumOp, pick, a: Fixed, b: Fixed) -> Fixed:
    f = max(a.f, b.f, result_f(op.result))
    dtype = work_dtype(magnitude(value_interval(op.lhs), f), magnitude(value_interval(op.rhs), f))
    return _finish(pick(mantissas_at(a, f, dtype), mantissas_at(b, f, dtype)), f, op.result)


def run_matrix(op: ops.MatrixLikeOp, args: Sequence[Fixed]) -> tuple[Fixed, ...]:
    """``y_j = sum_i W[j][i] * 2**(r_j + c_i) * x_i``: one integer matmul per output
    resolution, the shifts folded into an effective integer matrix."""
    rows, (row_shifts, col_shifts) = op.matrix, op.shifts()
    n_out, n_in = len(rows), len(args)
    batch = max((a.mantissas.shape[0] for a in args), default=1)
    in_ivs = [value_interval(v) for v in op.inputs]
    effective: list[list[int]] = []
    f_work: list[int] = []
    for j, row in enumerate(rows):
        term_fs = [args[i].f - row_shifts[j] - col_shifts[i] for i in range(n_in) if row[i]]
        f = max(term_fs + [result_f(op.outputs[j])])
        f_work.append(f)
        effective.append([row[i] << (f - (args[i].f - row_shifts[j] - col_shifts[i])) if row[i] else 0
                          for i in range(n_in)])
    bound = max((sum(abs(e) * magnitude(in_ivs[i], args[i].f) for i, e in enumerate(r)) for r in effective),
                default=0)
    dtype = work_dtype(bound, *(magnitude(iv, a.f) for iv, a in zip(in_ivs, args)))
    x = np.zeros((batch, n_in), dtype=dtype)
    for i, a in enumerate(args):
        x[:, i] = a.mantissas if a.mantissas.dtype == dtype else a.mantissas.astype(dtype)
    e = np.array(effective, dtype=dtype).reshape(n_out, n_in) if dtype is np.int64 else _object_array(effective, (n_out, n_in))
    y = x @ e.T
    return tuple(_finish(y[:, j], f_work[j], op.outputs[j]) for j in range(n_out))


def _object_array(values, shape=None) -> np.ndarray:
    flat = [v for row in values for v in row] if shape is not None else list(values)
    out = np.empty(len(flat), dtype=object)
    out[:] = flat
    return out.reshape(shape) if shape is not None else out


# ------------------------------------------------------------------------- running


def to_argument(x: Fixed, arg_type: FxType, where: str) -> Fixed:
    """Bring an input to its argument type's resolution, checking that it fits the type."""
    iv = arg_type.interval
    m = np.asarray(x.mantissas)
    if m.ndim != 1:
        raise ValueError(f"{where}: expected a batch of scalars (shape (batch,)), got shape {m.shape}")
    m = m.astype(object) if m.dtype == object else m.astype(np.int64)
    if x.f > iv.f:
        if np.any(m % (1 << (x.f - iv.f))):
            raise ValueError(f"{where}: a value is finer than the resolution of {arg_type.data}")
        m = m >> (x.f - iv.f)
    elif x.f < iv.f:
        m = m.astype(object) << (iv.f - x.f)
    if m.size and (np.min(m) < iv.lo or np.max(m) > iv.hi):
        raise ValueError(f"{where}: a value lies outside {arg_type.data}")
    dtype = work_dtype(magnitude(iv, iv.f))
    return Fixed(m.astype(dtype), iv.f)


def make_interpreter(module: builtin.ModuleOp) -> Interpreter:
    interpreter = Interpreter(module)
    interpreter.register_implementations(CmvmFunctions())
    interpreter.register_implementations(FuncFunctions())
    return interpreter


def run_function(module: builtin.ModuleOp, inputs: Sequence[Fixed], name: str | None = None) -> list[Fixed]:
    """Run one function of ``module`` on a batch of exact scalar inputs; returns its results,
    each with mantissas of shape (batch,) at the resolution of its result type."""
    function = find_function(module, name)
    arg_types = function.function_type.inputs.data
    if len(inputs) != len(arg_types):
        raise ValueError(f"@{function.sym_name.data} takes {len(arg_types)} inputs, got {len(inputs)}")
    args = tuple(to_argument(x, t, f"input {i} of @{function.sym_name.data}")
                 for i, (x, t) in enumerate(zip(inputs, arg_types)))
    batch = max((a.mantissas.shape[0] for a in args), default=1)
    results = make_interpreter(module).call_op(function, args)
    return [Fixed(np.broadcast_to(r.mantissas, (batch,)), r.f) for r in results]


def run_integers(module: builtin.ModuleOp, x: np.ndarray, name: str | None = None) -> list[Fixed]:
    """Run on integer inputs ``x`` of shape (batch, n_in), each worth its mantissa (f = 0)."""
    x = np.asarray(x)
    return run_function(module, [Fixed(x[:, i], 0) for i in range(x.shape[1])], name)
