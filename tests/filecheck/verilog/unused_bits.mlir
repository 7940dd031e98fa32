// RUN: fpga-opt %s -t verilog | filecheck %s

// Bits nothing reads go to the `_unused` sink, bit ranges merged, so that
// `verilator --lint-only -Wall` stays quiet; an unused input port and an unused clock are
// listed whole.  Names that are not usable in Verilog (numbers, keywords, taken names)
// are replaced by fresh ones: a suffix, or for a number what the op computes.
rtl.module @unused_bits(%a: i8 fixed<1,7,0>, %b: i4 fixed<0,4,0>) -> (y: i3 fixed<0,3,0>) clock "clk" {
  %0 = rtl.extract %a from 1 : i8 to i2
  %wire = rtl.extract %a from 6 : i8 to i1
  %y = rtl.concat %0, %wire : i2, i1
  rtl.output %y : i3
}

// CHECK:      module unused_bits (
// CHECK:        wire [1:0] slice = a[2:1];
// CHECK-NEXT:   wire wire_1 = a[6];
// CHECK-NEXT:   wire [2:0] y_1 = {slice, wire_1};
// CHECK-NEXT:   assign y = y_1;
// CHECK-NEXT:   wire _unused = &{1'b0, a[0], a[5:3], a[7], b, clk, 1'b0};
// CHECK-NEXT: endmodule
