// RUN: %roundtrip
// RUN: %generic-roundtrip

// Every rtl operation, in its custom form; the generic form must parse back to the same.
rtl.module @every_op(%x0: i8 fixed<1,7,0>, %x1: i8 fixed<0,4,4>) -> (y0: i9 fixed<1,8,0>, y1: i4 fixed<0,4,0>, y2: i12 fixed<1,11,0>, y3: i1 fixed<0,1,0>) clock "clk" latency 1 {
  %a = rtl.sext %x0 : i8 to i9
  %b = rtl.zext %x1 : i8 to i9
  %s = rtl.add %a, %b : i9
  %d = rtl.sub %a, %b : i9
  %c = rtl.constant -3 : i9
  %e = rtl.extract %s from 2 : i9 to i4
  %cc = rtl.concat %e, %x0 : i4, i8
  %lt = rtl.icmp slt %s, %d : i9
  %eq = rtl.icmp eq %x0, %x1 : i8
  %m = rtl.mux %lt, %s, %c : i9
  %r = rtl.rom %e [0, 1, 2, 3, 4, 5, 6, 7, -8, -7, -6, -5, -4, -3, -2, -1] : i4 -> i4
  %q = rtl.reg %m : i9
  %r1 = rtl.reg %r : i4
  %cc1 = rtl.reg %cc : i12
  %eq1 = rtl.reg %eq : i1
  rtl.output %q, %r1, %cc1, %eq1 : i9, i4, i12, i1
}

// CHECK:      rtl.module @every_op(%x0: i8 fixed<1,7,0>, %x1: i8 fixed<0,4,4>) -> (y0: i9 fixed<1,8,0>, y1: i4 fixed<0,4,0>, y2: i12 fixed<1,11,0>, y3: i1 fixed<0,1,0>) clock "clk" latency 1 {
// CHECK-NEXT:   %a = rtl.sext %x0 : i8 to i9
// CHECK-NEXT:   %b = rtl.zext %x1 : i8 to i9
// CHECK-NEXT:   %s = rtl.add %a, %b : i9
// CHECK-NEXT:   %d = rtl.sub %a, %b : i9
// CHECK-NEXT:   %c = rtl.constant -3 : i9
// CHECK-NEXT:   %e = rtl.extract %s from 2 : i9 to i4
// CHECK-NEXT:   %cc = rtl.concat %e, %x0 : i4, i8
// CHECK-NEXT:   %lt = rtl.icmp slt %s, %d : i9
// CHECK-NEXT:   %eq = rtl.icmp eq %x0, %x1 : i8
// CHECK-NEXT:   %m = rtl.mux %lt, %s, %c : i9
// CHECK-NEXT:   %r = rtl.rom %e [0, 1, 2, 3, 4, 5, 6, 7, -8, -7, -6, -5, -4, -3, -2, -1] : i4 -> i4
// CHECK-NEXT:   %q = rtl.reg %m : i9
// CHECK-NEXT:   %r1 = rtl.reg %r : i4
// CHECK-NEXT:   %cc1 = rtl.reg %cc : i12
// CHECK-NEXT:   %eq1 = rtl.reg %eq : i1
// CHECK-NEXT:   rtl.output %q, %r1, %cc1, %eq1 : i9, i4, i12, i1
// CHECK-NEXT: }

// A combinational module: no clock, no latency; ports wider than 64 bits; a constant
// written unsigned prints in its signed reading (the same bits).
rtl.module @wide(%w: i100 fixed<1,50,49>) -> (z: i101 fixed<1,51,49>, k: i70 fixed<0,70,0>) {
  %big = rtl.constant 1180591620717411303423 : i70
  %x = rtl.sext %w : i100 to i101
  %y = rtl.add %x, %x : i101
  rtl.output %y, %big : i101, i70
}

// CHECK:      rtl.module @wide(%w: i100 fixed<1,50,49>) -> (z: i101 fixed<1,51,49>, k: i70 fixed<0,70,0>) {
// CHECK-NEXT:   %big = rtl.constant -1 : i70
// CHECK-NEXT:   %x = rtl.sext %w : i100 to i101
// CHECK-NEXT:   %y = rtl.add %x, %x : i101
// CHECK-NEXT:   rtl.output %y, %big : i101, i70
// CHECK-NEXT: }

// Every comparison predicate, a module with no outputs (a sink) and extra attributes.
rtl.module @predicates(%a: i3 fixed<0,3,0>, %b: i3 fixed<1,2,0>) -> () attributes {origin = "test"} {
  %0 = rtl.icmp eq %a, %b : i3
  %1 = rtl.icmp ne %a, %b : i3
  %2 = rtl.icmp slt %a, %b : i3
  %3 = rtl.icmp sle %a, %b : i3
  %4 = rtl.icmp sgt %a, %b : i3
  %5 = rtl.icmp sge %a, %b : i3
  %6 = rtl.icmp ult %a, %b : i3
  %7 = rtl.icmp ule %a, %b : i3
  %8 = rtl.icmp ugt %a, %b : i3
  %9 = rtl.icmp uge %a, %b : i3
  rtl.output
}

// CHECK:      rtl.module @predicates(%a: i3 fixed<0,3,0>, %b: i3 fixed<1,2,0>) -> () attributes {origin = "test"} {
// CHECK-NEXT:   %0 = rtl.icmp eq %a, %b : i3
// CHECK-NEXT:   %1 = rtl.icmp ne %a, %b : i3
// CHECK-NEXT:   %2 = rtl.icmp slt %a, %b : i3
// CHECK-NEXT:   %3 = rtl.icmp sle %a, %b : i3
// CHECK-NEXT:   %4 = rtl.icmp sgt %a, %b : i3
// CHECK-NEXT:   %5 = rtl.icmp sge %a, %b : i3
// CHECK-NEXT:   %6 = rtl.icmp ult %a, %b : i3
// CHECK-NEXT:   %7 = rtl.icmp ule %a, %b : i3
// CHECK-NEXT:   %8 = rtl.icmp ugt %a, %b : i3
// CHECK-NEXT:   %9 = rtl.icmp uge %a, %b : i3
// CHECK-NEXT:   rtl.output
// CHECK-NEXT: }
