// RUN: fpga-opt %s -p fixedpoint-infer-precision | filecheck %s
// RUN: fpga-opt %s -p fixedpoint-infer-precision | fpga-opt -p fixedpoint-infer-precision | filecheck %s

// Data movement keeps each element's exact interval with the element.
func.func @movement(%x: !fixedpoint.tensor<2x2x[fixed<1,3,0>, fixed<0,1,1>, fixed<1,3,0> * 2]>, %y: !fixedpoint.tensor<2x1xfixed<0,4,-2>>) -> !fixedpoint.tensor<2x3xfixed<1,7,2>> {
  %r = fixedpoint.reshape %x : !fixedpoint.tensor<2x2x[fixed<1,3,0>, fixed<0,1,1>, fixed<1,3,0> * 2]> -> !fixedpoint.tensor<4x1xfixed<1,7,2>>
  %t = fixedpoint.transpose %x [1, 0] : !fixedpoint.tensor<2x2x[fixed<1,3,0>, fixed<0,1,1>, fixed<1,3,0> * 2]> -> !fixedpoint.tensor<2x2xfixed<1,7,2>>
  %c = fixedpoint.concat %x, %y along 1 : (!fixedpoint.tensor<2x2x[fixed<1,3,0>, fixed<0,1,1>, fixed<1,3,0> * 2]>, !fixedpoint.tensor<2x1xfixed<0,4,-2>>) -> !fixedpoint.tensor<2x3xfixed<1,7,2>>
  func.return %c : !fixedpoint.tensor<2x3xfixed<1,7,2>>
}
// CHECK:      func.func @movement({{.*}}) -> !fixedpoint.tensor<2x3x[range<-8,7,0>, range<0,3,1>, range<0,3,-2>, range<-8,7,0> * 2, range<0,3,-2>]> {
// CHECK-NEXT:   %r = fixedpoint.reshape {{.*}} -> !fixedpoint.tensor<4x1x[range<-8,7,0>, range<0,3,1>, range<-8,7,0> * 2]>
// CHECK-NEXT:   %t = fixedpoint.transpose {{.*}} -> !fixedpoint.tensor<2x2x[range<-8,7,0> * 2, range<0,3,1>, range<-8,7,0>]>
// CHECK-NEXT:   %c = fixedpoint.concat {{.*}} -> !fixedpoint.tensor<2x3x[range<-8,7,0>, range<0,3,1>, range<0,3,-2>, range<-8,7,0> * 2, range<0,3,-2>]>
