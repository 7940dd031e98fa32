"""Formal equivalence of two Verilog flavours of one rtl module: the generic Verilog
(``a + b - c``) against the Xilinx-primitive flavour (LUT6_2 + CARRY4 / CARRY8, with the
primitives' behavioural models of backends/xilinx_sim.v), proved for every input by
Yosys (miter) and ABC (``iprove``).  Registers are replaced by the values they hold
first (``verification.equivalence.combinational_view``), so pipelined modules are compared
as their combinational function.

    proved = prove_flavours_equal(hardware, "xc7")
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from .equivalence import combinational_view
from ..backends.verilog import emit_verilog
from ..backends.xilinx_primitives import simulation_models
from ..errors import CompileError


def _renamed(verilog: str, top: str, name: str) -> str:
    return verilog.replace(f"module {top} (", f"module {name} (", 1)


def prove_flavours_equal(hardware, arch: str, timeout: float = 600) -> bool:
    """True when the generic and ``arch`` Verilog of the rtl module agree on every input,
    False when ABC finds an input where they differ."""
    if shutil.which("yosys") is None or shutil.which("yosys-abc") is None:
        raise CompileError("flavour equivalence", "Yosys is not installed (apt-get install yosys)")
    flat = combinational_view(hardware)
    top = flat.sym_name.data
    with tempfile.TemporaryDirectory(prefix="fpga-opt-flavours-") as folder:
        Path(folder, "gold.v").write_text(_renamed(emit_verilog(flat), top, "gold"))
        Path(folder, "gate.v").write_text(_renamed(emit_verilog(flat, arch=arch), top, "gate") + simulation_models())
        script = ("read_verilog gold.v; read_verilog gate.v; hierarchy -check; proc; flatten; "
                  "miter -equiv -flatten gold gate miter; hierarchy -top miter; "
                  "opt; techmap; opt; aigmap; write_aiger miter.aig")
        build = subprocess.run(["yosys", "-q", "-p", script], cwd=folder, capture_output=True, text=True,
                               timeout=timeout)
        if build.returncode != 0:
            raise CompileError("flavour equivalence", f"Yosys could not build the miter:\n{build.stderr[-2000:]}")
        done = subprocess.run(["yosys-abc", "-c", "read_aiger miter.aig; iprove"], cwd=folder,
                              capture_output=True, text=True, timeout=timeout)
    log = done.stdout + done.stderr
    if "UNSATISFIABLE" in log:
        return True
    if "SATISFIABLE" in log:
        return False
    raise CompileError("flavour equivalence", f"the prover gave no verdict:\n{log[-2000:]}")
