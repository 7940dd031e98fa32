// RUN: fpga-opt %s -t verilog | filecheck %s
// RUN: fpga-opt %s -t vhdl | filecheck %s --check-prefix=VHDL

// Names that are Verilog keywords are legal in the rtl dialect; the Verilog printer
// legalizes them (`_v`, then a suffix if that is taken), ports and module included, and
// the VHDL printer its own reserved words (`signal`, `end`).  Other names print as they are.
rtl.module @module(%reg: i4 fixed<1,3,0>, %signal: i4 fixed<1,3,0>, %reg_v: i4 fixed<1,3,0>)
    -> (end: i4 fixed<1,3,0>, wire: i4 fixed<1,3,0>) clock "always" latency 1 {
  %module = rtl.add %reg, %signal : i4
  %end = rtl.sub %module, %reg_v : i4
  %input = rtl.reg %end : i4
  %always = rtl.reg %module : i4
  rtl.output %input, %always : i4, i4
}

// CHECK:      module module_v (
// CHECK-NEXT:   input  wire       always_v,
// CHECK-NEXT:   input  wire [3:0] reg_v_1,
// CHECK-NEXT:   input  wire [3:0] signal,
// CHECK-NEXT:   input  wire [3:0] reg_v,
// CHECK-NEXT:   output wire [3:0] end_v,
// CHECK-NEXT:   output wire [3:0] wire_v
// CHECK:        wire [3:0] module_1 = reg_v_1 + signal;
// CHECK-NEXT:   wire [3:0] end_1 = module_1 - reg_v;
// CHECK:        always @(posedge always_v) begin
// CHECK:        assign end_v = input_1;
// CHECK-NEXT:   assign wire_v = always_1;

// VHDL:      entity module is
// VHDL:          signal_v : in std_logic_vector(3 downto 0);
// VHDL:          end_v : out std_logic_vector(3 downto 0);
