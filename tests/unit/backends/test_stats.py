"""The stats report (-t stats) and the Yosys synthesis report."""

import json
import shutil
import subprocess
import sys

import pytest
from xdsl.context import Context
from xdsl.parser import Parser

from fpga_opt.backends.stats import design_stats, estimated_luts, yosys_report
from fpga_opt.dialects import rtl
from fpga_opt.dialects.rtl import Rtl
from fpga_opt.errors import CompileError
from fpga_opt.transforms.rtl_pipeline import RtlPipeline

CHAIN = """rtl.module @chain(%a: i8 fixed<0,8,0>, %b: i8 fixed<0,8,0>, %c: i8 fixed<0,8,0>) -> (y: i8 fixed<0,8,0>, z: i8 fixed<0,8,0>) {
  %s = rtl.add %a, %b : i8
  %t = rtl.add %s, %c : i8
  %u = rtl.sub %t, %a : i8
  rtl.output %u, %s : i8, i8
}
"""


def parse(text):
    ctx = Context()
    ctx.load_dialect(Rtl)
    return Parser(ctx, text).parse_module()


def test_counts_and_timing_of_a_chain():
    module = parse(CHAIN)
    RtlPipeline(cutoff=1).apply(Context(), module)
    stats = design_stats(module)["chain"]
    assert stats["adders"] == 3 and stats["adder_bits"] == 24
    assert stats["luts"] == 24 and stats["carry4"] == 6
    # a delayed twice, c once, s twice (one shared with the output), t once: 6 x 8 bits.
    assert stats["ffs"] == 48
    assert stats["latency"] == 2
    assert stats["deepest_stage"] == {"adder_levels": 1, "carry_bits": 8}


def test_lut_model_of_each_op():
    module = parse(
        """rtl.module @m(%a: i9 fixed<1,8,0>, %i: i7 fixed<0,7,0>, %j: i3 fixed<0,3,0>) -> () {
          %e = rtl.icmp eq %a, %a : i9
          %l = rtl.icmp slt %a, %a : i9
          %m = rtl.mux %e, %a, %a : i9
          %r = rtl.rom %j [0, 1, 2, 3, 4, 5, 6, 7] : i3 -> i5
          %k = rtl.zext %i : i7 to i8
          rtl.output
        }"""
    )
    ops = {op.results[0].name_hint: op for op in module.body.block.first_op.body.block.ops if op.results}
    assert [estimated_luts(ops[n]) for n in "elmrk"] == [3, 9, 5, 3, 0]
    rom128 = rtl.RomOp(ops["k"].input, list(range(128)), 7)
    assert estimated_luts(rom128) == 14


def chain_report(tmp_path, cutoff: int, target: str) -> dict:
    """The driver's JSON report of CHAIN pipelined at ``cutoff``."""
    source = tmp_path / "chain.mlir"
    source.write_text(CHAIN)
    run = subprocess.run(
        [sys.executable, "-m", "fpga_opt.tools.driver", str(source), "-p",
         f"rtl-pipeline{{cutoff={cutoff}}}", "-t", target],
        capture_output=True, text=True,
    )
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)


def test_stats_target_prints_json(tmp_path):
    report = chain_report(tmp_path, 2, "stats")
    assert report["chain"]["latency"] == 1
    assert report["chain"]["deepest_stage"]["adder_levels"] == 2


@pytest.mark.skipif(shutil.which("yosys") is None, reason="yosys is not installed")
def test_yosys_agrees_with_the_estimate_on_adders_and_registers(tmp_path):
    report = chain_report(tmp_path, 1, "stats{yosys=true}")["chain"]
    measured = report["yosys"]
    assert measured["luts"] == report["luts"] == 24
    assert measured["carry4"] == report["carry4"]
    assert measured["ffs"] == report["ffs"]
    assert measured["cells"]["FDRE"] == measured["ffs"]


def test_yosys_missing_is_a_clear_error(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))
    module = parse(CHAIN)
    with pytest.raises(CompileError, match="yosys is not on PATH"):
        yosys_report(module.body.block.first_op)
