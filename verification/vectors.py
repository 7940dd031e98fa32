"""Random input vectors for a hardware module: uniform mantissas over each port's range."""

from __future__ import annotations

import numpy as np

from ..dialects import rtl


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
