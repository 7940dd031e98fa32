// RUN: %roundtrip
// RUN: %generic-roundtrip

// Two elements, two thresholds each: element 0 is a 3-level quantizer (-1, 0, 1), element 1
// a decreasing step function at resolution 2**-1 whose second threshold repeats the first.
func.func @threshold(%x: !fixedpoint.tensor<2xfixed<1,7,0>>) {
  %y = fixedpoint.threshold %x thresholds <[-3, 2, 5, 5], f=0> values <[-1, 0, 1, 3, -1, -1], f=1> : !fixedpoint.tensor<2xfixed<1,7,0>> -> !fixedpoint.tensor<2x[range<-1,1,1>, range<-1,3,1>]>
  %z = fixedpoint.threshold %x thresholds <[-6, 4, 10, 10], f=1> values <[0, 1, 2, 7, 7, 7], f=0> : !fixedpoint.tensor<2xfixed<1,7,0>> -> !fixedpoint.tensor<2xfixed<0,3,0>>
  func.return
}
// CHECK:      func.func @threshold(%x: !fixedpoint.tensor<2xfixed<1,7,0>>) {
// CHECK-NEXT:   %y = fixedpoint.threshold %x thresholds <[-3, 2, 5, 5], f=0> values <[-1, 0, 1, 3, -1, -1], f=1> : !fixedpoint.tensor<2xfixed<1,7,0>> -> !fixedpoint.tensor<2x[range<-1,1,1>, range<-1,3,1>]>
// CHECK-NEXT:   %z = fixedpoint.threshold %x thresholds <[-6, 4, 10, 10], f=1> values <[0, 1, 2, 7, 7, 7], f=0> : !fixedpoint.tensor<2xfixed<1,7,0>> -> !fixedpoint.tensor<2xfixed<0,3,0>>
// CHECK-NEXT:   func.return
