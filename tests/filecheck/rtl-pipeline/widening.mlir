// RUN: fpga-opt %s -p 'rtl-pipeline{cutoff=1}' | filecheck %s

// Wiring that widens a value is moved to the stage that uses it, so the registers hold
// the narrow value: %n is registered as 5 bits, not as its 9-bit extension, and %p's
// zero padding is appended after the register.  Narrowing wiring (%lo) would be
// registered after it (fewer bits), but %n's registers hold those bits already, so %lo
// is sliced from them instead.
rtl.module @widening(%a: i4 fixed<1,3,0>, %b: i4 fixed<1,3,0>, %c: i9 fixed<1,8,0>) -> (y: i9 fixed<1,8,0>, z: i2 fixed<0,2,0>) {
  %a5 = rtl.sext %a : i4 to i5
  %b5 = rtl.sext %b : i4 to i5
  %n = rtl.add %a5, %b5 : i5
  %n9 = rtl.sext %n : i5 to i9
  %zeros = rtl.constant 0 : i2
  %p = rtl.concat %n, %zeros : i5, i2
  %p9 = rtl.sext %p : i7 to i9
  %s = rtl.add %n9, %c : i9
  %t = rtl.add %s, %p9 : i9
  %lo = rtl.extract %n from 0 : i5 to i2
  rtl.output %t, %lo : i9, i2
}

// CHECK:      clock "clk" latency 2 {
// CHECK-NEXT:   %c_r1 = rtl.reg %c : i9
// CHECK-NEXT:   %a5 = rtl.sext %a : i4 to i5
// CHECK-NEXT:   %b5 = rtl.sext %b : i4 to i5
// CHECK-NEXT:   %n = rtl.add %a5, %b5 : i5
// CHECK-NEXT:   %n_r1 = rtl.reg %n : i5
// CHECK-NEXT:   %n_r2 = rtl.reg %n_r1 : i5
// CHECK-NEXT:   %n9 = rtl.sext %n_r1 : i5 to i9
// CHECK-NEXT:   %zeros = rtl.constant 0 : i2
// CHECK-NEXT:   %p = rtl.concat %n_r2, %zeros : i5, i2
// CHECK-NEXT:   %p9 = rtl.sext %p : i7 to i9
// CHECK-NEXT:   %s = rtl.add %n9, %c_r1 : i9
// CHECK-NEXT:   %s_r1 = rtl.reg %s : i9
// CHECK-NEXT:   %t = rtl.add %s_r1, %p9 : i9
// CHECK-NEXT:   %lo_r2 = rtl.extract %n_r2 from 0 : i5 to i2
// CHECK-NEXT:   rtl.output %t, %lo_r2 : i9, i2
