// RUN: fpga-opt %s -p rtl-cse | filecheck %s
// RUN: fpga-opt %s -p cse | filecheck %s

// rtl-cse gives what xDSL's generic cse gives (both RUN lines check the same lines):
// a repeated op is merged into the first (%t into %s once %b is %a); an op that nothing reads is dropped, also when
// a later copy of it is read (the copy stays); registers hold state and stay apart.
rtl.module @m(%x: i4 fixed<1,3,0>, %y: i4 fixed<1,3,0>) -> (s: i6 fixed<1,5,0>, t: i6 fixed<1,5,0>, c: i1 fixed<0,1,0>, h: i2 fixed<1,1,0>, r: i6 fixed<1,5,0>, q: i6 fixed<1,5,0>) clock "clk" {
  %a = rtl.sext %x : i4 to i6
  %b = rtl.sext %x : i4 to i6
  %unread = rtl.extract %x from 1 : i4 to i2
  %s = rtl.add %a, %b : i6
  %t = rtl.add %b, %a : i6
  %k1 = rtl.constant 3 : i6
  %k2 = rtl.constant 3 : i6
  %lt = rtl.icmp slt %s, %k1 : i6
  %gt = rtl.icmp sgt %s, %k2 : i6
  %both = rtl.mux %lt, %gt, %lt : i1
  %dead = rtl.icmp slt %t, %k2 : i6
  %read = rtl.extract %x from 1 : i4 to i2
  %r = rtl.reg %s : i6
  %q = rtl.reg %s : i6
  rtl.output %s, %t, %both, %read, %r, %q : i6, i6, i1, i2, i6, i6
}

// CHECK:      rtl.module @m(
// CHECK-NEXT:   %a = rtl.sext %x : i4 to i6
// CHECK-NEXT:   %s = rtl.add %a, %a : i6
// CHECK-NEXT:   %k1 = rtl.constant 3 : i6
// CHECK-NEXT:   %lt = rtl.icmp slt %s, %k1 : i6
// CHECK-NEXT:   %gt = rtl.icmp sgt %s, %k1 : i6
// CHECK-NEXT:   %both = rtl.mux %lt, %gt, %lt : i1
// CHECK-NEXT:   %read = rtl.extract %x from 1 : i4 to i2
// CHECK-NEXT:   %r = rtl.reg %s : i6
// CHECK-NEXT:   %q = rtl.reg %s : i6
// CHECK-NEXT:   rtl.output %s, %s, %both, %read, %r, %q : i6, i6, i1, i2, i6, i6
