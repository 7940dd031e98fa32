// RUN: fpga-opt %s -p fixedpoint-infer-precision | filecheck %s
// RUN: fpga-opt %s -p fixedpoint-infer-precision,fixedpoint-infer-precision | filecheck %s

// The dense range comes from the actual weights: column 0 is x0 - 2*x1 (int4 inputs).
func.func @dense(%x: !fixedpoint.tensor<2xfixed<1,3,0>>) -> !fixedpoint.tensor<2xfixed<1,15,0>> {
  %w = fixedpoint.constant <[1, 0, -2, 3], f=0> : !fixedpoint.tensor<2x2xfixed<1,3,0>>
  %y = fixedpoint.dense %x, %w : (!fixedpoint.tensor<2xfixed<1,3,0>>, !fixedpoint.tensor<2x2xfixed<1,3,0>>) -> !fixedpoint.tensor<2xfixed<1,15,0>>
  func.return %y : !fixedpoint.tensor<2xfixed<1,15,0>>
}
// CHECK:      func.func @dense(%x: !fixedpoint.tensor<2xfixed<1,3,0>>) -> !fixedpoint.tensor<2x[range<-22,23,0>, range<-24,21,0>]>
// CHECK:      %w = fixedpoint.constant <[1, 0, -2, 3], f=0> : !fixedpoint.tensor<2x2xrange<-2,3,0>>
// CHECK-NEXT: %y = fixedpoint.dense %x, %w : {{.*}} -> !fixedpoint.tensor<2x[range<-22,23,0>, range<-24,21,0>]>
