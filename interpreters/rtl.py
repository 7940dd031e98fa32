"""Bit-exact, cycle-accurate execution of ``rtl`` modules, vectorized with numpy.

A module runs on a *stream*: cycle t presents input vector t.  Every SSA value is an array
over the cycles holding its bits as an unsigned integer in [0, 2^N) -- numpy int64 where
N <= 62, Python-integer object arrays beyond.  Combinational ops act cycle by cycle (one
numpy operation over the whole stream); a register shifts its input stream by one cycle
(its value in cycle 0 is 0), which is exactly what a clocked register does to a
feed-forward circuit.  So an unbalanced pipeline gives the wrong answer here as it would
in hardware.  Long streams run in chunks of cycles (registers carry their last value from
one chunk to the next) and each value is freed after its last reader, so memory stays
bounded however many vectors are streamed.

Entry points:

- ``simulate(module, inputs)``: integer mantissas (batch, n_inputs) in the input ports'
  fixed-point formats -> mantissas (batch, n_outputs) in the output formats.  The batch is
  streamed one vector per cycle and each output is read ``latency`` cycles later.
- ``run_stream(module, columns)``: raw bit patterns per port and cycle, no alignment.
- ``to_bits`` / ``from_bits``: mantissa <-> bit pattern conversion for one port format.

The implementations are xDSL interpreter functions (``RtlFunctions``), so other
interpreters can call rtl modules through ``xdsl.interpreter``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from xdsl.dialects import builtin
from xdsl.interpreter import (
    Interpreter,
    InterpreterFunctions,
    ReturnedValues,
    impl,
    impl_callable,
    impl_terminator,
    register_impls,
)
from xdsl.ir import Block, Operation, SSAValue

from ..dialects import rtl
from ..dialects.rtl import width_of
from ..errors import CompileError
from ..numerics import Format

INT64_MAX_WIDTH = 62
"""Widest bit vector held in int64 (a sum of two such values still fits in 63 bits)."""


def _dtype(width: int) -> type:
    return np.int64 if width <= INT64_MAX_WIDTH else object


def _cast(values: np.ndarray, width: int) -> np.ndarray:
    """``values`` (already in [0, 2^width)) in the array type for ``width``."""
    dtype = _dtype(width)
    if values.dtype == dtype:
        return values
    return values.astype(dtype)


def _mask(width: int) -> int:
    return (1 << width) - 1


def _signed(values: np.ndarray, width: int) -> np.ndarray:
    """Two's-complement reading of ``width``-bit patterns."""
    return values - (((values >> (width - 1)) & 1) << width)


