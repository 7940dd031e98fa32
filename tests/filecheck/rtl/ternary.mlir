// RUN: %roundtrip
// RUN: %generic-roundtrip
// RUN: fpga-opt %s -t verilog | filecheck %s --check-prefix=VLOG

rtl.module @add3(%a: i8 fixed<1,7,0>, %b: i8 fixed<1,7,0>, %c: i8 fixed<1,7,0>) -> (y: i8 fixed<1,7,0>, z: i8 fixed<1,7,0>) {
  %s = rtl.add3 %a, %b, %c signs "++-" : i8
  %t = rtl.add3 %a, %b, %c signs "+--" : i8
  rtl.output %s, %t : i8, i8
}
// CHECK-LABEL: rtl.module @add3
// CHECK-NEXT:  %s = rtl.add3 %a, %b, %c signs "++-" : i8
// CHECK-NEXT:  %t = rtl.add3 %a, %b, %c signs "+--" : i8

// VLOG: wire [7:0] s = a + b - c;
// VLOG: wire [7:0] t = a - b - c;
