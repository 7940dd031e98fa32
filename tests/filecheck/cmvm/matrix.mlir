// RUN: %roundtrip
// RUN: %generic-roundtrip

// The matrix op shows W row by row (rows are outputs: y = W x); shifts print only when
// some are non-zero.  Entries are Python integers of any size.
func.func @matrix(%a: !cmvm.fx<fixed<1,7,0>>, %b: !cmvm.fx<fixed<0,4,0>>) -> (!cmvm.fx<range<-128,172,0>>, !cmvm.fx<range<-15,0,-1>>) {
  %y:2 = cmvm.matrix [[1, 3], [0, -2]] (%a, %b) : (!cmvm.fx<fixed<1,7,0>>, !cmvm.fx<fixed<0,4,0>>) -> (!cmvm.fx<range<-128,172,0>>, !cmvm.fx<range<-15,0,-1>>)
  func.return %y#0, %y#1 : !cmvm.fx<range<-128,172,0>>, !cmvm.fx<range<-15,0,-1>>
}
// CHECK-LABEL: func.func @matrix
// CHECK:       %y, %y_1 = cmvm.matrix [[1, 3], [0, -2]] (%a, %b) : (!cmvm.fx<fixed<1,7,0>>, !cmvm.fx<fixed<0,4,0>>) -> (!cmvm.fx<range<-128,172,0>>, !cmvm.fx<range<-15,0,-1>>)

func.func @shifted(%a: !cmvm.fx<fixed<1,7,0>>) -> !cmvm.fx<range<-128,127,-5>> {
  %y = cmvm.matrix [[1]] (%a) row_shifts [2] col_shifts [3] : (!cmvm.fx<fixed<1,7,0>>) -> (!cmvm.fx<range<-128,127,-5>>)
  func.return %y : !cmvm.fx<range<-128,127,-5>>
}
// CHECK-LABEL: func.func @shifted
// CHECK:       %y = cmvm.matrix [[1]] (%a) row_shifts [2] col_shifts [3] : (!cmvm.fx<fixed<1,7,0>>) -> (!cmvm.fx<range<-128,127,-5>>)

func.func @huge(%a: !cmvm.fx<fixed<0,1,0>>) -> !cmvm.fx<fixed<0,129,0>> {
  %y = cmvm.matrix [[340282366920938463463374607431768211457]] (%a) : (!cmvm.fx<fixed<0,1,0>>) -> (!cmvm.fx<fixed<0,129,0>>)
  func.return %y : !cmvm.fx<fixed<0,129,0>>
}
// CHECK-LABEL: func.func @huge
// CHECK:       cmvm.matrix [[340282366920938463463374607431768211457]] (%a)

func.func @empty() {
  cmvm.matrix [] () : () -> ()
  func.return
}
// CHECK-LABEL: func.func @empty
// CHECK:       cmvm.matrix [] () : () -> ()

// The CSD form: each entry a string of signed digits, most significant first.
func.func @csd(%a: !cmvm.fx<fixed<1,7,0>>, %b: !cmvm.fx<fixed<0,4,0>>) -> (!cmvm.fx<range<-128,172,0>>, !cmvm.fx<range<-15,0,-1>>) {
  %y:2 = cmvm.csd [["+", "+0-"], ["0", "-"]] (%a, %b) row_shifts [0, 1] : (!cmvm.fx<fixed<1,7,0>>, !cmvm.fx<fixed<0,4,0>>) -> (!cmvm.fx<range<-128,172,0>>, !cmvm.fx<range<-15,0,-1>>)
  func.return %y#0, %y#1 : !cmvm.fx<range<-128,172,0>>, !cmvm.fx<range<-15,0,-1>>
}
// CHECK-LABEL: func.func @csd
// CHECK:       %y, %y_1 = cmvm.csd [["+", "+0-"], ["0", "-"]] (%a, %b) row_shifts [0, 1] : (!cmvm.fx<fixed<1,7,0>>, !cmvm.fx<fixed<0,4,0>>) -> (!cmvm.fx<range<-128,172,0>>, !cmvm.fx<range<-15,0,-1>>)
