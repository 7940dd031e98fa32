// RUN: fpga-opt %s -p 'rtl-pipeline{carry_cutoff=12}' | filecheck %s
// RUN: fpga-opt %s -p 'rtl-pipeline{cutoff=4 carry_cutoff=4}' | filecheck %s --check-prefix=ALONE

// carry_cutoff bounds the carry-chain bits of a stage: two chained 8-bit adders (16 bits)
// do not fit 12, so the second one starts a new stage; an icmp counts its operand width.
rtl.module @carry(%a: i8 fixed<1,7,0>, %b: i8 fixed<1,7,0>) -> (y: i8 fixed<1,7,0>, n: i1 fixed<0,1,0>) {
  %s = rtl.add %a, %b : i8
  %t = rtl.add %s, %a : i8
  %neg = rtl.icmp slt %t, %b : i8
  rtl.output %t, %neg : i8, i1
}

// CHECK:      clock "clk" latency 2 {
// CHECK-NEXT:   %a_r1 = rtl.reg %a : i8
// CHECK-NEXT:   %b_r1 = rtl.reg %b : i8
// CHECK-NEXT:   %b_r2 = rtl.reg %b_r1 : i8
// CHECK-NEXT:   %s = rtl.add %a, %b : i8
// CHECK-NEXT:   %s_r1 = rtl.reg %s : i8
// CHECK-NEXT:   %t = rtl.add %s_r1, %a_r1 : i8
// CHECK-NEXT:   %t_r1 = rtl.reg %t : i8
// CHECK-NEXT:   %neg = rtl.icmp slt %t_r1, %b_r2 : i8
// CHECK-NEXT:   rtl.output %t_r1, %neg : i8, i1

// An 8-bit adder is wider than a 4-bit budget: each gets a stage of its own rather than
// an endless cascade of empty stages.
// ALONE:      clock "clk" latency 2 {
// ALONE:        %t = rtl.add %s_r1, %a_r1 : i8
// ALONE:        %neg = rtl.icmp slt %t_r1, %b_r2 : i8