@register_impls
class RtlFunctions(InterpreterFunctions):
    """rtl semantics on streams of bit patterns, ``length`` cycles at a time.  A stream
    may be fed in consecutive pieces: each register keeps its last input for the next."""

    def __init__(self, length: int = 0):
        super().__init__()
        self.length = length
        self.register_state: dict[rtl.RegOp, Any] = {}

    @impl_callable(rtl.ModuleOp)
    def call_module(self, interpreter: Interpreter, op: rtl.ModuleOp, args: tuple[Any, ...]):
        return interpreter.run_ssacfg_region(op.body, args, op.sym_name.data)

    @impl_terminator(rtl.OutputOp)
    def run_output(self, interpreter: Interpreter, op: rtl.OutputOp, args: tuple[Any, ...]):
        return ReturnedValues(args), ()

    @impl(rtl.ConstantOp)
    def run_constant(self, interpreter: Interpreter, op: rtl.ConstantOp, args: tuple[Any, ...]):
        width = width_of(op.result)
        return (np.full(self.length, op.bits_value, dtype=_dtype(width)),)

    @impl(rtl.AddOp)
    def run_add(self, interpreter: Interpreter, op: rtl.AddOp, args: tuple[Any, ...]):
        return ((args[0] + args[1]) & _mask(width_of(op.result)),)

    @impl(rtl.SubOp)
    def run_sub(self, interpreter: Interpreter, op: rtl.SubOp, args: tuple[Any, ...]):
        return ((args[0] - args[1]) & _mask(width_of(op.result)),)

    @impl(rtl.TernaryAddOp)
    def run_add3(self, interpreter: Interpreter, op: rtl.TernaryAddOp, args: tuple[Any, ...]):
        width = width_of(op.result)
        total = args[0] if width < INT64_MAX_WIDTH else args[0].astype(object)  # no int64 overflow
        for value, negated in zip(args[1:], op.negated[1:]):
            total = total - value if negated else total + value
        return (_cast(total & _mask(width), width),)

    @impl(rtl.ExtractOp)
    def run_extract(self, interpreter: Interpreter, op: rtl.ExtractOp, args: tuple[Any, ...]):
        width = width_of(op.result)
        return (_cast((args[0] >> op.low) & _mask(width), width),)

    @impl(rtl.ConcatOp)
    def run_concat(self, interpreter: Interpreter, op: rtl.ConcatOp, args: tuple[Any, ...]):
        width = width_of(op.result)
        result = _cast(args[0], width)
        for value, operand in zip(args[1:], op.inputs[1:]):
            result = (result << width_of(operand)) | _cast(value, width)
        return (result,)

    @impl(rtl.ZExtOp)
    def run_zext(self, interpreter: Interpreter, op: rtl.ZExtOp, args: tuple[Any, ...]):
        return (_cast(args[0], width_of(op.result)),)

    @impl(rtl.SExtOp)
    def run_sext(self, interpreter: Interpreter, op: rtl.SExtOp, args: tuple[Any, ...]):
        old, new = width_of(op.input), width_of(op.result)
        value = _cast(args[0], new)
        fill = _mask(new) ^ _mask(old)
        return (np.where((value >> (old - 1)) & 1 == 1, value | fill, value),)

    @impl(rtl.ICmpOp)
    def run_icmp(self, interpreter: Interpreter, op: rtl.ICmpOp, args: tuple[Any, ...]):
        predicate = op.predicate.data
        a, b = args
        if predicate[0] == "s":
            width = width_of(op.lhs)
            a, b = _signed(a, width), _signed(b, width)
        compare = {
            "eq": np.equal,
            "ne": np.not_equal,
            "lt": np.less,
            "le": np.less_equal,
            "gt": np.greater,
            "ge": np.greater_equal,
        }[predicate.lstrip("su")]
        return (compare(a, b).astype(np.int64),)

    @impl(rtl.MuxOp)
    def run_mux(self, interpreter: Interpreter, op: rtl.MuxOp, args: tuple[Any, ...]):
        cond, on_true, on_false = args
        return (np.where(cond == 1, on_true, on_false),)

    @impl(rtl.RomOp)
    def run_rom(self, interpreter: Interpreter, op: rtl.RomOp, args: tuple[Any, ...]):
        width = width_of(op.result)
        mask = _mask(width)
        table = np.array([e & mask for e in op.entries], dtype=_dtype(width))
        return (table[args[0].astype(np.int64)],)

    @impl(rtl.RegOp)
    def run_reg(self, interpreter: Interpreter, op: rtl.RegOp, args: tuple[Any, ...]):
        (value,) = args
        delayed = np.empty_like(value)
        if len(value):
            delayed[0] = self.register_state.get(op, 0)
            delayed[1:] = value[:-1]
            self.register_state[op] = value[-1]
        return (delayed,)


CHUNK = 1 << 14
"""Cycles simulated at once: bounds memory to (live values) x CHUNK words."""


def _last_uses(block: Block) -> dict[Operation, list[SSAValue]]:
    """For each op, the values it is the last reader of (freed right after it runs)."""
    last: dict[SSAValue, Operation] = {}
    for op in block.ops:
        for operand in op.operands:
            last[operand] = op
    frees: dict[Operation, list[SSAValue]] = {}
    for value, op in last.items():
        frees.setdefault(op, []).append(value)
    return frees


