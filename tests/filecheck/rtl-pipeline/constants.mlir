// RUN: fpga-opt %s -p 'rtl-pipeline{cutoff=1}' | filecheck %s

// Values computed from constants alone never change: they are not registered, and they
// do not count towards any stage.  An input that goes straight to an output is delayed
// like every other output.
rtl.module @consts(%a: i8 fixed<1,7,0>) -> (y: i8 fixed<1,7,0>, p: i8 fixed<1,7,0>) {
  %one = rtl.constant 1 : i8
  %two = rtl.add %one, %one : i8
  %s = rtl.add %a, %two : i8
  %t = rtl.sub %s, %two : i8
  rtl.output %t, %a : i8, i8
}

// CHECK:      rtl.module @consts(%a: i8 fixed<1,7,0>) -> (y: i8 fixed<1,7,0>, p: i8 fixed<1,7,0>) clock "clk" latency 1 {
// CHECK-NEXT:   %a_r1 = rtl.reg %a : i8
// CHECK-NEXT:   %one = rtl.constant 1 : i8
// CHECK-NEXT:   %two = rtl.add %one, %one : i8
// CHECK-NEXT:   %s = rtl.add %a, %two : i8
// CHECK-NEXT:   %s_r1 = rtl.reg %s : i8
// CHECK-NEXT:   %t = rtl.sub %s_r1, %two : i8
// CHECK-NEXT:   rtl.output %t, %a_r1 : i8, i8
