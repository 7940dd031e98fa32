// RUN: %roundtrip
// RUN: %generic-roundtrip

// a + 4b - c/2: one three-operand adder
func.func @add3(%a: !cmvm.fx<fixed<1,7,0>>, %b: !cmvm.fx<fixed<1,7,0>>, %c: !cmvm.fx<fixed<1,7,0>>) -> !cmvm.fx<range<-1407,1398,1>> {
  %y = cmvm.add3 %a, %b, %c shl [0, 2, -1] signs [1, 1, -1] : (!cmvm.fx<fixed<1,7,0>>, !cmvm.fx<fixed<1,7,0>>, !cmvm.fx<fixed<1,7,0>>) -> !cmvm.fx<range<-1407,1398,1>>
  func.return %y : !cmvm.fx<range<-1407,1398,1>>
}
// CHECK-LABEL: func.func @add3
// CHECK:       %y = cmvm.add3 %a, %b, %c shl [0, 2, -1] signs [1, 1, -1] : (!cmvm.fx<fixed<1,7,0>>, !cmvm.fx<fixed<1,7,0>>, !cmvm.fx<fixed<1,7,0>>) -> !cmvm.fx<range<-1407,1398,1>>

// a - a - a = -a: the linear form gives the exact range
func.func @exact(%a: !cmvm.fx<fixed<1,7,0>>) -> !cmvm.fx<range<-127,128,0>> {
  %y = cmvm.add3 %a, %a, %a shl [0, 0, 0] signs [1, -1, -1] : (!cmvm.fx<fixed<1,7,0>>, !cmvm.fx<fixed<1,7,0>>, !cmvm.fx<fixed<1,7,0>>) -> !cmvm.fx<range<-127,128,0>>
  func.return %y : !cmvm.fx<range<-127,128,0>>
}
// CHECK-LABEL: func.func @exact
// CHECK:       %y = cmvm.add3 %a, %a, %a shl [0, 0, 0] signs [1, -1, -1]
