// RUN: fpga-opt %s -p fixedpoint-infer-precision | filecheck %s
// RUN: fpga-opt %s -p fixedpoint-infer-precision | fpga-opt -p fixedpoint-infer-precision | filecheck %s

// a: int8 [-128, 127]; b: [0, 3.5] by halves and, per element, [-1.25, 1.75] by quarters.
func.func @elementwise(%a: !fixedpoint.tensor<2xfixed<1,7,0>>, %b: !fixedpoint.tensor<2x[fixed<0,2,1>, range<-5,7,2>]>) -> !fixedpoint.tensor<2xfixed<1,15,0>> {
  %c = fixedpoint.constant <[-3, 2], f=1> : !fixedpoint.tensor<2xfixed<1,2,1>>
  // int8 + int8 needs 9 bits, and only [-256, 254].
  %s = fixedpoint.add %a, %a : (!fixedpoint.tensor<2xfixed<1,7,0>>, !fixedpoint.tensor<2xfixed<1,7,0>>) -> !fixedpoint.tensor<2xfixed<1,15,0>>
  %add = fixedpoint.add %a, %b : (!fixedpoint.tensor<2xfixed<1,7,0>>, !fixedpoint.tensor<2x[fixed<0,2,1>, range<-5,7,2>]>) -> !fixedpoint.tensor<2xfixed<1,15,2>>
  %sub = fixedpoint.sub %b, %a : (!fixedpoint.tensor<2x[fixed<0,2,1>, range<-5,7,2>]>, !fixedpoint.tensor<2xfixed<1,7,0>>) -> !fixedpoint.tensor<2xfixed<1,15,2>>
  %max = fixedpoint.max %a, %b : (!fixedpoint.tensor<2xfixed<1,7,0>>, !fixedpoint.tensor<2x[fixed<0,2,1>, range<-5,7,2>]>) -> !fixedpoint.tensor<2xfixed<1,15,2>>
  %min = fixedpoint.min %a, %b : (!fixedpoint.tensor<2xfixed<1,7,0>>, !fixedpoint.tensor<2x[fixed<0,2,1>, range<-5,7,2>]>) -> !fixedpoint.tensor<2xfixed<1,15,2>>
  // a * -1.5 and a * 1 (1 = 2 * 2^-1 adds no fractional bit).
  %mul = fixedpoint.mul %a, %c : (!fixedpoint.tensor<2xfixed<1,7,0>>, !fixedpoint.tensor<2xfixed<1,2,1>>) -> !fixedpoint.tensor<2xfixed<1,15,1>>
  %relu = fixedpoint.relu %b : !fixedpoint.tensor<2x[fixed<0,2,1>, range<-5,7,2>]> -> !fixedpoint.tensor<2xfixed<1,15,2>>
  func.return %s : !fixedpoint.tensor<2xfixed<1,15,0>>
}
// CHECK:      func.func @elementwise({{.*}}) -> !fixedpoint.tensor<2xrange<-256,254,0>> {
// CHECK-NEXT:   %c = fixedpoint.constant <[-3, 2], f=1> : !fixedpoint.tensor<2xrange<-3,2,1>>
// CHECK-NEXT:   %s = fixedpoint.add {{.*}} -> !fixedpoint.tensor<2xrange<-256,254,0>>
// CHECK-NEXT:   %add = fixedpoint.add {{.*}} -> !fixedpoint.tensor<2x[range<-256,261,1>, range<-517,515,2>]>
// CHECK-NEXT:   %sub = fixedpoint.sub {{.*}} -> !fixedpoint.tensor<2x[range<-254,263,1>, range<-513,519,2>]>
// CHECK-NEXT:   %max = fixedpoint.max {{.*}} -> !fixedpoint.tensor<2x[range<0,254,1>, range<-5,508,2>]>
// CHECK-NEXT:   %min = fixedpoint.min {{.*}} -> !fixedpoint.tensor<2x[range<-256,7,1>, range<-512,7,2>]>
// CHECK-NEXT:   %mul = fixedpoint.mul {{.*}} -> !fixedpoint.tensor<2x[range<-381,384,1>, range<-128,127,0>]>
// CHECK-NEXT:   %relu = fixedpoint.relu {{.*}} -> !fixedpoint.tensor<2x[range<0,7,1>, range<0,7,2>]>
