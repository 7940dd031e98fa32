// Behavioural simulation models of the Xilinx primitives that fpga-opt's xc7 / xcu
// Verilog instantiates (backends/xilinx_primitives.py), written for fpga-opt from the
// primitives' documented behaviour (UG953 / UG974).  For simulation only: synthesis
// tools have their own definitions of these cells.
`default_nettype none

// A 6-input LUT with two outputs: O6 = INIT[I5..I0], O5 = INIT[I4..I0] (the lower half).
module LUT6_2 #(parameter [63:0] INIT = 64'h0) (
  output wire O6,
  output wire O5,
  input  wire I0,
  input  wire I1,
  input  wire I2,
  input  wire I3,
  input  wire I4,
  input  wire I5
);
  wire [5:0] index = {I5, I4, I3, I2, I1, I0};
  assign O6 = INIT[index];
  assign O5 = INIT[{1'b0, index[4:0]}];
endmodule

// 7-series carry chain, 4 bits: carry into bit 0 is CI | CYINIT; each bit passes its
// carry on when S is set, else generates DI; O = S ^ carry in, CO = carry out.
module CARRY4 (
  output wire [3:0] CO,
  output wire [3:0] O,
  input  wire       CI,
  input  wire       CYINIT,
  input  wire [3:0] DI,
  input  wire [3:0] S
);
  wire [4:0] carry;
  assign carry[0] = CI | CYINIT;
  assign carry[1] = S[0] ? carry[0] : DI[0];
  assign carry[2] = S[1] ? carry[1] : DI[1];
  assign carry[3] = S[2] ? carry[2] : DI[2];
  assign carry[4] = S[3] ? carry[3] : DI[3];
  assign O = S ^ carry[3:0];
  assign CO = carry[4:1];
endmodule

// UltraScale carry chain, 8 bits, as one chain (CARRY_TYPE "SINGLE_CY8"; the split
// "DUAL_CY4" mode with CI_TOP is not modelled: fpga-opt does not use it).
module CARRY8 #(parameter CARRY_TYPE = "SINGLE_CY8") (
  output wire [7:0] CO,
  output wire [7:0] O,
  input  wire       CI,
  input  wire       CI_TOP,
  input  wire [7:0] DI,
  input  wire [7:0] S
);
  wire [8:0] carry;
  assign carry[0] = CI;
  assign carry[1] = S[0] ? carry[0] : DI[0];
  assign carry[2] = S[1] ? carry[1] : DI[1];
  assign carry[3] = S[2] ? carry[2] : DI[2];
  assign carry[4] = S[3] ? carry[3] : DI[3];
  assign carry[5] = S[4] ? carry[4] : DI[4];
  assign carry[6] = S[5] ? carry[5] : DI[5];
  assign carry[7] = S[6] ? carry[6] : DI[6];
  assign carry[8] = S[7] ? carry[7] : DI[7];
  assign O = S ^ carry[7:0];
  assign CO = carry[8:1];
  wire _unused = &{1'b0, CI_TOP, CARRY_TYPE == "SINGLE_CY8", 1'b0};
endmodule
`default_nettype wire
