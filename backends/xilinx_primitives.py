"""Three-input adders as Xilinx primitives: the ``xc7`` (CARRY4) and ``xcu`` (CARRY8)
flavours of the Verilog target print ``rtl.add3`` as LUT6_2 + carry-chain instances, so
that synthesis (Yosys ``synth_xilinx`` as much as Vivado) counts one LUT per bit.

The mapping (the usual ternary adder of 7-series / UltraScale): for each bit i one
LUT6_2 takes ``a_i, b_i, c_i`` (a subtracted operand enters inverted, folded into the
LUT's INIT) and ``k_(i-1)``, the carry-save bit of the bit below, on I0..I3, with I5 tied
high so that both outputs are used:

    O5 = k_i = majority(a_i, b_i, c_i)           the carry-save bit, to bit i+1's LUT
    O6 = s_i = a_i ^ b_i ^ c_i ^ k_(i-1)          the propagate input S_i of the chain

and the carry chain adds ``s`` and the shifted carry-save bits: ``DI_i = k_(i-1)`` (when
``S_i = 0`` the two addends of bit i are equal, so either one is the generated carry).
Since ``a + b + c = sum_i (a_i ^ b_i ^ c_i) 2^i + sum_i k_i 2^(i+1)``, the chain's output
is the sum modulo 2^N.  Subtraction: ``-b = ~b + 1``, so with n subtracted operands the
sum needs ``+n``: ``k_(-1) = 1`` when n >= 1 and the chain's carry input is 1 when n = 2.

The behavioural models of LUT6_2, CARRY4 and CARRY8 used to simulate this flavour with
Verilator are in ``xilinx_sim.v`` beside this file (``simulation_models``), written for
this project from the primitives' documented behaviour.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

ARCHS = ("generic", "xc7", "xcu")
"""Verilog flavours: ``generic`` prints ``a + b - c``; ``xc7`` and ``xcu`` instantiate
LUT6_2 with CARRY4 (7-series) or CARRY8 (UltraScale)."""

CHAIN_BITS = {"xc7": 4, "xcu": 8}
ZERO, ONE = "1'b0", "1'b1"


def lut_init(negated_b: bool, negated_c: bool) -> int:
    """The LUT6_2 INIT: O5 (I5 = 0 half) the majority, O6 (I5 = 1 half) the sum bit."""
    init = 0
    for index in range(64):
        a, b, c, k = index & 1, (index >> 1 & 1) ^ negated_b, (index >> 2 & 1) ^ negated_c, index >> 3 & 1
        upper = index >> 5 & 1
        value = (a ^ b ^ c ^ k) if upper else int(a + b + c >= 2)
        init |= value << index
    return init


def ternary_adder_lines(arch: str, name: str, width: int, operands: list[str], negated: list[bool],
                        bit: Callable[[int, int], str]) -> tuple[list[str], list[str]]:
    """Verilog declaring ``wire [width-1:0] name`` as ``a ± b ± c`` built from primitives.

    ``operands`` are the three operand names, ``negated`` says which are subtracted (the
    first never is), ``bit(j, i)`` prints bit i of operand j.  Returns the lines and the
    helper signals whose bits may go unread (for the printer's unused-bit sink)."""
    if arch not in CHAIN_BITS:
        raise ValueError(f"no primitive mapping for arch '{arch}' (known: {', '.join(CHAIN_BITS)})")
    assert not negated[0]
    step = CHAIN_BITS[arch]
    padded = -(-width // step) * step
    n_negated = sum(negated)
    k_init = ONE if n_negated >= 1 else ZERO
    carry_in = ONE if n_negated == 2 else ZERO
    init = lut_init(negated[1], negated[2])
    s, k, di, o, co = (f"{name}__{part}" for part in ("s", "k", "di", "o", "co"))
    lines = [f"  wire [{padded - 1}:0] {s}, {di}, {o}, {co};", f"  wire [{width - 1}:0] {k};"]
    for i in range(width):
        k_prev = k_init if i == 0 else f"{k}[{i - 1}]"
        lines.append(
            f"  LUT6_2 #(.INIT(64'h{init:016x})) {name}__lut{i} (.O6({s}[{i}]), .O5({k}[{i}]), "
            f".I0({bit(0, i)}), .I1({bit(1, i)}), .I2({bit(2, i)}), .I3({k_prev}), .I4(1'b0), .I5(1'b1));")
    carry_saves = f"{k}[{width - 2}:0], " if width > 2 else (f"{k}[0], " if width == 2 else "")
    pad = padded - width
    padding = f"{pad}'d0, " if pad else ""
    lines.append(f"  assign {di} = {{{padding}{carry_saves}{k_init}}};")
    if pad:
        lines.append(f"  assign {s}[{padded - 1}:{width}] = {pad}'d0;")
    for j in range(padded // step):
        lo, hi = j * step, j * step + step - 1
        carry = carry_in if j == 0 else f"{co}[{lo - 1}]"
        if arch == "xc7":  # the first CARRY4 takes the carry input on CYINIT
            ci, cyinit = (ZERO, carry) if j == 0 else (carry, ZERO)
            lines.append(
                f"  CARRY4 {name}__cy{j} (.CO({co}[{hi}:{lo}]), .O({o}[{hi}:{lo}]), .CI({ci}), "
                f".CYINIT({cyinit}), .DI({di}[{hi}:{lo}]), .S({s}[{hi}:{lo}]));")
        else:
            lines.append(
                f"  CARRY8 #(.CARRY_TYPE(\"SINGLE_CY8\")) {name}__cy{j} (.CO({co}[{hi}:{lo}]), "
                f".O({o}[{hi}:{lo}]), .CI({carry}), .CI_TOP({ZERO}), .DI({di}[{hi}:{lo}]), .S({s}[{hi}:{lo}]));")
    lines.append(f"  wire [{width - 1}:0] {name} = {o}[{width - 1}:0];")
    return lines, [k, o, co]


def simulation_models() -> str:
    """Behavioural Verilog of LUT6_2, CARRY4 and CARRY8 (for Verilator only)."""
    return (Path(__file__).parent / "xilinx_sim.v").read_text()
