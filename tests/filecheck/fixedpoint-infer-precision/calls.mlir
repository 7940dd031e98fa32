// RUN: fpga-opt %s -p fixedpoint-infer-precision | filecheck %s
// RUN: fpga-opt %s -p fixedpoint-infer-precision | fpga-opt -p fixedpoint-infer-precision | filecheck %s

// A call takes its callee's inferred result types, even when the callee comes later.
func.func @caller(%x: !fixedpoint.tensor<2xfixed<1,3,0>>) -> !fixedpoint.tensor<2xfixed<1,7,0>> {
  %y = func.call @double(%x) : (!fixedpoint.tensor<2xfixed<1,3,0>>) -> !fixedpoint.tensor<2xfixed<1,7,0>>
  %z = fixedpoint.relu %y : !fixedpoint.tensor<2xfixed<1,7,0>> -> !fixedpoint.tensor<2xfixed<1,7,0>>
  func.return %z : !fixedpoint.tensor<2xfixed<1,7,0>>
}
func.func @double(%x: !fixedpoint.tensor<2xfixed<1,3,0>>) -> !fixedpoint.tensor<2xfixed<1,7,0>> {
  %y = fixedpoint.add %x, %x : (!fixedpoint.tensor<2xfixed<1,3,0>>, !fixedpoint.tensor<2xfixed<1,3,0>>) -> !fixedpoint.tensor<2xfixed<1,7,0>>
  func.return %y : !fixedpoint.tensor<2xfixed<1,7,0>>
}
// CHECK:      func.func @caller(%x: !fixedpoint.tensor<2xfixed<1,3,0>>) -> !fixedpoint.tensor<2xrange<0,14,0>> {
// CHECK-NEXT:   %y = func.call @double(%x) : (!fixedpoint.tensor<2xfixed<1,3,0>>) -> !fixedpoint.tensor<2xrange<-16,14,0>>
// CHECK-NEXT:   %z = fixedpoint.relu %y : !fixedpoint.tensor<2xrange<-16,14,0>> -> !fixedpoint.tensor<2xrange<0,14,0>>
// CHECK:      func.func @double(%x: !fixedpoint.tensor<2xfixed<1,3,0>>) -> !fixedpoint.tensor<2xrange<-16,14,0>> {
