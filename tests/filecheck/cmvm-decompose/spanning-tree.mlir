// RUN: fpga-opt %s -p 'cmvm-decompose{extra_depth=1}' | filecheck %s
// RUN: fpga-opt %s -p cmvm-decompose | filecheck %s --check-prefix=NOEXTRA

// Row 1 is row 0 plus [0, 1]: with one extra level allowed, y1 = y0 + b.
func.func @close_rows(%a: !cmvm.fx<fixed<1,7,0>>, %b: !cmvm.fx<fixed<1,7,0>>) -> (!cmvm.fx<range<-1024,1016,0>>, !cmvm.fx<range<-1152,1143,0>>) {
  %y:2 = cmvm.matrix [[3, 5], [3, 6]] (%a, %b) : (!cmvm.fx<fixed<1,7,0>>, !cmvm.fx<fixed<1,7,0>>) -> (!cmvm.fx<range<-1024,1016,0>>, !cmvm.fx<range<-1152,1143,0>>)
  func.return %y#0, %y#1 : !cmvm.fx<range<-1024,1016,0>>, !cmvm.fx<range<-1152,1143,0>>
}
// CHECK-LABEL: func.func @close_rows
// CHECK:       %[[T:.*]], %[[U:.*]] = cmvm.matrix [[3, 5], [0, 1]] (%a, %b) : (!cmvm.fx<fixed<1,7,0>>, !cmvm.fx<fixed<1,7,0>>) -> (!cmvm.fx<range<-1024,1016,0>>, !cmvm.fx<range<-128,127,0>>)
// CHECK-NEXT:  %y, %y_1 = cmvm.matrix [[1, 0], [1, 1]] (%[[T]], %[[U]]) : ({{.*}}) -> (!cmvm.fx<range<-1024,1016,0>>, !cmvm.fx<range<-1152,1143,0>>)
// NOEXTRA-LABEL: func.func @close_rows
// NOEXTRA:       cmvm.matrix [[3, 5], [3, 6]] (%a, %b)
// NOEXTRA-NOT:   cmvm.matrix

// Equal and negated rows cost nothing: built from the first row at no extra depth.
func.func @repeated_rows(%a: !cmvm.fx<fixed<1,7,0>>, %b: !cmvm.fx<fixed<1,7,0>>) -> (!cmvm.fx<range<-384,381,0>>, !cmvm.fx<range<-384,381,0>>, !cmvm.fx<range<-381,384,0>>) {
  %y:3 = cmvm.matrix [[1, 2], [1, 2], [-1, -2]] (%a, %b) : (!cmvm.fx<fixed<1,7,0>>, !cmvm.fx<fixed<1,7,0>>) -> (!cmvm.fx<range<-384,381,0>>, !cmvm.fx<range<-384,381,0>>, !cmvm.fx<range<-381,384,0>>)
  func.return %y#0, %y#1, %y#2 : !cmvm.fx<range<-384,381,0>>, !cmvm.fx<range<-384,381,0>>, !cmvm.fx<range<-381,384,0>>
}
// CHECK-LABEL: func.func @repeated_rows
// CHECK:       cmvm.matrix [[1, 1], [0, 0], [0, 0]] (%a, %b) col_shifts [0, 1]
// CHECK-NEXT:  cmvm.matrix [[1, 0, 0], [1, 1, 0], [-1, 0, 1]]
// NOEXTRA-LABEL: func.func @repeated_rows
// NOEXTRA:       cmvm.matrix [[1, 1], [0, 0], [0, 0]] (%a, %b) col_shifts [0, 1]
// NOEXTRA-NEXT:  cmvm.matrix [[1, 0, 0], [1, 1, 0], [-1, 0, 1]]

// A matrix already in CSD form stays in CSD form.
func.func @csd(%a: !cmvm.fx<fixed<1,7,0>>, %b: !cmvm.fx<fixed<1,7,0>>) -> (!cmvm.fx<range<-1024,1016,0>>, !cmvm.fx<range<-1152,1143,0>>) {
  %y:2 = cmvm.csd [["+0-", "+0+"], ["+0-", "+0-0"]] (%a, %b) : (!cmvm.fx<fixed<1,7,0>>, !cmvm.fx<fixed<1,7,0>>) -> (!cmvm.fx<range<-1024,1016,0>>, !cmvm.fx<range<-1152,1143,0>>)
  func.return %y#0, %y#1 : !cmvm.fx<range<-1024,1016,0>>, !cmvm.fx<range<-1152,1143,0>>
}
// CHECK-LABEL: func.func @csd
// CHECK:       cmvm.csd [["+0-", "+0+"], ["0", "+"]] (%a, %b)
// CHECK-NEXT:  cmvm.csd [["+", "0"], ["+", "+"]]
