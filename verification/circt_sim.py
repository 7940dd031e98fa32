"""CIRCT as a second opinion: our ``-t circt`` text, parsed and exported to Verilog by
CIRCT itself (the ``circt`` wheel on PyPI: Python bindings with firtool built in), then
simulated in Verilator.

``circt_verilog(text)`` parses the text with ``circt.ir.Module.parse`` (which verifies
it), runs ``lower-seq-to-sv`` (``seq.compreg`` becomes an ``sv`` register in an
``always_ff``) and returns what ``circt.export_verilog`` writes.
``simulate_circt(module, inputs)`` runs an rtl module through that Verilog, with the
same contract as the rtl interpreter's ``simulate``.

A missing wheel raises CompileError saying what to install.
"""

from __future__ import annotations

import io

import numpy as np
from xdsl.dialects import builtin

from ..backends.circt import print_circt
from .verilator_sim import simulate_verilog
from ..dialects import rtl
from ..errors import CompileError
from ..interpreters.rtl import single_module

CIRCT_PASSES = "builtin.module(lower-seq-to-sv)"
"""What export_verilog needs first: seq registers as sv.reg and always_ff."""


def circt_available() -> bool:
    try:
        import circt  # noqa: F401
    except ImportError:
        return False
    return True


def circt_verilog(text: str) -> str:
    """CIRCT's Verilog for the hw/comb/seq ``text``; CIRCT's own complaints (a parse or
    verifier error) raise CompileError."""
    try:
        import circt
        from circt.ir import Context, Module
        from circt.passmanager import PassManager
    except ImportError as error:
        raise CompileError("circt export", "the circt wheel is not installed "
                           "(pip install circt, or the project's [circt] extra)") from error
    with Context() as ctx:
        circt.register_dialects(ctx)
        diagnostics: list[str] = []

        def collect(diagnostic) -> bool:
            diagnostics.append(f"{diagnostic.location}: {diagnostic.message}")
            return True

        handler = ctx.attach_diagnostic_handler(collect)
        try:
            module = Module.parse(text)
            PassManager.parse(CIRCT_PASSES).run(module.operation)
            verilog = io.StringIO()
            circt.export_verilog(module, verilog)
        except Exception as error:  # the bindings raise plain exceptions on bad IR
            raise CompileError("circt export", "\n".join(diagnostics) or str(error)) from error
        finally:
            handler.detach()
    return verilog.getvalue()


def simulate_circt(module: rtl.ModuleOp | builtin.ModuleOp, inputs: np.ndarray) -> np.ndarray:
    """Run a batch through CIRCT's Verilog of the module's ``-t circt`` text, in
    Verilator, one vector per clock (see ``interpreters.rtl.simulate``)."""
    module = single_module(module)
    text = print_circt(builtin.ModuleOp([module.clone()]))
    return simulate_verilog(module, inputs, verilog=circt_verilog(text))
