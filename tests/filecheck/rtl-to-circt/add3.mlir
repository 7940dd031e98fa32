// RUN: fpga-opt %s -p rtl-to-circt | filecheck %s

// rtl.add3: one variadic comb.add of the added operands, then one comb.sub per
// subtracted operand; the last operation carries the value's name.
rtl.module @add3(%x: i6 fixed<1,5,0>, %y: i6 fixed<1,5,0>, %z: i6 fixed<1,5,0>) -> (p: i6 fixed<1,5,0>, m: i6 fixed<1,5,0>, n: i6 fixed<1,5,0>) {
  %p = rtl.add3 %x, %y, %z signs "+++" : i6
  %m = rtl.add3 %x, %y, %z signs "+-+" : i6
  %n = rtl.add3 %x, %y, %z signs "+--" : i6
  rtl.output %p, %m, %n : i6, i6, i6
}

// CHECK:      hw.module @add3(in %x: i6, in %y: i6, in %z: i6, out p: i6, out m: i6, out n: i6) {
// CHECK-NEXT:   %p = comb.add %x, %y, %z {sv.namehint = "p"} : i6
// CHECK-NEXT:   %[[XZ:.*]] = comb.add %x, %z : i6
// CHECK-NEXT:   %m = comb.sub %[[XZ]], %y {sv.namehint = "m"} : i6
// CHECK-NEXT:   %[[XY:.*]] = comb.sub %x, %y : i6
// CHECK-NEXT:   %n = comb.sub %[[XY]], %z {sv.namehint = "n"} : i6
// CHECK-NEXT:   hw.output %p, %m, %n : i6, i6, i6
// CHECK-NEXT: }
// CHECK-NOT:  rtl.
