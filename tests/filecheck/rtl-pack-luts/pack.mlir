// RUN: fpga-opt %s -p rtl-pack-luts | filecheck %s

// a + b - c over three 2-bit activations: six input bits, one ROM
rtl.module @three(%a: i2 fixed<0,2,0>, %b: i2 fixed<0,2,0>, %c: i2 fixed<0,2,0>) -> (y: i4 fixed<1,3,0>) {
  %0 = rtl.zext %a : i2 to i4
  %1 = rtl.zext %b : i2 to i4
  %2 = rtl.zext %c : i2 to i4
  %s = rtl.add %0, %1 : i4
  %t = rtl.sub %s, %2 : i4
  rtl.output %t : i4
}
// CHECK-LABEL: rtl.module @three
// (index c a b: entry a + b - c modulo 16)
// CHECK-NEXT:  %0 = rtl.concat %c, %a, %b : i2, i2, i2
// CHECK-NEXT:  %t = rtl.rom %0 [0, 1, 2, 3, 1, 2, 3, 4, 2, 3, 4, 5, 3, 4, 5, 6, 15, 0, 1, 2, 0, 1, 2, 3, 1, 2, 3, 4, 2, 3, 4, 5, 14, 15, 0, 1, 15, 0, 1, 2, 0, 1, 2, 3, 1, 2, 3, 4, 13, 14, 15, 0, 14, 15, 0, 1, 15, 0, 1, 2, 0, 1, 2, 3] : i6 -> i4
// CHECK-NEXT:  rtl.output %t : i4

// eight input bits: too many for one LUT, nothing changes
rtl.module @wide(%a: i4 fixed<0,4,0>, %b: i4 fixed<0,4,0>) -> (y: i5 fixed<0,5,0>) {
  %0 = rtl.zext %a : i4 to i5
  %1 = rtl.zext %b : i4 to i5
  %s = rtl.add %0, %1 : i5
  rtl.output %s : i5
}
// CHECK-LABEL: rtl.module @wide
// CHECK:       rtl.add
