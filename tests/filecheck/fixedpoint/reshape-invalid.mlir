// RUN: fpga-opt %s --split-input-file --verify-diagnostics --parsing-diagnostics | filecheck %s

func.func @element_count(%x: !fixedpoint.tensor<2x3xfixed<1,3,0>>) {
  %y = fixedpoint.reshape %x : !fixedpoint.tensor<2x3xfixed<1,3,0>> -> !fixedpoint.tensor<5xfixed<1,3,0>>
  func.return
}
// CHECK: reshape cannot turn 6 elements into 5

// -----

// The wide element is the last one in row-major order; it must stay the last one.
func.func @precisions_do_not_follow_elements(%x: !fixedpoint.tensor<2x2x[fixed<1,3,0> * 3, fixed<1,7,0>]>) {
  %y = fixedpoint.reshape %x : !fixedpoint.tensor<2x2x[fixed<1,3,0> * 3, fixed<1,7,0>]> -> !fixedpoint.tensor<4x[fixed<1,7,0>, fixed<1,3,0> * 3]>
  func.return
}
// CHECK: result precision of 'fixedpoint.reshape' is too narrow at element [3]: fixed<1,3,0> cannot hold the exact result range<-128,127,0>
