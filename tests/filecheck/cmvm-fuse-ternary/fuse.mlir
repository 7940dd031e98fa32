// RUN: fpga-opt %s -p cmvm-fuse-ternary | filecheck %s
// RUN: fpga-opt %s -p cmvm-fuse-ternary | fpga-opt | filecheck %s

// x's only user is y (x its right operand, shifted by 2): c + 4(a - 2b)
func.func @fused(%a: !cmvm.fx<fixed<1,7,0>>, %b: !cmvm.fx<fixed<1,7,0>>, %c: !cmvm.fx<fixed<1,7,0>>) -> !cmvm.fx<range<-1656,1659,0>> {
  %x = cmvm.sub %a, %b shl 1 : (!cmvm.fx<fixed<1,7,0>>, !cmvm.fx<fixed<1,7,0>>) -> !cmvm.fx<range<-382,383,0>>
  %y = cmvm.add %c, %x shl 2 : (!cmvm.fx<fixed<1,7,0>>, !cmvm.fx<range<-382,383,0>>) -> !cmvm.fx<range<-1656,1659,0>>
  func.return %y : !cmvm.fx<range<-1656,1659,0>>
}
// CHECK-LABEL: func.func @fused
// CHECK-NEXT:  %y = cmvm.add3 %c, %a, %b shl [0, 2, 3] signs [1, 1, -1] : (!cmvm.fx<fixed<1,7,0>>, !cmvm.fx<fixed<1,7,0>>, !cmvm.fx<fixed<1,7,0>>) -> !cmvm.fx<range<-1656,1659,0>>
// CHECK-NEXT:  func.return %y

// x is returned as well: it stays, nothing fuses
func.func @shared(%a: !cmvm.fx<fixed<1,7,0>>, %b: !cmvm.fx<fixed<1,7,0>>, %c: !cmvm.fx<fixed<1,7,0>>) -> (!cmvm.fx<range<-256,254,0>>, !cmvm.fx<range<-383,382,0>>) {
  %x = cmvm.add %a, %b : (!cmvm.fx<fixed<1,7,0>>, !cmvm.fx<fixed<1,7,0>>) -> !cmvm.fx<range<-256,254,0>>
  %y = cmvm.sub %x, %c : (!cmvm.fx<range<-256,254,0>>, !cmvm.fx<fixed<1,7,0>>) -> !cmvm.fx<range<-383,382,0>>
  func.return %x, %y : !cmvm.fx<range<-256,254,0>>, !cmvm.fx<range<-383,382,0>>
}
// CHECK-LABEL: func.func @shared
// CHECK-NEXT:  %x = cmvm.add %a, %b
// CHECK-NEXT:  %y = cmvm.sub %x, %c
// CHECK-NOT:   cmvm.add3

// a chain of three: the first two fuse (leaf first), the third stays a two-input adder
func.func @chain(%a: !cmvm.fx<fixed<1,7,0>>, %b: !cmvm.fx<fixed<1,7,0>>, %c: !cmvm.fx<fixed<1,7,0>>, %d: !cmvm.fx<fixed<1,7,0>>) -> !cmvm.fx<range<-511,509,0>> {
  %x = cmvm.add %a, %b : (!cmvm.fx<fixed<1,7,0>>, !cmvm.fx<fixed<1,7,0>>) -> !cmvm.fx<range<-256,254,0>>
  %y = cmvm.sub %x, %c : (!cmvm.fx<range<-256,254,0>>, !cmvm.fx<fixed<1,7,0>>) -> !cmvm.fx<range<-383,382,0>>
  %z = cmvm.add %y, %d : (!cmvm.fx<range<-383,382,0>>, !cmvm.fx<fixed<1,7,0>>) -> !cmvm.fx<range<-511,509,0>>
  func.return %z : !cmvm.fx<range<-511,509,0>>
}
// CHECK-LABEL: func.func @chain
// CHECK-NEXT:  %y = cmvm.add3 %a, %b, %c shl [0, 0, 0] signs [1, 1, -1]
// CHECK-NEXT:  %z = cmvm.add %y, %d
