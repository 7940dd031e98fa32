"""The area model of rtl logic: LUTs per operation on a Xilinx 7-series / UltraScale
device, shared by the stats report and the passes that weigh alternatives by it (tables
against comparators, packed LUTs against adders).

The estimate model, for Xilinx 7-series (6-input LUTs, CARRY4 chains):

- add / sub of w bits: w LUTs (one per bit, feeding the carry chain), ceil(w/4) CARRY4;
- add3 (three-input adder) of w bits: also w LUTs and ceil(w/4) CARRY4, as the device
  maps it: one LUT6_2 per bit computes the three-input sum bit and the carry-save bit
  passed to the next (backends/xilinx_primitives.py; Yosys sees that with ``--arch xc7``,
  while it maps the generic ``a + b + c`` as two adders, 2w LUTs);
- icmp of w bits: ordered predicates are a subtraction on the carry chain, w LUTs;
  eq / ne compare three bit pairs per LUT, ceil(w/3) LUTs;
- mux of w bits: a 2:1 mux bit is a LUT3, two share one LUT6_2, ceil(w/2) LUTs;
- rom with an a-bit index and w output bits: a <= 5 packs two outputs per LUT6_2,
  ceil(w/2); a = 6 takes w LUTs; beyond, w * 2^(a-6) LUTs (the F7/F8 muxes are free);
- constant, extract, concat, sext, zext: wiring, no LUTs;
- registers: one flip-flop per distinct live bit (two registers holding the same signal,
  say a value and a slice of it, are merged by synthesis; constant bits are dropped).
"""

from __future__ import annotations

import math

from xdsl.ir import Operation

from . import combinational as comb
from .bitvectors import width_of


def estimated_luts(op: Operation, live: int | None = None) -> int:
    """7-series LUTs for one operation (see the module docstring for the model), built
    for the ``live`` result bits (default: all)."""
    if not op.results:
        return 0
    if live is None:
        live = (1 << width_of(op.results[0])) - 1
    kept = live.bit_count()
    match op:
        case comb.AddOp() | comb.SubOp() | comb.TernaryAddOp():
            # the low bits feed the carries of the live ones; a three-input adder also
            # takes one LUT6_2 per bit on the carry chain (backends/xilinx_primitives.py)
            return live.bit_length()
        case comb.ICmpOp():
            w = width_of(op.lhs) if live else 0
            return math.ceil(w / 3) if op.predicate.data in ("eq", "ne") else w
        case comb.MuxOp():
            return math.ceil(kept / 2)
        case comb.RomOp():
            return rom_luts(width_of(op.index), kept)
    return 0


def rom_luts(index_bits: int, output_bits: int) -> int:
    """7-series LUTs of a ROM (the model above); also what lowering weighs tables by."""
    a = index_bits
    return math.ceil(output_bits / 2) if a <= 5 else output_bits << (a - 6)
