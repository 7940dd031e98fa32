// RUN: %roundtrip
// RUN: %generic-roundtrip

// Elementwise sub of two same-shape tensors, homogeneous and per-element precisions.
func.func @sub(%a: !fixedpoint.tensor<2xfixed<1,3,0>>, %b: !fixedpoint.tensor<2x[fixed<0,2,1>, range<-5,7,2>]>, %s: !fixedpoint.tensor<fixed<0,1,-1>>) {
  %0 = fixedpoint.sub %a, %b : (!fixedpoint.tensor<2xfixed<1,3,0>>, !fixedpoint.tensor<2x[fixed<0,2,1>, range<-5,7,2>]>) -> !fixedpoint.tensor<2xfixed<1,4,2>>
  %1 = fixedpoint.sub %b, %b : (!fixedpoint.tensor<2x[fixed<0,2,1>, range<-5,7,2>]>, !fixedpoint.tensor<2x[fixed<0,2,1>, range<-5,7,2>]>) -> !fixedpoint.tensor<2xfixed<1,4,2>>
  %2 = fixedpoint.sub %s, %s : (!fixedpoint.tensor<fixed<0,1,-1>>, !fixedpoint.tensor<fixed<0,1,-1>>) -> !fixedpoint.tensor<fixed<1,3,0>>
  func.return
}
// CHECK:      func.func @sub(%a: !fixedpoint.tensor<2xfixed<1,3,0>>, %b: !fixedpoint.tensor<2x[fixed<0,2,1>, range<-5,7,2>]>, %s: !fixedpoint.tensor<fixed<0,1,-1>>) {
// CHECK-NEXT:   %0 = fixedpoint.sub %a, %b : (!fixedpoint.tensor<2xfixed<1,3,0>>, !fixedpoint.tensor<2x[fixed<0,2,1>, range<-5,7,2>]>) -> !fixedpoint.tensor<2xfixed<1,4,2>>
// CHECK-NEXT:   %1 = fixedpoint.sub %b, %b : (!fixedpoint.tensor<2x[fixed<0,2,1>, range<-5,7,2>]>, !fixedpoint.tensor<2x[fixed<0,2,1>, range<-5,7,2>]>) -> !fixedpoint.tensor<2xfixed<1,4,2>>
// CHECK-NEXT:   %2 = fixedpoint.sub %s, %s : (!fixedpoint.tensor<fixed<0,1,-1>>, !fixedpoint.tensor<fixed<0,1,-1>>) -> !fixedpoint.tensor<fixed<1,3,0>>
// CHECK-NEXT:   func.return
