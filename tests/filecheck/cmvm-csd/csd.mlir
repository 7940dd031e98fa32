// RUN: fpga-opt %s -p cmvm-csd | filecheck %s
// RUN: fpga-opt %s -p cmvm-csd,cmvm-csd | filecheck %s

// Column 1 is 4 * [2, -5]; then row 0 is 2 * [2, 1]; 3 = +0-, -5 = -0-.
func.func @shifts(%a: !cmvm.fx<fixed<1,7,0>>, %b: !cmvm.fx<fixed<1,7,0>>) -> (!cmvm.fx<fixed<1,20,0>>, !cmvm.fx<fixed<1,20,0>>) {
  %y:2 = cmvm.matrix [[4, 8], [3, -20]] (%a, %b) : (!cmvm.fx<fixed<1,7,0>>, !cmvm.fx<fixed<1,7,0>>) -> (!cmvm.fx<fixed<1,20,0>>, !cmvm.fx<fixed<1,20,0>>)
  func.return %y#0, %y#1 : !cmvm.fx<fixed<1,20,0>>, !cmvm.fx<fixed<1,20,0>>
}
// CHECK-LABEL: func.func @shifts
// CHECK:       %y, %y_1 = cmvm.csd [["+0", "+"], ["+0-", "-0-"]] (%a, %b) row_shifts [1, 0] col_shifts [0, 2] : (!cmvm.fx<fixed<1,7,0>>, !cmvm.fx<fixed<1,7,0>>) -> (!cmvm.fx<fixed<1,20,0>>, !cmvm.fx<fixed<1,20,0>>)
// CHECK-NEXT:  func.return %y, %y_1

// Digits are canonical: 7 = +00-, 11 = +0-0-, -13 = -0+0-, 45 = +0-0-0+ (never two
// adjacent non-zero); zero entries, rows and columns stay zero with shift 0.
func.func @digits(%a: !cmvm.fx<fixed<1,7,0>>, %b: !cmvm.fx<fixed<1,7,0>>, %c: !cmvm.fx<fixed<1,7,0>>) -> (!cmvm.fx<fixed<1,20,0>>, !cmvm.fx<fixed<1,20,0>>) {
  %y:2 = cmvm.matrix [[7, 11, 0], [-13, 45, 0]] (%a, %b, %c) : (!cmvm.fx<fixed<1,7,0>>, !cmvm.fx<fixed<1,7,0>>, !cmvm.fx<fixed<1,7,0>>) -> (!cmvm.fx<fixed<1,20,0>>, !cmvm.fx<fixed<1,20,0>>)
  func.return %y#0, %y#1 : !cmvm.fx<fixed<1,20,0>>, !cmvm.fx<fixed<1,20,0>>
}
// CHECK-LABEL: func.func @digits
// CHECK:       cmvm.csd [["+00-", "+0-0-", "0"], ["-0+0-", "+0-0-0+", "0"]] (%a, %b, %c) :

// Shifts already on the op are kept and added to.
func.func @existing_shifts(%a: !cmvm.fx<fixed<1,7,0>>) -> !cmvm.fx<range<-128,127,-3>> {
  %y = cmvm.matrix [[2]] (%a) row_shifts [-1] col_shifts [3] : (!cmvm.fx<fixed<1,7,0>>) -> (!cmvm.fx<range<-128,127,-3>>)
  func.return %y : !cmvm.fx<range<-128,127,-3>>
}
// CHECK-LABEL: func.func @existing_shifts
// CHECK:       cmvm.csd [["+"]] (%a) row_shifts [-1] col_shifts [4] :

// Entries past 64 bits: 2**70 - 1 = +0...0- (69 zeros between).
func.func @huge(%a: !cmvm.fx<fixed<0,1,0>>) -> !cmvm.fx<fixed<0,71,0>> {
  %y = cmvm.matrix [[1180591620717411303423]] (%a) : (!cmvm.fx<fixed<0,1,0>>) -> (!cmvm.fx<fixed<0,71,0>>)
  func.return %y : !cmvm.fx<fixed<0,71,0>>
}
// CHECK-LABEL: func.func @huge
// CHECK:       cmvm.csd [["+000000000000000000000000000000000000000000000000000000000000000000000-"]] (%a) :