def run_stream(
    module: rtl.ModuleOp, columns: Sequence[np.ndarray], chunk: int = CHUNK
) -> list[np.ndarray]:
    """Run ``module`` on input bit patterns, one array per input port over the cycles;
    returns one bit-pattern array per output port, cycle for cycle.  The stream is
    simulated ``chunk`` cycles at a time, each value freed after its last reader."""
    if len(columns) != len(module.block.args):
        raise CompileError(
            f"rtl.module @{module.sym_name.data}",
            f"expects {len(module.block.args)} inputs, got {len(columns)}",
        )
    length = len(columns[0]) if columns else 0
    inputs = [
        _cast(np.asarray(column), width_of(arg)) for column, arg in zip(columns, module.block.args)
    ]
    functions = RtlFunctions()
    interpreter = Interpreter(builtin.ModuleOp([]))
    interpreter.register_implementations(functions)
    frees = _last_uses(module.block)
    pieces: list[list[np.ndarray]] = [[] for _ in module.output_op.outputs]
    for start in range(0, max(length, 1), chunk):
        functions.length = min(chunk, length - start)
        values: dict[SSAValue, Any] = {
            arg: column[start : start + chunk] for arg, column in zip(module.block.args, inputs)
        }
        for op in module.block.ops:
            if isinstance(op, rtl.OutputOp):
                for piece, value in zip(pieces, op.outputs):
                    piece.append(values[value])
                break
            results = interpreter.run_op(op, tuple(values[v] for v in op.operands))
            values.update(zip(op.results, results))
            for value in frees.get(op, ()):
                del values[value]
    return [np.concatenate(piece) for piece in pieces]


def to_bits(values: np.ndarray, fmt: Format, where: str) -> np.ndarray:
    """Mantissas in ``fmt`` -> their ``fmt.width``-bit patterns; out-of-range values are an
    error, not silently wrapped."""
    values = np.asarray(values)
    if values.dtype != object and not np.issubdtype(values.dtype, np.integer):
        raise CompileError(where, f"inputs must be integer mantissas, got {values.dtype} values")
    if values.dtype == object and not all(isinstance(v, int | np.integer) for v in values.flat):
        raise CompileError(where, "inputs must be integer mantissas")
    lo, hi = fmt.interval().lo, fmt.interval().hi
    if values.size and (values.min() < lo or values.max() > hi):
        raise CompileError(where, f"input values must lie in [{lo}, {hi}] for {fmt}")
    return values.astype(_dtype(fmt.width)) & _mask(fmt.width)


def from_bits(patterns: np.ndarray, fmt: Format) -> np.ndarray:
    """``fmt.width``-bit patterns -> mantissas in ``fmt`` (two's complement when k=1)."""
    return _signed(patterns, fmt.width) if fmt.k else patterns


def single_module(module: rtl.ModuleOp | builtin.ModuleOp) -> rtl.ModuleOp:
    """The module itself, or the only rtl.module inside a builtin.module."""
    if isinstance(module, rtl.ModuleOp):
        return module
    found = [op for op in module.ops if isinstance(op, rtl.ModuleOp)]
    if len(found) != 1:
        raise CompileError("rtl interpreter", f"expected one rtl.module, found {len(found)}")
    return found[0]


def simulate(module: rtl.ModuleOp | builtin.ModuleOp, inputs: np.ndarray) -> np.ndarray:
    """Run a batch through ``module`` as a stream, one vector per clock cycle.

    ``inputs``: integer array (batch, n_inputs), each column a mantissa in its port's
    format (object dtype for ports wider than 62 bits).  Returns (batch, n_outputs)
    mantissas in the output formats: output row t is read ``latency`` cycles after input
    row t entered.  dtype int64 when every output fits, object otherwise.
    """
    module = single_module(module)
    where = f"rtl.module @{module.sym_name.data}"
    inputs = np.asarray(inputs)
    ports = module.inputs
    if inputs.ndim != 2 or inputs.shape[1] != len(ports):
        raise CompileError(where, f"inputs must be (batch, {len(ports)}), got {inputs.shape}")
    batch, latency = inputs.shape[0], module.latency_cycles
    columns = []
    for j, (name, _, fmt) in enumerate(ports):
        column = to_bits(inputs[:, j], fmt, f"{where} input '{name}'")
        flush = np.zeros(latency, dtype=column.dtype)
        columns.append(np.concatenate([column, flush]))
    streams = run_stream(module, columns)
    outputs = [
        from_bits(stream[latency : latency + batch], fmt)
        for stream, (_, _, fmt) in zip(streams, module.outputs)
    ]
    dtype = np.int64 if all(o.dtype == np.int64 for o in outputs) else object
    result = np.empty((batch, len(outputs)), dtype=dtype)
    for j, column in enumerate(outputs):
        result[:, j] = column
    return result
