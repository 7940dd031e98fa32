"""Replay an imported fixedpoint network through da4ml's tracing API.

da4ml (0.6.0, the ``bench`` extra) builds its hardware by tracing numpy code over symbolic
fixed-point variables: ``x @ W`` with a constant ``W`` runs its CMVM solver, ``quantize``
and ``relu`` insert its quantizers, and ``comb_trace`` collects the result as a
``CombLogic`` that it can evaluate (``CombLogic.predict``) and print as Verilog.  This
module walks the function of our ``fixedpoint`` IR (after import, before any of our
passes) and performs each op with da4ml's operations, so da4ml sees exactly the quantized
weights, biases and quantizers that our compiler sees:

    traced = trace(design.network)
    traced.logic                      # da4ml's CombLogic
    traced.evaluate(inputs)           # [Fixed], by da4ml's own interpreter
    traced.verilog("model")           # its combinational Verilog (+ helper modules)

Convolutions and pools become im2col gathers and per-position ``x @ W`` / maxima / sums,
a ``lookup`` one da4ml table per element.  What da4ml's tracer cannot express exactly (a
``threshold``, a constant that float32/float64 cannot hold, a wrap
that da4ml 0.6.0 gets wrong, see ``_checked_quantize``) raises ``Untraceable``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import numpy as np
from xdsl.dialects import builtin, func
from xdsl.ir import SSAValue

from fpga_opt.dialects.fixedpoint import nn_ops as nn
from fpga_opt.dialects.fixedpoint import ops as fp
from fpga_opt.dialects.fixedpoint.types import FixedTensorType
from fpga_opt.interpreters.fixedpoint import Fixed, find_function
from fpga_opt.numerics import Overflow, Rounding, quantize

from da4ml.codegen.rtl.verilog import comb_logic_gen, table_mem_gen
from da4ml.trace import FixedVariable, FixedVariableArray, HWConfig, comb_trace
from da4ml.trace.fixed_variable import _const_f
from da4ml.types import CombLogic, minimal_kif

HW_CONFIG = HWConfig(1, -1, -1)  # da4ml's default: unit adder cost, no pipelining
"""da4ml's cost model: adder_size 1, carry_size -1, no latency cutoff (combinational)."""

_VERILOG_HELPERS = Path(comb_logic_gen.__code__.co_filename).parent / "source"


class Untraceable(Exception):
    """The network holds something da4ml's tracer cannot express exactly."""


@dataclass
class Traced:
    """da4ml's combinational logic for one function, with our port layout."""

    logic: CombLogic
    output_fs: list[int]  # the resolution of each of our results (for exact comparison)
    output_shapes: list[tuple[int, ...]]

    @property
    def widest(self) -> int:
        """The widest value in da4ml's logic, in bits."""
        return max((sum(minimal_kif(op.qint)) for op in self.logic.ops), default=0)

    @property
    def evaluator(self) -> str:
        """Which of da4ml's interpreters ``evaluate`` uses.  Its compiled DAIS interpreter
        (``CombLogic.predict``) computes wrong values for the jet tagger at 28-bit inputs
        (37-bit sums) while its Python ``CombLogic.__call__`` (float64, exact to 53 bits)
        agrees with us; logic with values wider than 32 bits therefore runs in the latter."""
        return "predict" if self.widest <= 32 else "__call__"

    def evaluate(self, inputs: Sequence[Fixed]) -> list[Fixed]:
        """Our function's results for ``inputs``, computed by da4ml's own interpreter."""
        batch = inputs[0].mantissas.shape[0]
        columns = [_exact_floats(x.mantissas.reshape(batch, -1), x.f) for x in inputs]
        flat = np.concatenate(columns, axis=1).astype(np.float64)
        if self.widest > 53:
            raise Untraceable(f"da4ml's interpreters cannot hold its {self.widest}-bit values")
        if self.evaluator == "predict":
            raw = self.logic.predict(flat)
        else:
            raw = np.array([[float(v) for v in self.logic(row)] for row in flat])
        raw = np.asarray(raw, dtype=np.float64).reshape(batch, -1)
        outputs, position = [], 0
        for shape, f in zip(self.output_shapes, self.output_fs):
            size = int(np.prod(shape, dtype=np.int64))
            scaled = raw[:, position:position + size] * 2.0**f
            if not np.all(scaled == np.round(scaled)):
                raise AssertionError(f"da4ml produced a value finer than 2^-{f}")
            mantissas = np.array([[int(v) for v in row] for row in scaled], dtype=object)
            outputs.append(Fixed(mantissas.reshape((batch,) + shape), f))
            position += size
        return outputs

    def adders(self) -> dict[str, int]:
        """Counts of the ops da4ml built: two-operand add/sub, constant additions, and the
        rest by kind."""
        kinds = {0: "add", 1: "sub", 4: "const_add", 2: "relu", -2: "relu", 3: "quantize",
                 -3: "quantize", 5: "const", 6: "mux", -6: "mux", 8: "lookup", 7: "mul"}
        counts: dict[str, int] = {}
        for op in self.logic.ops:
            kind = kinds.get(op.opcode, "input" if op.opcode == -1 else f"op{op.opcode}")
            counts[kind] = counts.get(kind, 0) + 1
        return counts

    def verilog(self, top: str) -> str:
        """The combinational module ``top`` and the helper modules it instantiates (da4ml's
        ``shift_adder``, ``negative``, ``mux``, ...)."""
        body = comb_logic_gen(self.logic, top)
        helpers = [path.read_text() for path in sorted(_VERILOG_HELPERS.glob("*.v"))
                   if f"{path.stem} #(" in body]
        return body + "\n" + "\n".join(helpers)

    def memory_files(self) -> dict[str, str]:
        """The ``$readmemh`` files of its lookup tables, by the name the Verilog opens."""
        return table_mem_gen(self.logic)


