"""Bit liveness: which bits of each value some output needs, and the stats built on it."""

from xdsl.context import Context
from xdsl.parser import Parser

from fpga_opt.backends.stats import module_stats
from fpga_opt.dialects.rtl import Rtl
from fpga_opt.dialects.rtl.liveness import distinct_register_bits, live_bits, live_operations

SOURCE = """rtl.module @m(%a: i8 fixed<1,7,0>, %b: i8 fixed<1,7,0>, %c: i1 fixed<0,1,0>) -> (y: i3 fixed<0,3,0>, z: i4 fixed<1,3,0>) clock "clk" {
  %s = rtl.add %a, %b : i8
  %hi = rtl.extract %s from 3 : i8 to i3
  %r = rtl.reg %hi : i3
  %w = rtl.sext %b : i8 to i12
  %lo = rtl.extract %w from 9 : i12 to i2
  %k = rtl.constant 0 : i2
  %cat = rtl.concat %lo, %k : i2, i2
  %m = rtl.mux %c, %cat, %cat : i4
  %dead = rtl.sub %a, %b : i8
  %dead_r = rtl.reg %dead : i8
  rtl.output %r, %m : i3, i4
}
"""


def module(source=SOURCE):
    ctx = Context()
    ctx.load_dialect(Rtl)
    return Parser(ctx, source).parse_module().body.block.first_op


def test_live_bits_flow_backwards_from_the_outputs():
    m = module()
    names = {v.name_hint: v for op in m.block.ops for v in op.results}
    args = {name: arg for name, arg, _ in m.inputs}
    live = live_bits(m)
    assert live[names["r"]] == 0b111
    assert live[names["hi"]] == 0b111
    assert live[names["s"]] == 0b111000
    # the adder needs every operand bit below its highest live bit (carries)
    assert live[args["a"]] & 0xFF == 0b111111
    # bits 9 and 10 of the 12-bit extension are copies of b's sign bit
    assert live[names["w"]] == 0b11000000000
    assert live[args["b"]] == 0b111111 | 0b10000000
    assert live[names["cat"]] == 0b1111 and live[args["c"]] == 1
    assert live.get(names["dead"], 0) == 0 and live.get(names["dead_r"], 0) == 0
    assert names["dead"].owner not in live_operations(m)


def test_stats_count_live_bits_only():
    stats = module_stats(module())
    assert stats["adders"] == 1  # the dead subtraction is not built
    assert stats["adder_bits"] == 6  # bits 0..5 of %s: the top two are never read
    assert stats["ffs"] == 3
    assert stats["muxes"] == 1
    assert stats["luts"] == 6 + 2  # the adder's 6 bits, the mux's 4 bits two per LUT


def test_registers_holding_the_same_signal_count_once():
    m = module(
        """rtl.module @m(%a: i4 fixed<1,3,0>, %b: i4 fixed<1,3,0>) -> (p: i4 fixed<1,3,0>, q: i6 fixed<1,5,0>, r: i2 fixed<0,2,0>, z: i3 fixed<0,3,0>) clock "clk" {
          %s = rtl.add %a, %b : i4
          %p = rtl.reg %s : i4
          %w = rtl.sext %s : i4 to i6
          %q = rtl.reg %w : i6
          %h = rtl.extract %s from 2 : i4 to i2
          %r = rtl.reg %h : i2
          %k = rtl.constant 0 : i2
          %c = rtl.concat %k, %b : i2, i4
          %e = rtl.extract %c from 3 : i6 to i3
          %z = rtl.reg %e : i3
          rtl.output %p, %q, %r, %z : i4, i6, i2, i3
        }"""
    )
    # %s's four bits once (in %p, %q, %r alike); %z holds b's top bit and two zeros.
    assert distinct_register_bits(m) == 4 + 1
    assert module_stats(m)["ffs"] == 5
