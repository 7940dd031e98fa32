// RUN: %roundtrip
// RUN: %generic-roundtrip

// y = x @ W (+ b) over the last axis, with and without a bias, batched input.
func.func @dense(%x: !fixedpoint.tensor<3xfixed<1,3,0>>, %xb: !fixedpoint.tensor<4x3xfixed<0,2,1>>) {
  %w = fixedpoint.constant <[1, 0, -2, 3, 1, 1], f=0> : !fixedpoint.tensor<3x2xfixed<1,2,0>>
  %b = fixedpoint.constant <[4, -8], f=1> : !fixedpoint.tensor<2xfixed<1,3,1>>
  %y = fixedpoint.dense %x, %w, %b : (!fixedpoint.tensor<3xfixed<1,3,0>>, !fixedpoint.tensor<3x2xfixed<1,2,0>>, !fixedpoint.tensor<2xfixed<1,3,1>>) -> !fixedpoint.tensor<2xfixed<1,8,1>>
  %z = fixedpoint.dense %xb, %w : (!fixedpoint.tensor<4x3xfixed<0,2,1>>, !fixedpoint.tensor<3x2xfixed<1,2,0>>) -> !fixedpoint.tensor<4x2x[fixed<1,5,1>, range<0,28,1>, fixed<1,5,1>, range<0,28,1>, fixed<1,5,1>, range<0,28,1>, fixed<1,5,1>, range<0,28,1>]>
  func.return
}
// CHECK:      func.func @dense(%x: !fixedpoint.tensor<3xfixed<1,3,0>>, %xb: !fixedpoint.tensor<4x3xfixed<0,2,1>>) {
// CHECK-NEXT:   %w = fixedpoint.constant <[1, 0, -2, 3, 1, 1], f=0> : !fixedpoint.tensor<3x2xfixed<1,2,0>>
// CHECK-NEXT:   %b = fixedpoint.constant <[4, -8], f=1> : !fixedpoint.tensor<2xfixed<1,3,1>>
// CHECK-NEXT:   %y = fixedpoint.dense %x, %w, %b : (!fixedpoint.tensor<3xfixed<1,3,0>>, !fixedpoint.tensor<3x2xfixed<1,2,0>>, !fixedpoint.tensor<2xfixed<1,3,1>>) -> !fixedpoint.tensor<2xfixed<1,8,1>>
// CHECK-NEXT:   %z = fixedpoint.dense %xb, %w : (!fixedpoint.tensor<4x3xfixed<0,2,1>>, !fixedpoint.tensor<3x2xfixed<1,2,0>>) -> !fixedpoint.tensor<4x2x[fixed<1,5,1>, range<0,28,1>, fixed<1,5,1>, range<0,28,1>, fixed<1,5,1>, range<0,28,1>, fixed<1,5,1>, range<0,28,1>]>
// CHECK-NEXT:   func.return
