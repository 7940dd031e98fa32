// RUN: %roundtrip
// RUN: %generic-roundtrip

// Join along an axis; one input, several inputs, heterogeneous inputs.
func.func @concat(%a: !fixedpoint.tensor<2x1xfixed<1,3,0>>, %b: !fixedpoint.tensor<2x2xfixed<0,2,1>>) {
  %x = fixedpoint.concat %a, %b along 1 : (!fixedpoint.tensor<2x1xfixed<1,3,0>>, !fixedpoint.tensor<2x2xfixed<0,2,1>>) -> !fixedpoint.tensor<2x3x[fixed<1,3,0>, fixed<0,2,1> * 2, fixed<1,3,0>, fixed<0,2,1> * 2]>
  %y = fixedpoint.concat %b, %b, %b along 0 : (!fixedpoint.tensor<2x2xfixed<0,2,1>>, !fixedpoint.tensor<2x2xfixed<0,2,1>>, !fixedpoint.tensor<2x2xfixed<0,2,1>>) -> !fixedpoint.tensor<6x2xfixed<0,2,1>>
  %z = fixedpoint.concat %a along 0 : (!fixedpoint.tensor<2x1xfixed<1,3,0>>) -> !fixedpoint.tensor<2x1xfixed<1,5,2>>
  func.return
}
// CHECK:      func.func @concat(%a: !fixedpoint.tensor<2x1xfixed<1,3,0>>, %b: !fixedpoint.tensor<2x2xfixed<0,2,1>>) {
// CHECK-NEXT:   %x = fixedpoint.concat %a, %b along 1 : (!fixedpoint.tensor<2x1xfixed<1,3,0>>, !fixedpoint.tensor<2x2xfixed<0,2,1>>) -> !fixedpoint.tensor<2x3x[fixed<1,3,0>, fixed<0,2,1> * 2, fixed<1,3,0>, fixed<0,2,1> * 2]>
// CHECK-NEXT:   %y = fixedpoint.concat %b, %b, %b along 0 : (!fixedpoint.tensor<2x2xfixed<0,2,1>>, !fixedpoint.tensor<2x2xfixed<0,2,1>>, !fixedpoint.tensor<2x2xfixed<0,2,1>>) -> !fixedpoint.tensor<6x2xfixed<0,2,1>>
// CHECK-NEXT:   %z = fixedpoint.concat %a along 0 : (!fixedpoint.tensor<2x1xfixed<1,3,0>>) -> !fixedpoint.tensor<2x1xfixed<1,5,2>>
// CHECK-NEXT:   func.return
