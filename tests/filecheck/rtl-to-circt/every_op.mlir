// RUN: fpga-opt %s -p rtl-to-circt | filecheck %s
// RUN: fpga-opt %s -t circt | filecheck %s
// RUN: fpga-opt %s -p rtl-to-circt | fpga-opt | filecheck %s

// Every rtl op as hw/comb/seq: sign extension as concat of a replicated sign bit, zero
// extension as concat of a zero constant, a ROM as an array of its entries (last entry
// first, as CIRCT orders arrays), registers as seq.compreg on a !seq.clock port.
rtl.module @every_op(%x0: i8 fixed<1,7,0>, %x1: i8 fixed<0,4,4>) -> (y0: i9 fixed<1,8,0>, y1: i4 fixed<0,4,0>, y2: i1 fixed<0,1,0>) clock "clk" latency 1 {
  %a = rtl.sext %x0 : i8 to i9
  %b = rtl.zext %x1 : i8 to i9
  %s = rtl.add %a, %b : i9
  %d = rtl.sub %a, %b : i9
  %c = rtl.constant -3 : i9
  %e = rtl.extract %s from 2 : i9 to i2
  %top = rtl.extract %d from 8 : i9 to i1
  %cc = rtl.concat %e, %top, %top : i2, i1, i1
  %lt = rtl.icmp slt %s, %d : i9
  %ge = rtl.icmp uge %x0, %x1 : i8
  %m = rtl.mux %lt, %s, %c : i9
  %r = rtl.rom %e [1, -1, 7, 1] : i2 -> i4
  %q = rtl.reg %m : i9
  %r1 = rtl.reg %r : i4
  %g = rtl.reg %ge : i1
  rtl.output %q, %r1, %g : i9, i4, i1
}

// CHECK:      hw.module @every_op(in %clk: !seq.clock, in %x0: i8, in %x1: i8, out y0: i9, out y1: i4, out y2: i1) {
// CHECK-NEXT:   %0 = comb.extract %x0 from 7 : (i8) -> i1
// CHECK-NEXT:   %1 = comb.replicate %0 : (i1) -> i1
// CHECK-NEXT:   %a = comb.concat %1, %x0 {sv.namehint = "a"} : i1, i8
// CHECK-NEXT:   %2 = hw.constant false
// CHECK-NEXT:   %b = comb.concat %2, %x1 {sv.namehint = "b"} : i1, i8
// CHECK-NEXT:   %s = comb.add %a, %b {sv.namehint = "s"} : i9
// CHECK-NEXT:   %d = comb.sub %a, %b {sv.namehint = "d"} : i9
// CHECK-NEXT:   %3 = hw.constant -3 : i9
// CHECK-NEXT:   %e = comb.extract %s from 2 {sv.namehint = "e"} : (i9) -> i2
// CHECK-NEXT:   %top = comb.extract %d from 8 {sv.namehint = "top"} : (i9) -> i1
// CHECK-NEXT:   %cc = comb.concat %e, %top, %top {sv.namehint = "cc"} : i2, i1, i1
// CHECK-NEXT:   %lt = comb.icmp slt %s, %d {sv.namehint = "lt"} : i9
// CHECK-NEXT:   %ge = comb.icmp uge %x0, %x1 {sv.namehint = "ge"} : i8
// CHECK-NEXT:   %m = comb.mux %lt, %s, %3 {sv.namehint = "m"} : i9
// CHECK-NEXT:   %4 = hw.constant 1 : i4
// CHECK-NEXT:   %5 = hw.constant -1 : i4
// CHECK-NEXT:   %6 = hw.constant 7 : i4
// CHECK-NEXT:   %7 = hw.array_create %4, %6, %5, %4 : i4
// CHECK-NEXT:   %r = hw.array_get %7[%e] : !hw.array<4xi4>, i2
// CHECK-NEXT:   %q = seq.compreg %m, %clk {sv.namehint = "q"} : i9
// CHECK-NEXT:   %r1 = seq.compreg %r, %clk {sv.namehint = "r1"} : i4
// CHECK-NEXT:   %g = seq.compreg %ge, %clk {sv.namehint = "g"} : i1
// CHECK-NEXT:   hw.output %q, %r1, %g : i9, i4, i1
// CHECK-NEXT: }
