// RUN: %roundtrip
// RUN: %generic-roundtrip

// Every rounding and overflow mode, negative i and f, and per-element formats.
func.func @quantize(%x: !fixedpoint.tensor<3xfixed<1,3,2>>) {
  %a = fixedpoint.quantize %x to <fixed<1,2,0>> TRN WRAP : !fixedpoint.tensor<3xfixed<1,3,2>> -> !fixedpoint.tensor<3xfixed<1,2,0>>
  %b = fixedpoint.quantize %x to <fixed<0,2,1>> RND SAT : !fixedpoint.tensor<3xfixed<1,3,2>> -> !fixedpoint.tensor<3xfixed<0,2,1>>
  %c = fixedpoint.quantize %x to <fixed<1,4,-2>> RND_CONV SAT_SYM : !fixedpoint.tensor<3xfixed<1,3,2>> -> !fixedpoint.tensor<3xfixed<1,4,-2>>
  %d = fixedpoint.quantize %x to <fixed<0,-1,3>> TRN SAT : !fixedpoint.tensor<3xfixed<1,3,2>> -> !fixedpoint.tensor<3xfixed<0,-1,3>>
  %e = fixedpoint.quantize %x to <[fixed<1,1,1> * 2, fixed<0,0,0>]> RND WRAP : !fixedpoint.tensor<3xfixed<1,3,2>> -> !fixedpoint.tensor<3x[fixed<1,1,1> * 2, fixed<0,0,0>]>
  %f = fixedpoint.quantize %x to <fixed<1,2,0>> RND_CONV WRAP : !fixedpoint.tensor<3xfixed<1,3,2>> -> !fixedpoint.tensor<3xrange<-8,7,0>>
  func.return
}
// CHECK:      func.func @quantize(%x: !fixedpoint.tensor<3xfixed<1,3,2>>) {
// CHECK-NEXT:   %a = fixedpoint.quantize %x to <fixed<1,2,0>> TRN WRAP : !fixedpoint.tensor<3xfixed<1,3,2>> -> !fixedpoint.tensor<3xfixed<1,2,0>>
// CHECK-NEXT:   %b = fixedpoint.quantize %x to <fixed<0,2,1>> RND SAT : !fixedpoint.tensor<3xfixed<1,3,2>> -> !fixedpoint.tensor<3xfixed<0,2,1>>
// CHECK-NEXT:   %c = fixedpoint.quantize %x to <fixed<1,4,-2>> RND_CONV SAT_SYM : !fixedpoint.tensor<3xfixed<1,3,2>> -> !fixedpoint.tensor<3xfixed<1,4,-2>>
// CHECK-NEXT:   %d = fixedpoint.quantize %x to <fixed<0,-1,3>> TRN SAT : !fixedpoint.tensor<3xfixed<1,3,2>> -> !fixedpoint.tensor<3xfixed<0,-1,3>>
// CHECK-NEXT:   %e = fixedpoint.quantize %x to <[fixed<1,1,1> * 2, fixed<0,0,0>]> RND WRAP : !fixedpoint.tensor<3xfixed<1,3,2>> -> !fixedpoint.tensor<3x[fixed<1,1,1> * 2, fixed<0,0,0>]>
// CHECK-NEXT:   %f = fixedpoint.quantize %x to <fixed<1,2,0>> RND_CONV WRAP : !fixedpoint.tensor<3xfixed<1,3,2>> -> !fixedpoint.tensor<3xrange<-8,7,0>>
// CHECK-NEXT:   func.return
