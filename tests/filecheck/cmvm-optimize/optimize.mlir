// RUN: fpga-opt %s -p 'cmvm-optimize{extra_depth=1}' | filecheck %s
// RUN: fpga-opt %s -p 'cmvm-optimize{extra_depth=0}' | filecheck %s --check-prefix=LEAST
// RUN: fpga-opt %s -p cmvm-optimize | filecheck %s

// y1 = y0 + b once one extra adder level is allowed: 4 adders instead of 5.  By default
// the solver tries a few depth budgets and keeps the shallowest within 1% of the best.
func.func @close_rows(%a: !cmvm.fx<fixed<1,7,0>>, %b: !cmvm.fx<fixed<1,7,0>>) -> (!cmvm.fx<range<-1024,1016,0>>, !cmvm.fx<range<-1152,1143,0>>) {
  %y:2 = cmvm.matrix [[3, 5], [3, 6]] (%a, %b) : (!cmvm.fx<fixed<1,7,0>>, !cmvm.fx<fixed<1,7,0>>) -> (!cmvm.fx<range<-1024,1016,0>>, !cmvm.fx<range<-1152,1143,0>>)
  func.return %y#0, %y#1 : !cmvm.fx<range<-1024,1016,0>>, !cmvm.fx<range<-1152,1143,0>>
}
// CHECK-LABEL:   func.func @close_rows
// CHECK-COUNT-4: = cmvm.{{add|sub}}
// CHECK-NOT:     cmvm.{{add|sub|neg}}
// CHECK:         func.return
// LEAST-LABEL:   func.func @close_rows
// LEAST-COUNT-5: = cmvm.{{add|sub}}
// LEAST-NOT:     cmvm.{{add|sub|neg}}
// LEAST:         func.return
