// RUN: %roundtrip
// RUN: %generic-roundtrip

// Multiplication by a constant tensor of the same shape (fractional and negative constants;
// 1.0 spelled 4 * 2^-2 adds no fractional bits).
func.func @mul(%x: !fixedpoint.tensor<2x2xfixed<1,3,0>>, %s: !fixedpoint.tensor<fixed<0,4,-1>>) {
  %c = fixedpoint.constant <[1, -3, 0, 5], f=2> : !fixedpoint.tensor<2x2xfixed<1,3,2>>
  %k = fixedpoint.constant <[3], f=-1> : !fixedpoint.tensor<fixed<0,3,-1>>
  %y = fixedpoint.mul %x, %c : (!fixedpoint.tensor<2x2xfixed<1,3,0>>, !fixedpoint.tensor<2x2xfixed<1,3,2>>) -> !fixedpoint.tensor<2x2x[range<-8,7,2>, range<-21,24,2>, range<0,0,0>, fixed<1,6,2>]>
  %z = fixedpoint.mul %s, %k : (!fixedpoint.tensor<fixed<0,4,-1>>, !fixedpoint.tensor<fixed<0,3,-1>>) -> !fixedpoint.tensor<fixed<0,7,-2>>
  %one = fixedpoint.constant <[4, 4, 4, 4], f=2> : !fixedpoint.tensor<2x2xfixed<0,1,2>>
  %o = fixedpoint.mul %x, %one : (!fixedpoint.tensor<2x2xfixed<1,3,0>>, !fixedpoint.tensor<2x2xfixed<0,1,2>>) -> !fixedpoint.tensor<2x2xfixed<1,3,0>>
  func.return
}
// CHECK:      func.func @mul(%x: !fixedpoint.tensor<2x2xfixed<1,3,0>>, %s: !fixedpoint.tensor<fixed<0,4,-1>>) {
// CHECK-NEXT:   %c = fixedpoint.constant <[1, -3, 0, 5], f=2> : !fixedpoint.tensor<2x2xfixed<1,3,2>>
// CHECK-NEXT:   %k = fixedpoint.constant <[3], f=-1> : !fixedpoint.tensor<fixed<0,3,-1>>
// CHECK-NEXT:   %y = fixedpoint.mul %x, %c : (!fixedpoint.tensor<2x2xfixed<1,3,0>>, !fixedpoint.tensor<2x2xfixed<1,3,2>>) -> !fixedpoint.tensor<2x2x[range<-8,7,2>, range<-21,24,2>, range<0,0,0>, fixed<1,6,2>]>
// CHECK-NEXT:   %z = fixedpoint.mul %s, %k : (!fixedpoint.tensor<fixed<0,4,-1>>, !fixedpoint.tensor<fixed<0,3,-1>>) -> !fixedpoint.tensor<fixed<0,7,-2>>
// CHECK-NEXT:   %one = fixedpoint.constant <[4, 4, 4, 4], f=2> : !fixedpoint.tensor<2x2xfixed<0,1,2>>
// CHECK-NEXT:   %o = fixedpoint.mul %x, %one : (!fixedpoint.tensor<2x2xfixed<1,3,0>>, !fixedpoint.tensor<2x2xfixed<0,1,2>>) -> !fixedpoint.tensor<2x2xfixed<1,3,0>>
// CHECK-NEXT:   func.return
