"""Whole-program checks the driver runs on parsed IR before any pass: what xDSL's
verifiers leave out and this project's passes assume.

- top-level symbol names are unique (checked before xDSL's verifier, which does not
  say where);
- every ``func.func`` has a body of exactly one block (no declarations, no control flow);
- every value is defined before it is used (SSA dominance in a single block);
- every ``func.call`` names a function of the module, calls form no cycle (recursion
  has no hardware meaning), and chains of calls are at most ``MAX_CALL_DEPTH`` deep.

Each error names the op by its file:line:col (or the function by its symbol).
"""

from __future__ import annotations

from xdsl.dialects import func
from xdsl.dialects.builtin import FileLineColLoc, ModuleOp, StringAttr, SymbolRefAttr
from xdsl.ir import Operation, OpResult

from ..errors import CompileError

MAX_CALL_DEPTH = 200
"""Longest chain of nested calls: networks call kernel functions one or two levels deep."""


def where(op: Operation, filename: str = "") -> str:
    """An op's source location as file:line:col, else its name (after ``filename``)."""
    loc = op.location
    if isinstance(loc, FileLineColLoc):
        return f"{loc.filename.data}:{loc.line.data}:{loc.column.data}: {op.name}"
    return f"{filename}: {op.name}" if filename else op.name


def check_program(module: ModuleOp) -> None:
    functions = {f.sym_name.data: f for f in module.walk()
                 if isinstance(f, func.FuncOp) and isinstance(f.properties.get("sym_name"), StringAttr)}
    for name, function in functions.items():
        blocks = len(function.body.blocks)
        if blocks != 1:
            what = "is a declaration without a body" if blocks == 0 else \
                f"has {blocks} blocks; a function here is one block (no control flow)"
            raise CompileError(f"{where(function)} @{name}", what)
        _check_defined_before_use(function)
    _check_call_graph(functions)


def check_unique_symbols(module: ModuleOp) -> None:
    """Two top-level ops with the same symbol name: an error at the second one (xDSL's
    own message has no location)."""
    seen: set[str] = set()
    for op in module.ops:
        name = op.properties.get("sym_name") or op.attributes.get("sym_name")
        if isinstance(name, StringAttr):
            if name.data in seen:
                raise CompileError(where(op), f"redefines the symbol @{name.data}")
            seen.add(name.data)


def _check_defined_before_use(function: func.FuncOp) -> None:
    position = {op: index for index, op in enumerate(function.walk())}
    for op, index in position.items():
        for operand in op.operands:
            if isinstance(operand, OpResult) and position.get(operand.op, -1) >= index:
                raise CompileError(where(op), f"uses %{operand.name_hint or '?'} before it is defined")


def _check_call_graph(functions: dict[str, func.FuncOp]) -> None:
    calls: dict[str, list[tuple[str, Operation]]] = {}
    for name, function in functions.items():
        calls[name] = []
        for op in function.walk():
            if isinstance(op, func.CallOp) and isinstance(op.properties.get("callee"), SymbolRefAttr):
                callee = op.callee.string_value()
                if callee not in functions:
                    raise CompileError(where(op), f"calls @{callee}, which is not a function of the module")
                calls[name].append((callee, op))
    depth: dict[str, int] = {}  # longest call chain below each function, once known
    for root in functions:
        if root in depth:
            continue
        path, on_path = [(root, iter(calls[root]))], {root}
        while path:
            name, pending = path[-1]
            step = next(pending, None)
            if step is None:
                path.pop()
                on_path.discard(name)
                depth[name] = 1 + max((depth[c] for c, _ in calls[name]), default=0)
                if depth[name] > MAX_CALL_DEPTH:
                    raise CompileError(f"{where(functions[name])} @{name}", f"starts a chain of {depth[name]} nested calls; "
                                                   f"the limit is {MAX_CALL_DEPTH}")
                continue
            callee, op = step
            if callee in on_path:
                raise CompileError(where(op), f"calls @{callee} recursively; recursion has no hardware form")
            if callee not in depth:
                path.append((callee, iter(calls[callee])))
                on_path.add(callee)
