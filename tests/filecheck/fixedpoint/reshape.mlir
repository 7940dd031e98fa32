// RUN: %roundtrip
// RUN: %generic-roundtrip

// Row-major reshape: per-element precisions travel with their elements.
func.func @reshape(%x: !fixedpoint.tensor<2x3x[fixed<1,3,0> * 5, fixed<0,1,2>]>, %s: !fixedpoint.tensor<fixed<1,3,0>>) {
  %y = fixedpoint.reshape %x : !fixedpoint.tensor<2x3x[fixed<1,3,0> * 5, fixed<0,1,2>]> -> !fixedpoint.tensor<6x[fixed<1,3,0> * 5, fixed<0,1,2>]>
  %z = fixedpoint.reshape %x : !fixedpoint.tensor<2x3x[fixed<1,3,0> * 5, fixed<0,1,2>]> -> !fixedpoint.tensor<3x1x2xfixed<1,4,2>>
  %r = fixedpoint.reshape %s : !fixedpoint.tensor<fixed<1,3,0>> -> !fixedpoint.tensor<1x1xfixed<1,3,0>>
  func.return
}
// CHECK:      func.func @reshape(%x: !fixedpoint.tensor<2x3x[fixed<1,3,0> * 5, fixed<0,1,2>]>, %s: !fixedpoint.tensor<fixed<1,3,0>>) {
// CHECK-NEXT:   %y = fixedpoint.reshape %x : !fixedpoint.tensor<2x3x[fixed<1,3,0> * 5, fixed<0,1,2>]> -> !fixedpoint.tensor<6x[fixed<1,3,0> * 5, fixed<0,1,2>]>
// CHECK-NEXT:   %z = fixedpoint.reshape %x : !fixedpoint.tensor<2x3x[fixed<1,3,0> * 5, fixed<0,1,2>]> -> !fixedpoint.tensor<3x1x2xfixed<1,4,2>>
// CHECK-NEXT:   %r = fixedpoint.reshape %s : !fixedpoint.tensor<fixed<1,3,0>> -> !fixedpoint.tensor<1x1xfixed<1,3,0>>
// CHECK-NEXT:   func.return
