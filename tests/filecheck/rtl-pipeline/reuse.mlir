// RUN: fpga-opt %s -p 'rtl-pipeline{cutoff=1}' | filecheck %s

// A register of a slice of %s would copy bits that %s's own register holds already: the
// slice is taken again from that register instead (registering wiring = wiring the
// registered sources).
rtl.module @reuse(%a: i8 fixed<0,8,0>, %b: i8 fixed<0,8,0>, %c: i8 fixed<0,8,0>, %d: i4 fixed<0,4,0>) -> (t: i8 fixed<0,8,0>, v: i4 fixed<0,4,0>) {
  %s = rtl.add %a, %b : i8
  %h = rtl.extract %s from 4 : i8 to i4
  %t = rtl.add %s, %c : i8
  %v = rtl.add %h, %d : i4
  rtl.output %t, %v : i8, i4
}

// CHECK:      clock "clk" latency 1 {
// CHECK-NEXT:   %c_r1 = rtl.reg %c : i8
// CHECK-NEXT:   %d_r1 = rtl.reg %d : i4
// CHECK-NEXT:   %s = rtl.add %a, %b : i8
// CHECK-NEXT:   %s_r1 = rtl.reg %s : i8
// CHECK-NEXT:   %h_r1 = rtl.extract %s_r1 from 4 : i8 to i4
// CHECK-NEXT:   %t = rtl.add %s_r1, %c_r1 : i8
// CHECK-NEXT:   %v = rtl.add %h_r1, %d_r1 : i4
// CHECK-NEXT:   rtl.output %t, %v : i8, i4
