// RUN: %roundtrip
// RUN: %generic-roundtrip

// Equal per-element precisions print in the homogeneous form; runs print as `P * n`.
func.func @types(%a: !fixedpoint.tensor<3x[fixed<1,3,0>, fixed<1,3,0>, fixed<1,3,0>]>,
                 %b: !fixedpoint.tensor<4x[fixed<1,3,0>, fixed<1,3,0>, range<0,1,0>, fixed<1,3,0>]>,
                 %c: !fixedpoint.tensor<2x[fixed<0,0,0> * 2]>,
                 %d: !fixedpoint.tensor<1x2x1xfixed<1,-1,3>>,
                 %e: !fixedpoint.tensor<fixed<0,-2,2>>,
                 %f: !fixedpoint.tensor<0xfixed<1,7,0>>,
                 %g: !fixedpoint.tensor<0x[]>,
                 %h: !fixedpoint.tensor<2xrange<-1024,-3,-4>>) {
  func.return
}
// CHECK:      func.func @types(%a: !fixedpoint.tensor<3xfixed<1,3,0>>,
// CHECK-SAME: %b: !fixedpoint.tensor<4x[fixed<1,3,0> * 2, range<0,1,0>, fixed<1,3,0>]>,
// CHECK-SAME: %c: !fixedpoint.tensor<2xfixed<0,0,0>>,
// CHECK-SAME: %d: !fixedpoint.tensor<1x2x1xfixed<1,-1,3>>,
// CHECK-SAME: %e: !fixedpoint.tensor<fixed<0,-2,2>>,
// CHECK-SAME: %f: !fixedpoint.tensor<0xfixed<1,7,0>>,
// CHECK-SAME: %g: !fixedpoint.tensor<0x[]>,
// CHECK-SAME: %h: !fixedpoint.tensor<2xrange<-1024,-3,-4>>) {