def _exact_floats(mantissas: np.ndarray, f: int) -> np.ndarray:
    values = np.vectorize(lambda m: float(m) * 2.0**-f, otypes=[np.float64])(mantissas)
    if mantissas.size and not all(int(v * 2.0**f) == m for v, m in zip(values.ravel(), mantissas.ravel())):
        raise Untraceable(f"an input value is too wide for da4ml's float64 interpreter (f={f})")
    return values


def _input_array(value: SSAValue, solver_options: dict) -> FixedVariableArray:
    """Symbolic inputs with exactly the value set of each element of ``value``'s type."""
    assert isinstance(value.type, FixedTensorType)
    intervals = value.type.interval_array()
    lo = np.vectorize(lambda iv: iv.lo * 2.0**-iv.f, otypes=[np.float64])(intervals)
    hi = np.vectorize(lambda iv: iv.hi * 2.0**-iv.f, otypes=[np.float64])(intervals)
    step = np.vectorize(lambda iv: 2.0**-iv.f, otypes=[np.float64])(intervals)
    return FixedVariableArray.from_lhs(lo, hi, step, HW_CONFIG, solver_options=solver_options)


def _constant(op: fp.ConstantOp, float32: bool) -> np.ndarray:
    return _exact(op.mantissas(), op.value.data.f, float32, op.name)


def _formats(op: fp.QuantizeOp) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    formats = op.formats()
    kif = [np.vectorize(lambda fmt, a=a: getattr(fmt, a), otypes=[np.int64])(formats) for a in "kif"]
    return kif[0], kif[1], kif[2]


def _half_to_even_offset(x: FixedVariableArray, f: np.ndarray) -> FixedVariableArray:
    """``x`` plus what makes truncation to ``f`` fractional bits round half to even, which
    da4ml's quantize lacks: with e the resolution of x and b its bit of weight 2^-f,
    ``floor(x + 2^-(f+1) - e + b*e)`` rounds to nearest and ties to the even neighbour.
    b is a one-bit wrap of x (wiring); the sum costs da4ml one adder per element."""
    out = np.empty(x.shape, dtype=object)
    for index, v in np.ndenumerate(x._vars):
        fk = int(f[index])
        half = Fraction(2) ** -(fk + 1)
        e = Fraction(v.step)
        if v.low == v.high or e > half:
            out[index] = v  # constants are folded exactly later; coarse values need no rounding
            continue
        bit = v.quantize(0, 1 - fk, fk, "WRAP", "TRN")
        out[index] = bit * float(e * Fraction(2) ** fk) + v + float(half - e)
    return FixedVariableArray(out, x.solver_options, hwconf=HW_CONFIG)


