// RUN: fpga-opt %s -t vhdl | filecheck %s

// rtl.add3 is one VHDL expression on unsigned operands of the result's width: numeric_std
// keeps that width, so the sum wraps modulo 2^N as rtl.add3 does.
rtl.module @add3(%a: i6 fixed<1,5,0>, %b: i6 fixed<1,5,0>, %c: i6 fixed<1,5,0>) -> (y0: i6 fixed<1,5,0>, y1: i6 fixed<1,5,0>, y2: i6 fixed<1,5,0>) {
  %p = rtl.add3 %a, %b, %c signs "+++" : i6
  %m = rtl.add3 %a, %b, %c signs "+-+" : i6
  %n = rtl.add3 %a, %b, %c signs "+--" : i6
  rtl.output %p, %m, %n : i6, i6, i6
}

// CHECK:      signal p : unsigned(5 downto 0);
// CHECK-NEXT: signal m : unsigned(5 downto 0);
// CHECK-NEXT: signal n : unsigned(5 downto 0);
// CHECK:      p <= a_in + b_in + c_in;
// CHECK-NEXT: m <= a_in - b_in + c_in;
// CHECK-NEXT: n <= a_in - b_in - c_in;
