// RUN: %roundtrip
// RUN: %generic-roundtrip

func.func @adders(%a: !cmvm.fx<fixed<1,7,0>>, %b: !cmvm.fx<fixed<0,4,0>>) -> !cmvm.fx<range<-381,384,0>> {
  %s = cmvm.add %a, %b shl 2 : (!cmvm.fx<fixed<1,7,0>>, !cmvm.fx<fixed<0,4,0>>) -> !cmvm.fx<range<-128,187,0>>
  %t = cmvm.add %a, %b : (!cmvm.fx<fixed<1,7,0>>, !cmvm.fx<fixed<0,4,0>>) -> !cmvm.fx<fixed<1,8,0>>
  %h = cmvm.sub %a, %b shl -1 : (!cmvm.fx<fixed<1,7,0>>, !cmvm.fx<fixed<0,4,0>>) -> !cmvm.fx<range<-271,254,1>>
  // a - 4a = -3a: the linear form gives the exact range, narrower than interval arithmetic
  %d = cmvm.sub %a, %a shl 2 : (!cmvm.fx<fixed<1,7,0>>, !cmvm.fx<fixed<1,7,0>>) -> !cmvm.fx<range<-381,384,0>>
  func.return %d : !cmvm.fx<range<-381,384,0>>
}
// CHECK-LABEL: func.func @adders
// CHECK:       %s = cmvm.add %a, %b shl 2 : (!cmvm.fx<fixed<1,7,0>>, !cmvm.fx<fixed<0,4,0>>) -> !cmvm.fx<range<-128,187,0>>
// CHECK-NEXT:  %t = cmvm.add %a, %b : (!cmvm.fx<fixed<1,7,0>>, !cmvm.fx<fixed<0,4,0>>) -> !cmvm.fx<fixed<1,8,0>>
// CHECK-NEXT:  %h = cmvm.sub %a, %b shl -1 : (!cmvm.fx<fixed<1,7,0>>, !cmvm.fx<fixed<0,4,0>>) -> !cmvm.fx<range<-271,254,1>>
// CHECK-NEXT:  %d = cmvm.sub %a, %a shl 2 : (!cmvm.fx<fixed<1,7,0>>, !cmvm.fx<fixed<1,7,0>>) -> !cmvm.fx<range<-381,384,0>>

func.func @wiring(%a: !cmvm.fx<fixed<1,7,0>>) -> (!cmvm.fx<range<-127,128,0>>, !cmvm.fx<range<-128,127,3>>, !cmvm.fx<range<-3,-3,2>>, !cmvm.fx<range<12345678901234567890123,12345678901234567890123,0>>) {
  %n = cmvm.neg %a : !cmvm.fx<fixed<1,7,0>> -> !cmvm.fx<range<-127,128,0>>
  %w = cmvm.shift %a by -3 : !cmvm.fx<fixed<1,7,0>> -> !cmvm.fx<range<-128,127,3>>
  %c = cmvm.constant -3 shl -2 : !cmvm.fx<range<-3,-3,2>>
  %k = cmvm.constant 12345678901234567890123 : !cmvm.fx<range<12345678901234567890123,12345678901234567890123,0>>
  func.return %n, %w, %c, %k : !cmvm.fx<range<-127,128,0>>, !cmvm.fx<range<-128,127,3>>, !cmvm.fx<range<-3,-3,2>>, !cmvm.fx<range<12345678901234567890123,12345678901234567890123,0>>
}
// CHECK-LABEL: func.func @wiring
// CHECK:       %n = cmvm.neg %a : !cmvm.fx<fixed<1,7,0>> -> !cmvm.fx<range<-127,128,0>>
// CHECK-NEXT:  %w = cmvm.shift %a by -3 : !cmvm.fx<fixed<1,7,0>> -> !cmvm.fx<range<-128,127,3>>
// CHECK-NEXT:  %c = cmvm.constant -3 shl -2 : !cmvm.fx<range<-3,-3,2>>
// CHECK-NEXT:  %k = cmvm.constant 12345678901234567890123 : !cmvm.fx<range<12345678901234567890123,12345678901234567890123,0>>

// A kernel solved once and called from several places.
func.func private @kernel(%x0: !cmvm.fx<fixed<1,7,0>>, %x1: !cmvm.fx<fixed<1,7,0>>) -> !cmvm.fx<range<-384,381,0>> {
  %y = cmvm.add %x0, %x1 shl 1 : (!cmvm.fx<fixed<1,7,0>>, !cmvm.fx<fixed<1,7,0>>) -> !cmvm.fx<range<-384,381,0>>
  func.return %y : !cmvm.fx<range<-384,381,0>>
}
func.func @two_pixels(%p: !cmvm.fx<fixed<1,7,0>>, %q: !cmvm.fx<fixed<1,7,0>>, %r: !cmvm.fx<fixed<1,7,0>>) -> (!cmvm.fx<range<-384,381,0>>, !cmvm.fx<range<-384,381,0>>) {
  %0 = func.call @kernel(%p, %q) : (!cmvm.fx<fixed<1,7,0>>, !cmvm.fx<fixed<1,7,0>>) -> !cmvm.fx<range<-384,381,0>>
  %1 = func.call @kernel(%q, %r) : (!cmvm.fx<fixed<1,7,0>>, !cmvm.fx<fixed<1,7,0>>) -> !cmvm.fx<range<-384,381,0>>
  func.return %0, %1 : !cmvm.fx<range<-384,381,0>>, !cmvm.fx<range<-384,381,0>>
}
// CHECK-LABEL: func.func @two_pixels
// CHECK:       func.call @kernel(%p, %q)
// CHECK-NEXT:  func.call @kernel(%q, %r)
