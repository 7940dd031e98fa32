// RUN: fpga-opt %s -p fixedpoint-infer-precision | filecheck %s
// RUN: fpga-opt %s -p fixedpoint-infer-precision | fpga-opt -p fixedpoint-infer-precision | filecheck %s

// x in fixed<1,3,2> is [-8, 7.75]; u in fixed<0,3,0> is 0..7.
func.func @quantize(%x: !fixedpoint.tensor<2xfixed<1,3,2>>, %u: !fixedpoint.tensor<2xfixed<0,3,0>>) -> (!fixedpoint.tensor<2xfixed<1,2,0>>, !fixedpoint.tensor<2xfixed<1,2,0>>, !fixedpoint.tensor<2xfixed<1,2,0>>, !fixedpoint.tensor<2xfixed<0,3,0>>, !fixedpoint.tensor<2xfixed<0,2,1>>, !fixedpoint.tensor<2x[fixed<1,1,1>, fixed<0,2,-1>]>) {
  // Wraps: the whole of fixed<1,2,0>.
  %a = fixedpoint.quantize %x to <fixed<1,2,0>> TRN WRAP : !fixedpoint.tensor<2xfixed<1,3,2>> -> !fixedpoint.tensor<2xfixed<1,2,0>>
  %b = fixedpoint.quantize %x to <fixed<1,2,0>> RND SAT : !fixedpoint.tensor<2xfixed<1,3,2>> -> !fixedpoint.tensor<2xfixed<1,2,0>>
  // SAT_SYM leaves out -4.
  %c = fixedpoint.quantize %x to <fixed<1,2,0>> RND_CONV SAT_SYM : !fixedpoint.tensor<2xfixed<1,3,2>> -> !fixedpoint.tensor<2xfixed<1,2,0>>
  // 0..7 in a 4-bit unsigned format: nothing wraps, the range stays 0..7, not 0..15.
  %d = fixedpoint.quantize %u to <fixed<0,4,0>> TRN WRAP : !fixedpoint.tensor<2xfixed<0,3,0>> -> !fixedpoint.tensor<2xfixed<0,3,0>>
  // Integers 0..7 into [0, 3.5] by halves: they wrap onto the even mantissas, 0..3.
  %e = fixedpoint.quantize %u to <fixed<0,2,1>> TRN WRAP : !fixedpoint.tensor<2xfixed<0,3,0>> -> !fixedpoint.tensor<2xfixed<0,2,1>>
  // Per element: [-2, 1.5] by halves; {0, 2} (one bit at weight 2).
  %g = fixedpoint.quantize %x to <[fixed<1,1,1>, fixed<0,2,-1>]> RND SAT : !fixedpoint.tensor<2xfixed<1,3,2>> -> !fixedpoint.tensor<2x[fixed<1,1,1>, fixed<0,2,-1>]>
  func.return %a, %b, %c, %d, %e, %g : !fixedpoint.tensor<2xfixed<1,2,0>>, !fixedpoint.tensor<2xfixed<1,2,0>>, !fixedpoint.tensor<2xfixed<1,2,0>>, !fixedpoint.tensor<2xfixed<0,3,0>>, !fixedpoint.tensor<2xfixed<0,2,1>>, !fixedpoint.tensor<2x[fixed<1,1,1>, fixed<0,2,-1>]>
}
// CHECK:      func.func @quantize(%x: !fixedpoint.tensor<2xfixed<1,3,2>>, %u: !fixedpoint.tensor<2xfixed<0,3,0>>) -> (!fixedpoint.tensor<2xrange<-4,3,0>>, !fixedpoint.tensor<2xrange<-4,3,0>>, !fixedpoint.tensor<2xrange<-3,3,0>>, !fixedpoint.tensor<2xrange<0,7,0>>, !fixedpoint.tensor<2xrange<0,6,1>>, !fixedpoint.tensor<2x[range<-4,3,1>, range<0,1,-1>]>) {
// CHECK-NEXT:   %a = fixedpoint.quantize %x to <fixed<1,2,0>> TRN WRAP : !fixedpoint.tensor<2xfixed<1,3,2>> -> !fixedpoint.tensor<2xrange<-4,3,0>>
// CHECK-NEXT:   %b = fixedpoint.quantize %x to <fixed<1,2,0>> RND SAT : !fixedpoint.tensor<2xfixed<1,3,2>> -> !fixedpoint.tensor<2xrange<-4,3,0>>
// CHECK-NEXT:   %c = fixedpoint.quantize %x to <fixed<1,2,0>> RND_CONV SAT_SYM : !fixedpoint.tensor<2xfixed<1,3,2>> -> !fixedpoint.tensor<2xrange<-3,3,0>>
// CHECK-NEXT:   %d = fixedpoint.quantize %u to <fixed<0,4,0>> TRN WRAP : !fixedpoint.tensor<2xfixed<0,3,0>> -> !fixedpoint.tensor<2xrange<0,7,0>>
// CHECK-NEXT:   %e = fixedpoint.quantize %u to <fixed<0,2,1>> TRN WRAP : !fixedpoint.tensor<2xfixed<0,3,0>> -> !fixedpoint.tensor<2xrange<0,6,1>>
// CHECK-NEXT:   %g = fixedpoint.quantize %x to <[fixed<1,1,1>, fixed<0,2,-1>]> RND SAT : !fixedpoint.tensor<2xfixed<1,3,2>> -> !fixedpoint.tensor<2x[range<-4,3,1>, range<0,1,-1>]>
// CHECK-NEXT:   func.return %a, %b, %c, %d, %e, %g
