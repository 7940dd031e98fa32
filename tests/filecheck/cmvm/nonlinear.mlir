// RUN: %roundtrip
// RUN: %generic-roundtrip

func.func @nonlinear(%a: !cmvm.fx<fixed<1,7,0>>, %b: !cmvm.fx<fixed<0,3,1>>) -> (!cmvm.fx<range<0,127,0>>, !cmvm.fx<range<-256,254,1>>, !cmvm.fx<range<-256,15,1>>, !cmvm.fx<fixed<1,3,2>>, !cmvm.fx<range<0,6,0>>) {
  %r = cmvm.relu %a : !cmvm.fx<fixed<1,7,0>> -> !cmvm.fx<range<0,127,0>>
  %m = cmvm.max %a, %b : (!cmvm.fx<fixed<1,7,0>>, !cmvm.fx<fixed<0,3,1>>) -> !cmvm.fx<range<-256,254,1>>
  %n = cmvm.min %a, %b : (!cmvm.fx<fixed<1,7,0>>, !cmvm.fx<fixed<0,3,1>>) -> !cmvm.fx<range<-256,15,1>>
  %q = cmvm.quantize %a to fixed<1,3,2> RND_CONV SAT_SYM : !cmvm.fx<fixed<1,7,0>> -> !cmvm.fx<fixed<1,3,2>>
  %l = cmvm.lookup %b over range<0,15,1> table <[0, 0, 2, 2, 2, 2, 4, 4, 4, 4, 4, 6, 6, 6, 6, 6], f=0> : !cmvm.fx<fixed<0,3,1>> -> !cmvm.fx<range<0,6,0>>
  func.return %r, %m, %n, %q, %l : !cmvm.fx<range<0,127,0>>, !cmvm.fx<range<-256,254,1>>, !cmvm.fx<range<-256,15,1>>, !cmvm.fx<fixed<1,3,2>>, !cmvm.fx<range<0,6,0>>
}
// CHECK-LABEL: func.func @nonlinear
// CHECK:       %r = cmvm.relu %a : !cmvm.fx<fixed<1,7,0>> -> !cmvm.fx<range<0,127,0>>
// CHECK-NEXT:  %m = cmvm.max %a, %b : (!cmvm.fx<fixed<1,7,0>>, !cmvm.fx<fixed<0,3,1>>) -> !cmvm.fx<range<-256,254,1>>
// CHECK-NEXT:  %n = cmvm.min %a, %b : (!cmvm.fx<fixed<1,7,0>>, !cmvm.fx<fixed<0,3,1>>) -> !cmvm.fx<range<-256,15,1>>
// CHECK-NEXT:  %q = cmvm.quantize %a to fixed<1,3,2> RND_CONV SAT_SYM : !cmvm.fx<fixed<1,7,0>> -> !cmvm.fx<fixed<1,3,2>>
// CHECK-NEXT:  %l = cmvm.lookup %b over range<0,15,1> table <[0, 0, 2, 2, 2, 2, 4, 4, 4, 4, 4, 6, 6, 6, 6, 6], f=0> : !cmvm.fx<fixed<0,3,1>> -> !cmvm.fx<range<0,6,0>>
