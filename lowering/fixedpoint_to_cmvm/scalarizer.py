"""The scalarizer of fixedpoint-to-cmvm: one function's tensors as arrays of scalar
``!cmvm.fx`` values, and the helpers every op lowering uses (constants, matrices, kernels
shared by the positions a layer applies the same weights at)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from xdsl.builder import Builder
from xdsl.dialects import builtin, func
from xdsl.ir import Block, Operation, Region, SSAValue

from ...dialects.cmvm import ops as cmvm
from ...dialects.cmvm.types import FxType, value_interval
from ...dialects.fixedpoint import ops as fp
from ...numerics import hull_of

Lowering = Callable[["Scalarizer", Operation], np.ndarray]
"""Turns one fixedpoint op into the array of scalar values of its result."""


@dataclass
class Scalarizer:
    """Rewrites one function; ``values`` maps each tensor to its array of scalars."""

    module: builtin.ModuleOp
    builder: Builder
    values: dict[SSAValue, np.ndarray] = field(default_factory=dict)
    kernel_count: int = 0

    def scalars(self, value: SSAValue) -> np.ndarray:
        if isinstance(value.owner, fp.ConstantOp):  # emitted where it is read as a tensor
            return constant_tensor(self, value)
        return self.values[value]

    def emit(self, op: Operation) -> Operation:
        self.builder.insert(op)
        return op

    def constant(self, m: int, f: int) -> SSAValue:
        return self.emit(cmvm.ConstantOp(int(m), -f)).results[0]

    def matrix(self, inputs: list[SSAValue], w: np.ndarray, shift: int) -> list[SSAValue]:
        """``y = 2**shift * w @ inputs`` for an integer (n_out x n_in) matrix w."""
        n_out = w.shape[0]
        if not inputs:
            return [self.constant(0, 0) for _ in range(n_out)]
        op = self.emit(cmvm.MatrixOp(inputs, w.tolist(), [shift] * n_out, [0] * len(inputs)))
        return list(op.results)

    def shared_matrix(self, rows: np.ndarray, w: np.ndarray, shift: int) -> np.ndarray:
        """Apply one matrix to every row of ``rows`` (positions x n_in scalars).

        Inputs that are the constant 0 (a convolution's padding) drop out with their
        columns of w, so the rows fall into groups by the inputs they really have (a 3x3
        window with padding: the interior, four edges and four corners).  A group of one
        row gets its matrix inline; a larger group shares one kernel function, called
        once per row, whose arguments hold every row's range.
        """
        present = np.array([[not is_zero(v) for v in row] for row in rows], dtype=bool).reshape(rows.shape)
        out = np.empty((rows.shape[0], w.shape[0]), dtype=object)
        groups: dict[bytes, list[int]] = {}
        for r in range(rows.shape[0]):
            groups.setdefault(present[r].tobytes(), []).append(r)
        for members in groups.values():
            columns = present[members[0]]
            part, wp = rows[np.ix_(members, np.flatnonzero(columns))], w[:, columns]
            if len(members) == 1 or not columns.any():
                for r, row in zip(members, part):
                    out[r] = self.matrix(list(row), wp, shift)
                continue
            kernel = self.kernel_function(part, wp, shift)
            param_types = kernel.function_type.inputs.data
            for r, row in zip(members, part):
                args = [self.widen(v, t) for v, t in zip(row, param_types)]
                call = self.emit(func.CallOp(kernel.sym_name.data, args, kernel.function_type.outputs.data))
                out[r] = list(call.results)
        return out

    def widen(self, value: SSAValue, wider: FxType) -> SSAValue:
        """``value`` as a value of the (containing) type ``wider``: wiring, no logic."""
        if value.type == wider:
            return value
        return self.emit(cmvm.ShiftOp(value, 0, wider)).results[0]

    def kernel_function(self, rows: np.ndarray, w: np.ndarray, shift: int) -> func.FuncOp:
        param_types = [common_type(rows[:, i]) for i in range(rows.shape[1])]
        block = Block(arg_types=param_types)
        op = cmvm.MatrixOp(list(block.args), w.tolist(), [shift] * w.shape[0], [0] * len(param_types))
        block.add_ops([op, func.ReturnOp(*op.results)])
        name = f"kernel_{self.kernel_count}"
        self.kernel_count += 1
        kernel = func.FuncOp(name, (param_types, list(op.results.types)), Region(block),
                             visibility="private")
        self.module.body.block.add_op(kernel)
        return kernel


def is_zero(value: SSAValue) -> bool:
    return isinstance(value.owner, cmvm.ConstantOp) and value.owner.value.data == 0


def common_type(values: np.ndarray) -> FxType:
    """The type of every value if they share one, else the hull of their intervals."""
    types = {v.type for v in values}
    if len(types) == 1:
        return types.pop()
    return FxType(hull_of([value_interval(v) for v in values]))


def elementwise(s: Scalarizer, fn, *arrays: np.ndarray) -> np.ndarray:
    out = np.empty(arrays[0].shape, dtype=object)
    flat = [a.ravel() for a in arrays]
    out_flat = out.reshape(-1)
    for index in range(out.size):
        out_flat[index] = s.emit(fn(*(a[index] for a in flat))).results[0]
    return out


def constant_tensor(s: Scalarizer, value: SSAValue) -> np.ndarray:
    owner = value.owner
    assert isinstance(owner, fp.ConstantOp)
    f = owner.value.data.f
    return np.frompyfunc(lambda m: s.constant(m, f), 1, 1)(owner.mantissas())
