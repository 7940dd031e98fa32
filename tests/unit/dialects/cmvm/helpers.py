"""Building, transforming and running cmvm modules in tests."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from xdsl.dialects import func
from xdsl.dialects.builtin import ModuleOp
from xdsl.ir import Block, Region
from xdsl.parser import Parser
from xdsl.passes import PassPipeline

from fpga_opt.dialects.cmvm.ops import MatrixOp
from fpga_opt.dialects.cmvm.types import FxType
from fpga_opt.interpreters.cmvm import run_function
from fpga_opt.interpreters.fixedpoint import Fixed
from fpga_opt.numerics import Format
from fpga_opt.registry import get_all_passes, make_context


def parse(text: str) -> ModuleOp:
    module = Parser(make_context(), text).parse_module()
    module.verify()
    return module


def matrix_module(w, formats: Sequence[Format]) -> ModuleOp:
    """``func.func @main(x...) -> y...`` computing ``y = W x`` with one cmvm.matrix."""
    return chained_matrices_module([w], formats)


def chained_matrices_module(matrices, formats: Sequence[Format]) -> ModuleOp:
    """``func.func @main(x...) -> y...`` computing ``y = Wn ... W1 x``, one cmvm.matrix per
    W: each graph's outputs feed the next graph's adders."""
    block = Block(arg_types=[FxType(f) for f in formats])
    values = list(block.args)
    for w in matrices:
        op = MatrixOp(values, [[int(v) for v in row] for row in np.asarray(w, dtype=object)],
                      result_types=None)
        block.add_op(op)
        values = list(op.outputs)
    block.add_op(func.ReturnOp(*values))
    function = func.FuncOp("main", (block.arg_types, [v.type for v in values]), Region(block))
    module = ModuleOp([function])
    module.verify()
    return module


def apply(module: ModuleOp, pipeline: str) -> ModuleOp:
    """A transformed clone of ``module`` (pipeline: pass names with options, comma-separated)."""
    out = module.clone()
    PassPipeline.parse_spec(get_all_passes(), pipeline).apply(make_context(), out)
    out.verify()
    return out


def random_inputs(rng: np.random.Generator, formats: Sequence[Format], batch: int) -> np.ndarray:
    """Mantissas (batch, n_in) covering each format's extremes and random values."""
    cols = []
    for fmt in formats:
        iv = fmt.interval()
        lo, hi = iv.lo, iv.hi
        if hi - lo < (1 << 62):
            col = rng.integers(lo, hi, size=batch, endpoint=True).astype(object)
        else:
            col = np.array([int(v) for v in rng.integers(-(1 << 62), 1 << 62, size=batch)], dtype=object)
        col[: min(batch, 2)] = [lo, hi][: min(batch, 2)]
        cols.append(col)
    return np.stack(cols, axis=1) if cols else np.zeros((batch, 0), dtype=object)


def reference(w, formats: Sequence[Format], x: np.ndarray) -> list[tuple[np.ndarray, int]]:
    """Exact y = W x as (mantissas, f) per output, in Python ints."""
    w = np.asarray(w, dtype=object)
    f = max((fmt.f for fmt in formats), default=0)
    aligned = np.stack([x[:, i] * (1 << (f - fmt.f)) for i, fmt in enumerate(formats)], axis=1) if formats else x
    y = aligned.dot(w.T) if w.size else np.zeros((x.shape[0], w.shape[0]), dtype=object)
    return [(y[:, j], f) for j in range(w.shape[0])]


def run(module: ModuleOp, formats: Sequence[Format], x: np.ndarray) -> list[Fixed]:
    return run_function(module, [Fixed(x[:, i], fmt.f) for i, fmt in enumerate(formats)])


def same_values(result: Fixed, expected: tuple[np.ndarray, int]) -> bool:
    m, f = expected
    top = max(result.f, f)
    a = [int(v) << (top - result.f) for v in result.mantissas]
    b = [int(v) << (top - f) for v in m]
    return a == b
