// RUN: fpga-opt %s --split-input-file --verify-diagnostics --parsing-diagnostics | filecheck %s

func.func @shape_mismatch(%a: !fixedpoint.tensor<2xfixed<1,3,0>>, %b: !fixedpoint.tensor<3xfixed<1,3,0>>) {
  %y = fixedpoint.sub %a, %b : (!fixedpoint.tensor<2xfixed<1,3,0>>, !fixedpoint.tensor<3xfixed<1,3,0>>) -> !fixedpoint.tensor<2xfixed<1,10,0>>
  func.return
}
// CHECK: 'fixedpoint.sub' needs operands of one shape, got [2] and [3]

// -----

func.func @too_narrow(%a: !fixedpoint.tensor<2xfixed<1,3,0>>, %b: !fixedpoint.tensor<2xfixed<1,3,0>>) {
  %y = fixedpoint.sub %a, %b : (!fixedpoint.tensor<2xfixed<1,3,0>>, !fixedpoint.tensor<2xfixed<1,3,0>>) -> !fixedpoint.tensor<2xfixed<1,3,0>>
  func.return
}
// CHECK: result precision of 'fixedpoint.sub' is too narrow at element [0]: fixed<1,3,0> cannot hold the exact result range<-15,15,0>

// -----

// A half-integer operand makes half-integer results: an integer result type is too coarse.
func.func @too_coarse(%a: !fixedpoint.tensor<2xfixed<1,3,0>>, %b: !fixedpoint.tensor<2xfixed<0,0,1>>) {
  %y = fixedpoint.sub %a, %b : (!fixedpoint.tensor<2xfixed<1,3,0>>, !fixedpoint.tensor<2xfixed<0,0,1>>) -> !fixedpoint.tensor<2xfixed<1,10,0>>
  func.return
}
// CHECK: result precision of 'fixedpoint.sub' is too narrow at element [0]: fixed<1,10,0> cannot hold the exact result

// -----

func.func @wrong_result_shape(%a: !fixedpoint.tensor<2xfixed<1,3,0>>, %b: !fixedpoint.tensor<2xfixed<1,3,0>>) {
  %y = fixedpoint.sub %a, %b : (!fixedpoint.tensor<2xfixed<1,3,0>>, !fixedpoint.tensor<2xfixed<1,3,0>>) -> !fixedpoint.tensor<1x2xfixed<1,10,0>>
  func.return
}
// CHECK: result shape [1, 2] of 'fixedpoint.sub' should be [2]

// -----

func.func @not_a_fixed_point_tensor(%a: !fixedpoint.tensor<2xfixed<1,3,0>>, %b: tensor<2xi8>) {
  %y = fixedpoint.sub %a, %b : (!fixedpoint.tensor<2xfixed<1,3,0>>, tensor<2xi8>) -> !fixedpoint.tensor<2xfixed<1,10,0>>
  func.return
}
// CHECK: tensor<2xi8> should be of base attribute fixedpoint.tensor