def _checked_quantize(op: fp.QuantizeOp, x: FixedVariableArray, y: FixedVariableArray):
    """da4ml's quantize result, with two of its 0.6.0 slips caught.  (Constants are
    quantized with the op's own rounding, round-half-to-even included.)

    A constant operand is quantized here, exactly (da4ml's constant path wraps unsigned
    formats modulo twice their range).  A WRAP of a possibly negative value into a wider
    unsigned format must keep the sign-extension bits (-2 -> 6 in fixed<0,3,0>); da4ml
    narrows the result to one bit above the operand's integer bits and drops them, which
    this adapter cannot repair, so it refuses the network.
    """
    out = y._vars.copy()
    formats = op.formats()
    for index, v in np.ndenumerate(x._vars):
        fmt = formats[index]
        if v.low == v.high:
            f_in = max(fmt.f, _const_f(v.low))
            m = int(Fraction(v.low) * 2**f_in)
            q = quantize(m, f_in, fmt, op.rounding.data, op.overflow.data)
            out[index] = FixedVariable.from_const(float(q) * 2.0**-fmt.f, HW_CONFIG)
            continue
        kept = y._vars[index].kif[1]
        if (op.overflow.data is Overflow.WRAP and fmt.k == 0 and v.low < 0
                and fmt.width > 0 and kept < fmt.i):
            raise Untraceable(
                f"da4ml 0.6.0 drops sign-extension bits when it wraps a signed value into "
                f"the wider unsigned {fmt} (element {list(index)} of '{op.name}')")
    return FixedVariableArray(out, y.solver_options, hwconf=HW_CONFIG)


def trace(network: builtin.ModuleOp, solver_options: dict | None = None) -> Traced:
    """Trace the public function of ``network`` with da4ml; see the module docstring."""
    function = find_function(network)
    options = dict(solver_options or {})
    env: dict[SSAValue, object] = {}
    inputs = []
    for arg in function.args:
        env[arg] = _input_array(arg, options)
        inputs.append(env[arg])
    dense_weights = {op.weight for op in function.walk() if isinstance(op, fp.DenseOp | nn.ConvOp)}
    results: list[SSAValue] = []
    for op in function.body.block.ops:
        if isinstance(op, func.ReturnOp):
            results = list(op.arguments)
            break
        env[op.results[0]] = _apply(op, env, float32=op.results[0] in dense_weights)
    outputs = [np.asarray(_raw(env[v])) for v in results]
    flat_in = [v for x in inputs for v in np.ravel(_raw(x))]
    flat_out = [v for y in outputs for v in np.ravel(y)]
    logic = comb_trace(flat_in, flat_out)
    output_fs = [max(iv.f for iv in v.type.interval_array().ravel()) for v in results]
    return Traced(logic, output_fs, [tuple(v.type.shape) for v in results])


def _conv(op: nn.ConvOp, x: FixedVariableArray, b: np.ndarray | None):
    """im2col, then one ``x @ W`` per group (da4ml solves each output position's CMVM on
    its own, as its tracer does for every row of a matmul)."""
    window = op.window()
    shape = x.shape
    lead = shape[: len(shape) - window.rank - 1]
    cols = op.grouped_columns(x._vars.reshape((-1,) + shape[len(lead):]), 0.0)  # (L, G, P, K)
    w_m, f_w = op.grouped_weight()
    weights = _exact(w_m, f_w, float32=True, what=op.name)
    n, groups, positions, k = cols.shape
    parts = [(FixedVariableArray(cols[:, g].reshape(-1, k), hwconf=HW_CONFIG) @ weights[g])._vars
             .reshape(n, positions, -1) for g in range(groups)]
    y = np.stack(parts, axis=1).transpose(0, 1, 3, 2).reshape(n, -1, positions)
    y = FixedVariableArray(y, hwconf=HW_CONFIG)
    if b is not None:
        y = y + b[None, :, None]
    return y.reshape(lead + (y.shape[1],) + window.output_shape(op.spatial_shape()))


def _pool(op: nn.PoolOp, x: FixedVariableArray):
    """Max over (or scale times the sum of) each window's taps inside the input."""
    window = op.window()
    rank = window.rank
    spatial = x.shape[len(x.shape) - rank:]
    flat = x._vars.reshape(x.shape[: len(x.shape) - rank] + (-1,))
    taps = window.gather_indices(spatial)  # (positions, taps), -1 = padding
    out = np.empty(flat.shape[:-1] + (len(taps),), dtype=object)
    scales = _exact(op.scales(), op.scale.data.f, False, op.name) if isinstance(op, nn.AvgPoolOp) else None
    for p, row in enumerate(taps):
        inside = [flat[..., t] for t in row if t >= 0]
        if scales is None:
            acc = inside[0]
            for v in inside[1:]:
                acc = np.vectorize(lambda a, c: a.max_of(c), otypes=[object])(acc, v)
        else:
            acc = sum(inside[1:], inside[0]) * scales[p]
        out[..., p] = acc
    return FixedVariableArray(out, hwconf=HW_CONFIG).reshape(op.results[0].type.shape)


