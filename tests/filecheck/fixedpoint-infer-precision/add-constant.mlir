// RUN: fpga-opt %s -p fixedpoint-infer-precision | filecheck %s

// A constant's type spans all its values, but an op that reads it sees each value: adding
// [1, -5] to int4 gives [-7, 8] and [-13, 2], not the hull's [-13, 8] twice.
func.func @f(%x: !fixedpoint.tensor<2xfixed<1,3,0>>) -> !fixedpoint.tensor<2xfixed<1,8,0>> {
  %c = fixedpoint.constant <[1, -5], f=0> : !fixedpoint.tensor<2xfixed<1,3,0>>
  %y = fixedpoint.add %x, %c : (!fixedpoint.tensor<2xfixed<1,3,0>>, !fixedpoint.tensor<2xfixed<1,3,0>>) -> !fixedpoint.tensor<2xfixed<1,8,0>>
  func.return %y : !fixedpoint.tensor<2xfixed<1,8,0>>
}
// CHECK: %c = fixedpoint.constant <[1, -5], f=0> : !fixedpoint.tensor<2xrange<-5,1,0>>
// CHECK: fixedpoint.add %x, %c : {{.*}} -> !fixedpoint.tensor<2x[range<-7,8,0>, range<-13,2,0>]>
