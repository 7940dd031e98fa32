"""The bodies of a module's functions, for passes that rewrite each function on its own."""

from collections.abc import Iterator

from xdsl.dialects import func
from xdsl.dialects.builtin import ModuleOp
from xdsl.ir import Block


def function_bodies(module: ModuleOp) -> Iterator[Block]:
    """The body block of every function defined (not only declared) in ``module``."""
    for op in module.walk():
        if isinstance(op, func.FuncOp) and op.body.blocks:
            yield op.body.block
