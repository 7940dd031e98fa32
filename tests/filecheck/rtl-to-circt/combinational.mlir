// RUN: fpga-opt %s -p rtl-to-circt | filecheck %s

// No clock, no clock port; an extension by zero bits is the value itself; the port
// names stay, even where the body's values were named otherwise.
rtl.module @f(%x: i4 fixed<1,3,0>, %y: i4 fixed<0,4,0>) -> (s: i4 fixed<1,3,0>, z: i4 fixed<0,4,0>) {
  %a = rtl.sext %x : i4 to i4
  %b = rtl.zext %y : i4 to i4
  %s = rtl.add %a, %b : i4
  rtl.output %s, %y : i4, i4
}

// CHECK:      hw.module @f(in %x: i4, in %y: i4, out s: i4, out z: i4) {
// CHECK-NEXT:   %s = comb.add %x, %y {sv.namehint = "s"} : i4
// CHECK-NEXT:   hw.output %s, %y : i4, i4
// CHECK-NEXT: }
// CHECK-NOT:  rtl.
