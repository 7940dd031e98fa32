// RUN: %roundtrip
// RUN: %generic-roundtrip

func.func @relu(%x: !fixedpoint.tensor<2x3xfixed<1,3,1>>, %s: !fixedpoint.tensor<fixed<1,-1,2>>) {
  %y = fixedpoint.relu %x : !fixedpoint.tensor<2x3xfixed<1,3,1>> -> !fixedpoint.tensor<2x3xrange<0,15,1>>
  %z = fixedpoint.relu %s : !fixedpoint.tensor<fixed<1,-1,2>> -> !fixedpoint.tensor<fixed<1,-1,2>>
  func.return
}
// CHECK:      func.func @relu(%x: !fixedpoint.tensor<2x3xfixed<1,3,1>>, %s: !fixedpoint.tensor<fixed<1,-1,2>>) {
// CHECK-NEXT:   %y = fixedpoint.relu %x : !fixedpoint.tensor<2x3xfixed<1,3,1>> -> !fixedpoint.tensor<2x3xrange<0,15,1>>
// CHECK-NEXT:   %z = fixedpoint.relu %s : !fixedpoint.tensor<fixed<1,-1,2>> -> !fixedpoint.tensor<fixed<1,-1,2>>
// CHECK-NEXT:   func.return
