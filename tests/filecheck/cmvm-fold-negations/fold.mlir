// RUN: fpga-opt %s -p cmvm-fold-negations | filecheck %s
// RUN: fpga-opt %s -p cmvm-fold-negations | fpga-opt | filecheck %s

// %d is computed as b - a, so the neg of it is a wire and %y, unchanged, adds it.
func.func @absorbed(%a: !cmvm.fx<fixed<1,7,0>>, %b: !cmvm.fx<fixed<1,7,0>>, %c: !cmvm.fx<fixed<1,7,0>>) -> !cmvm.fx<range<-638,637,0>> {
  %d = cmvm.sub %a, %b : (!cmvm.fx<fixed<1,7,0>>, !cmvm.fx<fixed<1,7,0>>) -> !cmvm.fx<range<-255,255,0>>
  %n = cmvm.neg %d : !cmvm.fx<range<-255,255,0>> -> !cmvm.fx<range<-255,255,0>>
  %y = cmvm.add %c, %n shl 1 : (!cmvm.fx<fixed<1,7,0>>, !cmvm.fx<range<-255,255,0>>) -> !cmvm.fx<range<-638,637,0>>
  func.return %y : !cmvm.fx<range<-638,637,0>>
}
// CHECK-LABEL: func.func @absorbed
// CHECK-NEXT:    %0 = cmvm.sub %b, %a : (!cmvm.fx<fixed<1,7,0>>, !cmvm.fx<fixed<1,7,0>>) -> !cmvm.fx<range<-255,255,0>>
// CHECK-NEXT:    %y = cmvm.add %c, %0 shl 1 : (!cmvm.fx<fixed<1,7,0>>, !cmvm.fx<range<-255,255,0>>) -> !cmvm.fx<range<-638,637,0>>
// CHECK-NEXT:    func.return %y

// A neg whose value is returned, or feeds a nonlinear op, stays: they need the value.
func.func @kept(%a: !cmvm.fx<fixed<1,7,0>>, %b: !cmvm.fx<fixed<1,7,0>>) -> (!cmvm.fx<range<-127,128,0>>, !cmvm.fx<range<0,256,0>>) {
  %d = cmvm.add %a, %b : (!cmvm.fx<fixed<1,7,0>>, !cmvm.fx<fixed<1,7,0>>) -> !cmvm.fx<range<-256,254,0>>
  %n = cmvm.neg %d : !cmvm.fx<range<-256,254,0>> -> !cmvm.fx<range<-254,256,0>>
  %r = cmvm.relu %n : !cmvm.fx<range<-254,256,0>> -> !cmvm.fx<range<0,256,0>>
  %m = cmvm.neg %a : !cmvm.fx<fixed<1,7,0>> -> !cmvm.fx<range<-127,128,0>>
  func.return %m, %r : !cmvm.fx<range<-127,128,0>>, !cmvm.fx<range<0,256,0>>
}
// CHECK-LABEL: func.func @kept
// CHECK:         cmvm.neg %d
// CHECK:         cmvm.relu
// CHECK:         cmvm.neg %a

// A constant takes the sign its adder needs: -(x - 3) + y becomes (3 - x) + y, the neg gone.
func.func @constant(%x: !cmvm.fx<fixed<1,3,2>>, %y: !cmvm.fx<fixed<1,7,0>>) -> !cmvm.fx<range<-531,552,2>> {
  %c = cmvm.constant 3 : !cmvm.fx<range<3,3,0>>
  %s = cmvm.sub %x, %c : (!cmvm.fx<fixed<1,3,2>>, !cmvm.fx<range<3,3,0>>) -> !cmvm.fx<range<-44,19,2>>
  %n = cmvm.neg %s : !cmvm.fx<range<-44,19,2>> -> !cmvm.fx<range<-19,44,2>>
  %z = cmvm.add %n, %y : (!cmvm.fx<range<-19,44,2>>, !cmvm.fx<fixed<1,7,0>>) -> !cmvm.fx<range<-531,552,2>>
  func.return %z : !cmvm.fx<range<-531,552,2>>
}
// CHECK-LABEL: func.func @constant
// CHECK-NOT:     cmvm.neg
// CHECK:         func.return
