"""The Verilog target: lint-clean under Verilator -Wall for random designs, combinational
and pipelined, and for wide ports; the driver's -t verilog; errors without tracebacks."""

import subprocess
import sys

import pytest
from xdsl.context import Context

from fpga_opt.backends.verilog import emit_verilog
from fpga_opt.dialects import rtl
from fpga_opt.errors import CompileError
from fpga_opt.numerics import Format
from fpga_opt.transforms.rtl_pipeline import RtlPipeline

from .verilator_lint import lint
from ..dialects.rtl.rtl_random import random_design


def designs():
    for seed in range(4):
        yield f"comb{seed}", random_design(seed, batch=8).module
    for seed, cutoff in [(4, 1), (5, 2), (6, 3)]:
        module = random_design(seed, batch=8).module
        RtlPipeline(cutoff=cutoff).apply(Context(), module)
        yield f"pipe{seed}-{cutoff}", module
    yield "wide", random_design(7, batch=8, wide=True, nonlinear=False).module


@pytest.mark.verilator
@pytest.mark.parametrize("name, module", list(designs()), ids=lambda v: v if isinstance(v, str) else "")
def test_emitted_verilog_lints_clean(name, module, tmp_path):
    m = module.body.block.first_op
    assert lint(m, tmp_path) == ""


def test_ports_carry_their_formats_and_the_clock():
    module = random_design(4, batch=8).module
    RtlPipeline(cutoff=1).apply(Context(), module)
    m = module.body.block.first_op
    text = emit_verilog(module)
    assert f"module {m.sym_name.data} (" in text
    assert "input  wire clk" in text and "always @(posedge clk) begin" in text
    for name, value, fmt in [*m.inputs, *m.outputs]:
        width = value.type.width.data
        assert f"wire [{width - 1}:0] {name}" in text or f"wire {name}" in text
        line = next(line for line in text.splitlines() if f" {name}" in line and "//" in line)
        assert line.endswith(f"// {fmt}")


def test_every_module_is_printed():
    inputs = [("a", 4, Format(1, 3, 0))]
    first = rtl.ModuleOp("first", inputs, [])
    second = rtl.ModuleOp("second", inputs, [])
    for m in (first, second):
        m.body.block.add_op(rtl.OutputOp([]))
    from xdsl.dialects.builtin import ModuleOp

    text = emit_verilog(ModuleOp([first, second]))
    assert text.count("endmodule") == 2 and "module first (" in text and "module second (" in text


def test_no_rtl_module_or_other_ops_are_user_errors():
    from xdsl.dialects.builtin import ModuleOp
    from xdsl.dialects.test import TestOp

    with pytest.raises(CompileError, match="holds no rtl.module"):
        emit_verilog(ModuleOp([]))
    with pytest.raises(CompileError, match="only rtl.module can be printed as Verilog, found test.op"):
        emit_verilog(ModuleOp([TestOp()]))


def test_driver_prints_verilog_and_reports_errors(tmp_path):
    source = tmp_path / "m.mlir"
    source.write_text(
        'rtl.module @m(%a: i4 fixed<1,3,0>) -> (y: i4 fixed<1,3,0>) {\n'
        "  rtl.output %a : i4\n}\n"
    )
    driver = [sys.executable, "-m", "fpga_opt.tools.driver"]
    run = subprocess.run([*driver, str(source), "-t", "verilog"], capture_output=True, text=True)
    assert run.returncode == 0 and "assign y = a;" in run.stdout
    source.write_text("builtin.module {}\n")
    run = subprocess.run([*driver, str(source), "-t", "verilog"], capture_output=True, text=True)
    assert run.returncode == 1
    assert run.stderr.strip() == "fpga-opt: error: verilog target: the input holds no rtl.module"
