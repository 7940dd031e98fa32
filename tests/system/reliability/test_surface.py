"""Only our own surface (issue 17, class 5): the driver offers this project's passes and
targets and xDSL's generic cse/canonicalize/dce, nothing that runs programs, reads other
files or prints for other hardware; port names are verified before any target prints,
even under --disable-verify."""

import pytest

from fpga_opt.registry import get_all_passes, get_all_targets
from fpga_opt.tools.driver import FpgaOptMain
from .hostile_inputs import one_line_error, run

RTL = """rtl.module @m(%a: i4 fixed<1,3,0>) -> (y: i4 fixed<1,3,0>) {
  rtl.output %a : i4
}
"""
INJECTED = ('"builtin.module"() ({\n  "rtl.module"() <{sym_name = "m", function_type = (i4) -> i4, '
            'input_names = ["a, input x); initial $system(\\"touch pwned\\"); //"], output_names = ["y"], '
            'input_formats = [#rtl.fixed<1,3,0>], output_formats = [#rtl.fixed<1,3,0>]}> ({\n'
            '  ^bb0(%a: i4):\n    "rtl.output"(%a) : (i4) -> ()\n  }) : () -> ()\n}) : () -> ()\n')


def test_the_offered_passes_and_targets():
    main = FpgaOptMain([])
    assert set(main.available_passes) == set(get_all_passes()) | {"cse", "canonicalize", "dce"}
    assert set(main.available_targets) == set(get_all_targets()) | {"mlir"}


@pytest.mark.parametrize("spec", ['mlir-opt{executable="touch"}',
                                  'apply-pdl{pdl_file="/etc/passwd"}', "convert-arith-to-riscv",
                                  "transform-interpreter"])
def test_foreign_passes_are_unknown(tmp_path, spec):
    (tmp_path / "in.mlir").write_text(RTL)
    outcome = run([str(tmp_path / "in.mlir"), "-p", spec], tmp_path)
    one_line_error(outcome, "-p '", "Unrecognized passes")
    assert not (tmp_path / "pwned").exists() and "root:" not in outcome.stderr


@pytest.mark.parametrize("target", ["csl", "wat", "wgsl", "llvm", "mps", "riscv-asm", "x86-asm", "arm-asm"])
def test_foreign_targets_are_unknown(tmp_path, target):
    (tmp_path / "in.mlir").write_text(RTL)
    outcome = run([str(tmp_path / "in.mlir"), "-t", target], tmp_path)
    assert outcome.code == 1 and f"unknown target '{target}'" in outcome.stderr and outcome.stdout == ""
    assert len(outcome.stderr.strip().splitlines()) == 1


def test_generic_passes_still_run(tmp_path):
    (tmp_path / "in.mlir").write_text(RTL)
    outcome = run([str(tmp_path / "in.mlir"), "-p", "cse,canonicalize,dce", "-t", "verilog"], tmp_path)
    assert outcome.code == 0 and "module m (" in outcome.stdout


@pytest.mark.parametrize("flags", [[], ["--disable-verify"]])
def test_port_names_are_verified_before_printing(tmp_path, flags):
    (tmp_path / "in.mlir").write_text(INJECTED)
    outcome = run([str(tmp_path / "in.mlir"), *flags, "-t", "verilog", "-o", str(tmp_path / "out.v")], tmp_path)
    one_line_error(outcome, "in.mlir:2:3: input name 'a, input x)", "is not a Verilog identifier")
    assert "$system" not in outcome.stdout and not (tmp_path / "out.v").exists()
