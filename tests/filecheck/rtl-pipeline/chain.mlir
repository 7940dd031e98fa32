// RUN: fpga-opt %s -p 'rtl-pipeline{cutoff=1}' | filecheck %s --check-prefix=CUT1
// RUN: fpga-opt %s -p 'rtl-pipeline{cutoff=2}' | filecheck %s --check-prefix=CUT2
// RUN: fpga-opt %s -p 'rtl-pipeline{cutoff=3}' | filecheck %s --check-prefix=CUT3
// RUN: fpga-opt %s -p 'rtl-pipeline' | filecheck %s --check-prefix=NONE
// RUN: fpga-opt %s -p 'rtl-pipeline{cutoff=0}' | filecheck %s --check-prefix=NONE

// A chain of three adders, wiring between them, and a second output taken early.
// Registers go where a stage's budget runs out; every operand from an earlier stage comes
// through a register chain shared by its users; the early output is delayed to match.
// The widening concat moves after the register, which holds 4 bits instead of 8.
rtl.module @chain(%a: i8 fixed<0,8,0>, %b: i8 fixed<0,8,0>, %c: i8 fixed<0,8,0>) -> (y: i8 fixed<0,8,0>, z: i8 fixed<0,8,0>) {
  %s = rtl.add %a, %b : i8
  %t = rtl.add %s, %c : i8
  %h = rtl.extract %t from 4 : i8 to i4
  %hh = rtl.concat %h, %h : i4, i4
  %u = rtl.sub %hh, %a : i8
  rtl.output %u, %s : i8, i8
}

// CUT1:      rtl.module @chain({{.*}}) -> (y: i8 fixed<0,8,0>, z: i8 fixed<0,8,0>) clock "clk" latency 2 {
// CUT1-NEXT:   %c_r1 = rtl.reg %c : i8
// CUT1-NEXT:   %a_r1 = rtl.reg %a : i8
// CUT1-NEXT:   %a_r2 = rtl.reg %a_r1 : i8
// CUT1-NEXT:   %s = rtl.add %a, %b : i8
// CUT1-NEXT:   %s_r1 = rtl.reg %s : i8
// CUT1-NEXT:   %s_r2 = rtl.reg %s_r1 : i8
// CUT1-NEXT:   %t = rtl.add %s_r1, %c_r1 : i8
// CUT1-NEXT:   %h = rtl.extract %t from 4 : i8 to i4
// CUT1-NEXT:   %h_r1 = rtl.reg %h : i4
// CUT1-NEXT:   %hh = rtl.concat %h_r1, %h_r1 : i4, i4
// CUT1-NEXT:   %u = rtl.sub %hh, %a_r2 : i8
// CUT1-NEXT:   rtl.output %u, %s_r2 : i8, i8

// CUT2:      clock "clk" latency 1 {
// CUT2-NEXT:   %a_r1 = rtl.reg %a : i8
// CUT2-NEXT:   %s = rtl.add %a, %b : i8
// CUT2-NEXT:   %s_r1 = rtl.reg %s : i8
// CUT2-NEXT:   %t = rtl.add %s, %c : i8
// CUT2-NEXT:   %h = rtl.extract %t from 4 : i8 to i4
// CUT2-NEXT:   %h_r1 = rtl.reg %h : i4
// CUT2-NEXT:   %hh = rtl.concat %h_r1, %h_r1 : i4, i4
// CUT2-NEXT:   %u = rtl.sub %hh, %a_r1 : i8
// CUT2-NEXT:   rtl.output %u, %s_r1 : i8, i8

// Three levels fit one stage: no register, no clock, latency 0.
// CUT3:      rtl.module @chain({{.*}}) -> (y: i8 fixed<0,8,0>, z: i8 fixed<0,8,0>) latency 0 {
// CUT3-NOT:    rtl.reg

// Without a budget the pass changes nothing.
// NONE:      rtl.module @chain({{.*}}) -> (y: i8 fixed<0,8,0>, z: i8 fixed<0,8,0>) {
// NONE-NOT:    rtl.reg
