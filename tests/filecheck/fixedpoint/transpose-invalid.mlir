// RUN: fpga-opt %s --split-input-file --verify-diagnostics --parsing-diagnostics | filecheck %s

func.func @repeated_axis(%x: !fixedpoint.tensor<2x3xfixed<1,3,0>>) {
  %y = fixedpoint.transpose %x [0, 0] : !fixedpoint.tensor<2x3xfixed<1,3,0>> -> !fixedpoint.tensor<2x2xfixed<1,3,0>>
  func.return
}
// CHECK: [0, 0] is not a permutation of 2 axes

// -----

func.func @axis_out_of_range(%x: !fixedpoint.tensor<2x3xfixed<1,3,0>>) {
  %y = fixedpoint.transpose %x [2, 0] : !fixedpoint.tensor<2x3xfixed<1,3,0>> -> !fixedpoint.tensor<3x2xfixed<1,3,0>>
  func.return
}
// CHECK: [2, 0] is not a permutation of 2 axes

// -----

func.func @too_short(%x: !fixedpoint.tensor<2x3x4xfixed<1,3,0>>) {
  %y = fixedpoint.transpose %x [1, 0] : !fixedpoint.tensor<2x3x4xfixed<1,3,0>> -> !fixedpoint.tensor<3x2x4xfixed<1,3,0>>
  func.return
}
// CHECK: [1, 0] is not a permutation of 3 axes

// -----

func.func @negative_axis(%x: !fixedpoint.tensor<2x3xfixed<1,3,0>>) {
  %y = fixedpoint.transpose %x [-1, 0] : !fixedpoint.tensor<2x3xfixed<1,3,0>> -> !fixedpoint.tensor<3x2xfixed<1,3,0>>
  func.return
}
// CHECK: [-1, 0] is not a permutation of 2 axes

// -----

func.func @wrong_result_shape(%x: !fixedpoint.tensor<2x3xfixed<1,3,0>>) {
  %y = fixedpoint.transpose %x [1, 0] : !fixedpoint.tensor<2x3xfixed<1,3,0>> -> !fixedpoint.tensor<2x3xfixed<1,3,0>>
  func.return
}
// CHECK: result shape [2, 3] of 'fixedpoint.transpose' should be [3, 2]

// -----

// Element [1, 0] of the result is element [0, 1] of the input: the wide one.
func.func @precisions_do_not_follow_elements(%x: !fixedpoint.tensor<2x2x[fixed<1,3,0>, fixed<1,7,0>, fixed<1,3,0> * 2]>) {
  %y = fixedpoint.transpose %x [1, 0] : !fixedpoint.tensor<2x2x[fixed<1,3,0>, fixed<1,7,0>, fixed<1,3,0> * 2]> -> !fixedpoint.tensor<2x2x[fixed<1,3,0>, fixed<1,7,0>, fixed<1,3,0> * 2]>
  func.return
}
// CHECK: result precision of 'fixedpoint.transpose' is too narrow at element [1, 0]: fixed<1,3,0> cannot hold the exact result range<-128,127,0>
