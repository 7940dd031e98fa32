// RUN: fpga-opt %s -p cmvm-cse | filecheck %s
// RUN: fpga-opt %s -p cmvm-csd,cmvm-cse | filecheck %s
// RUN: fpga-opt %s -p 'cmvm-cse{objective=adder_bits max_depth=2}' | filecheck %s

// The H.264 4x4 integer transform: 8 adders (a butterfly), depth 2.
func.func @h264(%a: !cmvm.fx<fixed<1,7,0>>, %b: !cmvm.fx<fixed<1,7,0>>, %c: !cmvm.fx<fixed<1,7,0>>, %d: !cmvm.fx<fixed<1,7,0>>) -> (!cmvm.fx<fixed<1,11,0>>, !cmvm.fx<fixed<1,11,0>>, !cmvm.fx<fixed<1,11,0>>, !cmvm.fx<fixed<1,11,0>>) {
  %y:4 = cmvm.matrix [[1, 1, 1, 1], [2, 1, -1, 1], [1, -1, -1, 1], [1, -2, 2, 1]] (%a, %b, %c, %d) : (!cmvm.fx<fixed<1,7,0>>, !cmvm.fx<fixed<1,7,0>>, !cmvm.fx<fixed<1,7,0>>, !cmvm.fx<fixed<1,7,0>>) -> (!cmvm.fx<fixed<1,11,0>>, !cmvm.fx<fixed<1,11,0>>, !cmvm.fx<fixed<1,11,0>>, !cmvm.fx<fixed<1,11,0>>)
  func.return %y#0, %y#1, %y#2, %y#3 : !cmvm.fx<fixed<1,11,0>>, !cmvm.fx<fixed<1,11,0>>, !cmvm.fx<fixed<1,11,0>>, !cmvm.fx<fixed<1,11,0>>
}
// CHECK-LABEL: func.func @h264
// CHECK-NOT:     cmvm.matrix
// CHECK-NOT:     cmvm.csd
// CHECK-COUNT-8: = cmvm.{{add|sub}} %{{.*}} -> !cmvm.fx<
// CHECK-NOT:     cmvm.{{add|sub|neg}}
// CHECK:         func.return
