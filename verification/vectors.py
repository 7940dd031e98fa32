"""Random input vectors for a hardware module: uniform mantissas over each port's range."""

from __future__ import annotations

import numpy as np

from xdsl.dialects import builtin

from ..dialects import rtl
from ..errors import CompileError
from ..interpreters.rtl import single_module


def module_and_batch(module: rtl.ModuleOp | builtin.ModuleOp,
                     inputs: np.ndarray) -> tuple[rtl.ModuleOp, np.ndarray]:
    """The one rtl module to simulate and its (batch, n_inputs) input array, checked as
    every simulator (Verilator, GHDL) takes them."""
    module = single_module(module)
    inputs = np.asarray(inputs)
    if inputs.ndim != 2 or inputs.shape[1] != len(module.inputs):
        raise CompileError(f"rtl.module @{module.sym_name.data}",
                           f"inputs must be (batch, {len(module.inputs)}), got {inputs.shape}")
    return module, inputs


def random_port_inputs(module: rtl.ModuleOp, batch: int, seed: int = 0) -> np.ndarray:
    """(batch, n_inputs) mantissas, column j uniform over input port j's format (its full
    range, both ends included); object dtype when a port is wider than 62 bits."""
    rng = np.random.default_rng(seed)
    formats = [fmt for _, _, fmt in module.inputs]
    wide = any(fmt.width > 62 for fmt in formats)
    columns = []
    for fmt in formats:
        lo, hi = fmt.interval().lo, fmt.interval().hi
        if fmt.width > 62:
            column = np.array([lo + int.from_bytes(rng.bytes(fmt.width // 8 + 1), "little")
                               % (hi - lo + 1) for _ in range(batch)], dtype=object)
        else:
            column = rng.integers(lo, hi, size=batch, endpoint=True, dtype=np.int64)
        columns.append(column.astype(object) if wide else column)
    result = np.empty((batch, len(formats)), dtype=object if wide else np.int64)
    for j, column in enumerate(columns):
        result[:, j] = column
    return result
