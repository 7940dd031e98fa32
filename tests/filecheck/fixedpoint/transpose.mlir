// RUN: %roundtrip
// RUN: %generic-roundtrip

// Result axis d is input axis permutation[d]; per-element precisions move with the data.
func.func @transpose(%x: !fixedpoint.tensor<2x3x[fixed<1,3,0> * 5, fixed<0,1,2>]>, %y: !fixedpoint.tensor<2x1x3xfixed<0,4,-1>>) {
  %t = fixedpoint.transpose %x [1, 0] : !fixedpoint.tensor<2x3x[fixed<1,3,0> * 5, fixed<0,1,2>]> -> !fixedpoint.tensor<3x2x[fixed<1,3,0> * 5, fixed<0,1,2>]>
  %u = fixedpoint.transpose %y [2, 0, 1] : !fixedpoint.tensor<2x1x3xfixed<0,4,-1>> -> !fixedpoint.tensor<3x2x1xfixed<0,4,-1>>
  %v = fixedpoint.transpose %y [0, 1, 2] : !fixedpoint.tensor<2x1x3xfixed<0,4,-1>> -> !fixedpoint.tensor<2x1x3xfixed<1,5,-1>>
  func.return
}
// CHECK:      func.func @transpose(%x: !fixedpoint.tensor<2x3x[fixed<1,3,0> * 5, fixed<0,1,2>]>, %y: !fixedpoint.tensor<2x1x3xfixed<0,4,-1>>) {
// CHECK-NEXT:   %t = fixedpoint.transpose %x [1, 0] : !fixedpoint.tensor<2x3x[fixed<1,3,0> * 5, fixed<0,1,2>]> -> !fixedpoint.tensor<3x2x[fixed<1,3,0> * 5, fixed<0,1,2>]>
// CHECK-NEXT:   %u = fixedpoint.transpose %y [2, 0, 1] : !fixedpoint.tensor<2x1x3xfixed<0,4,-1>> -> !fixedpoint.tensor<3x2x1xfixed<0,4,-1>>
// CHECK-NEXT:   %v = fixedpoint.transpose %y [0, 1, 2] : !fixedpoint.tensor<2x1x3xfixed<0,4,-1>> -> !fixedpoint.tensor<2x1x3xfixed<1,5,-1>>
// CHECK-NEXT:   func.return
