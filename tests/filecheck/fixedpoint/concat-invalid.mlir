// RUN: fpga-opt %s --split-input-file --verify-diagnostics --parsing-diagnostics | filecheck %s

func.func @axis_too_large(%a: !fixedpoint.tensor<2x3xfixed<1,3,0>>) {
  %y = fixedpoint.concat %a, %a along 2 : (!fixedpoint.tensor<2x3xfixed<1,3,0>>, !fixedpoint.tensor<2x3xfixed<1,3,0>>) -> !fixedpoint.tensor<2x6xfixed<1,3,0>>
  func.return
}
// CHECK: concat axis 2 is out of range for rank 2

// -----

func.func @negative_axis(%a: !fixedpoint.tensor<2x3xfixed<1,3,0>>) {
  %y = fixedpoint.concat %a, %a along -1 : (!fixedpoint.tensor<2x3xfixed<1,3,0>>, !fixedpoint.tensor<2x3xfixed<1,3,0>>) -> !fixedpoint.tensor<2x6xfixed<1,3,0>>
  func.return
}
// CHECK: concat axis -1 is out of range for rank 2

// -----

func.func @scalars(%a: !fixedpoint.tensor<fixed<1,3,0>>) {
  %y = fixedpoint.concat %a, %a along 0 : (!fixedpoint.tensor<fixed<1,3,0>>, !fixedpoint.tensor<fixed<1,3,0>>) -> !fixedpoint.tensor<2xfixed<1,3,0>>
  func.return
}
// CHECK: concat axis 0 is out of range for rank 0

// -----

func.func @other_dimension_differs(%a: !fixedpoint.tensor<2x3xfixed<1,3,0>>, %b: !fixedpoint.tensor<3x3xfixed<1,3,0>>) {
  %y = fixedpoint.concat %a, %b along 1 : (!fixedpoint.tensor<2x3xfixed<1,3,0>>, !fixedpoint.tensor<3x3xfixed<1,3,0>>) -> !fixedpoint.tensor<2x6xfixed<1,3,0>>
  func.return
}
// CHECK: concat along axis 1 needs equal other dimensions, got [[2, 3], [3, 3]]

// -----

func.func @rank_differs(%a: !fixedpoint.tensor<2x3xfixed<1,3,0>>, %b: !fixedpoint.tensor<2x3x1xfixed<1,3,0>>) {
  %y = fixedpoint.concat %a, %b along 1 : (!fixedpoint.tensor<2x3xfixed<1,3,0>>, !fixedpoint.tensor<2x3x1xfixed<1,3,0>>) -> !fixedpoint.tensor<2x6xfixed<1,3,0>>
  func.return
}
// CHECK: concat along axis 1 needs equal other dimensions, got [[2, 3], [2, 3, 1]]

// -----

func.func @no_inputs() {
  %y = fixedpoint.concat along 0 : () -> !fixedpoint.tensor<0xfixed<1,3,0>>
  func.return
}
// CHECK: concat needs at least one input

// -----

func.func @wrong_result_shape(%a: !fixedpoint.tensor<2x3xfixed<1,3,0>>) {
  %y = fixedpoint.concat %a, %a along 0 : (!fixedpoint.tensor<2x3xfixed<1,3,0>>, !fixedpoint.tensor<2x3xfixed<1,3,0>>) -> !fixedpoint.tensor<2x6xfixed<1,3,0>>
  func.return
}
// CHECK: result shape [2, 6] of 'fixedpoint.concat' should be [4, 3]

// -----

func.func @too_narrow(%a: !fixedpoint.tensor<2xfixed<1,3,0>>, %b: !fixedpoint.tensor<1xfixed<0,5,0>>) {
  %y = fixedpoint.concat %a, %b along 0 : (!fixedpoint.tensor<2xfixed<1,3,0>>, !fixedpoint.tensor<1xfixed<0,5,0>>) -> !fixedpoint.tensor<3xfixed<1,3,0>>
  func.return
}
// CHECK: result precision of 'fixedpoint.concat' is too narrow at element [2]: fixed<1,3,0> cannot hold the exact result range<0,31,0>
