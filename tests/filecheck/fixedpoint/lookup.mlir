// RUN: %roundtrip
// RUN: %generic-roundtrip
// RUN: fpga-opt %s -p fixedpoint-infer-precision | filecheck %s --check-prefix=INFER

// A step table shared by all elements: y = values[#{breaks <= x}].
func.func @lookup(%x: !fixedpoint.tensor<2x3xfixed<1,3,1>>) -> !fixedpoint.tensor<2x3xfixed<1,3,2>> {
  %y = fixedpoint.lookup %x breaks <[-3, 0, 5], f=1> values <[-4, 0, 1, 7], f=2> : !fixedpoint.tensor<2x3xfixed<1,3,1>> -> !fixedpoint.tensor<2x3xfixed<1,3,2>>
  func.return %y : !fixedpoint.tensor<2x3xfixed<1,3,2>>
}
// CHECK-LABEL: func.func @lookup
// CHECK:       %y = fixedpoint.lookup %x breaks <[-3, 0, 5], f=1> values <[-4, 0, 1, 7], f=2> : !fixedpoint.tensor<2x3xfixed<1,3,1>> -> !fixedpoint.tensor<2x3xfixed<1,3,2>>
// INFER:       fixedpoint.lookup {{.*}} -> !fixedpoint.tensor<2x3xrange<-4,7,2>>

// Only the steps the input reaches count: x in {0, 1, 2, 3} lies in the steps from -3/2
// (value 0) and from 1/2 (value 1/4), never in the ones below -3/2 or from 7/2.
func.func @reachable(%x: !fixedpoint.tensor<2xfixed<0,2,0>>) -> !fixedpoint.tensor<2xfixed<1,3,2>> {
  %y = fixedpoint.lookup %x breaks <[-3, 1, 7], f=1> values <[-4, 0, 1, 7], f=2> : !fixedpoint.tensor<2xfixed<0,2,0>> -> !fixedpoint.tensor<2xfixed<1,3,2>>
  func.return %y : !fixedpoint.tensor<2xfixed<1,3,2>>
}
// INFER-LABEL: func.func @reachable
// INFER:       fixedpoint.lookup {{.*}} -> !fixedpoint.tensor<2xrange<0,1,2>>