def _lookup(op: nn.LookupOp, x: FixedVariableArray):
    """A da4ml lookup table per element, listing the step function over the element's
    whole value set (da4ml tables are indexed from the lowest value, step by step)."""
    values = _exact(op.values.array((len(op.values.data.mantissas),)), op.values.data.f,
                    False, op.name)
    out = np.empty(x.shape, dtype=object)
    for index, v in np.ndenumerate(x._vars):
        if v.low == v.high:
            f = _const_f(v.low)
            count = op.counts(np.array([int(Fraction(v.low) * 2**f)], dtype=object), f)[0]
            out[index] = FixedVariable.from_const(values[count], HW_CONFIG)
            continue
        f = -int(np.log2(float(v.step)))
        lo, hi = (int(Fraction(e) * 2**f) for e in (v.low, v.high))
        grid = np.arange(lo, hi + 1, dtype=object)
        out[index] = v.lookup(values[op.counts(grid, f)].astype(np.float64))
    return FixedVariableArray(out, hwconf=HW_CONFIG)


def _exact(m: np.ndarray, f: int, float32: bool, what: str) -> np.ndarray:
    """Constants ``m * 2**-f`` as floats; they must be exact (float32 where da4ml's CMVM
    solver casts its matrix)."""
    values = np.vectorize(lambda v: float(v) * 2.0**-f, otypes=[np.float64])(m)
    exact = values.astype(np.float32) if float32 else values
    if not all(Fraction(float(v)) * 2**f == int(w) for v, w in zip(exact.ravel(), m.ravel())):
        kind = "float32 (da4ml's CMVM solver)" if float32 else "float64"
        raise Untraceable(f"a constant of {what} does not fit {kind} exactly")
    return values


def _raw(x) -> np.ndarray:
    return x._vars if isinstance(x, FixedVariableArray) else np.asarray(x)


def _apply(op, env: dict, float32: bool):
    """One fixedpoint op, performed on da4ml symbolic arrays (or numpy constants)."""
    operand = [env[v] for v in op.operands]
    match op:
        case fp.ConstantOp():
            return _constant(op, float32)
        case fp.DenseOp():
            y = operand[0] @ operand[1]
            return y + operand[2] if op.bias is not None else y
        case fp.AddOp():
            return operand[0] + operand[1]
        case fp.SubOp():
            return operand[0] - operand[1]
        case fp.MulOp():
            return operand[0] * operand[1]
        case fp.MaxOp():
            return np.maximum(operand[0], operand[1])
        case fp.MinOp():
            # da4ml 0.6.0's min_of loses the sign of an operand that carries a negative
            # scale factor (np.minimum(-x, 2) traces to x for x >= -2); max_of does not.
            return -np.maximum(-operand[0], -operand[1])
        case fp.ReluOp():
            return operand[0].relu()
        case fp.QuantizeOp():
            k, i, f = _formats(op)
            x = operand[0]
            if not isinstance(x, FixedVariableArray):
                raise Untraceable("a quantizer of a constant (not produced by the importers)")
            if op.rounding.data is Rounding.RND_CONV:
                y = _half_to_even_offset(x, f).quantize(k, i, f, overflow_mode=str(op.overflow.data))
            else:
                y = x.quantize(k, i, f, overflow_mode=str(op.overflow.data),
                               round_mode=str(op.rounding.data))
            return _checked_quantize(op, x, y)
        case fp.ReshapeOp():
            return operand[0].reshape(op.results[0].type.shape)
        case fp.TransposeOp():
            return operand[0].transpose(op.perm())
        case fp.ConcatOp():
            return np.concatenate(operand, axis=op.axis.value.data)
        case nn.ConvOp():
            return _conv(op, operand[0], operand[2] if op.bias is not None else None)
        case nn.MaxPoolOp() | nn.AvgPoolOp():
            return _pool(op, operand[0])
        case nn.LookupOp():
            return _lookup(op, operand[0])
    raise Untraceable(f"'{op.name}' has no da4ml tracing equivalent here")


__all__ = ["Traced", "Untraceable", "trace"]
