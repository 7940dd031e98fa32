// RUN: %roundtrip
// RUN: %generic-roundtrip

// Exact constants: mantissas * 2^-f, any shape (rank 0 and empty included), f of either sign.
func.func @constants() {
  %w = fixedpoint.constant <[1, -3, 0, 5], f=2> : !fixedpoint.tensor<2x2xfixed<1,3,2>>
  %s = fixedpoint.constant <[-5], f=-2> : !fixedpoint.tensor<fixed<1,5,-2>>
  %e = fixedpoint.constant <[], f=0> : !fixedpoint.tensor<0x3xfixed<0,0,0>>
  %r = fixedpoint.constant <[3, 7], f=0> : !fixedpoint.tensor<2xrange<3,7,0>>
  %p = fixedpoint.constant <[3, 7], f=0> : !fixedpoint.tensor<2x[range<0,7,0>, fixed<0,3,0>]>
  func.return
}
// CHECK:      func.func @constants() {
// CHECK-NEXT:   %w = fixedpoint.constant <[1, -3, 0, 5], f=2> : !fixedpoint.tensor<2x2xfixed<1,3,2>>
// CHECK-NEXT:   %s = fixedpoint.constant <[-5], f=-2> : !fixedpoint.tensor<fixed<1,5,-2>>
// CHECK-NEXT:   %e = fixedpoint.constant <[], f=0> : !fixedpoint.tensor<0x3xfixed<0,0,0>>
// CHECK-NEXT:   %r = fixedpoint.constant <[3, 7], f=0> : !fixedpoint.tensor<2xrange<3,7,0>>
// CHECK-NEXT:   %p = fixedpoint.constant <[3, 7], f=0> : !fixedpoint.tensor<2x[range<0,7,0>, fixed<0,3,0>]>
// CHECK-NEXT:   func.return
