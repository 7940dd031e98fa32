// RUN: fpga-opt %s --split-input-file --verify-diagnostics --parsing-diagnostics | filecheck %s

func.func @weight_not_constant(%x: !fixedpoint.tensor<2xfixed<1,3,0>>, %w: !fixedpoint.tensor<2x2xfixed<1,3,0>>) {
  %y = fixedpoint.dense %x, %w : (!fixedpoint.tensor<2xfixed<1,3,0>>, !fixedpoint.tensor<2x2xfixed<1,3,0>>) -> !fixedpoint.tensor<2xfixed<1,10,0>>
  func.return
}
// CHECK: the weight of 'fixedpoint.dense' must be defined by 'fixedpoint.constant'

// -----

func.func @weight_computed(%x: !fixedpoint.tensor<2xfixed<1,3,0>>) {
  %c = fixedpoint.constant <[1, 0, -2, 3], f=0> : !fixedpoint.tensor<2x2xfixed<1,2,0>>
  %w = fixedpoint.relu %c : !fixedpoint.tensor<2x2xfixed<1,2,0>> -> !fixedpoint.tensor<2x2xfixed<1,2,0>>
  %y = fixedpoint.dense %x, %w : (!fixedpoint.tensor<2xfixed<1,3,0>>, !fixedpoint.tensor<2x2xfixed<1,2,0>>) -> !fixedpoint.tensor<2xfixed<1,10,0>>
  func.return
}
// CHECK: the weight of 'fixedpoint.dense' must be defined by 'fixedpoint.constant'

// -----

func.func @bias_not_constant(%x: !fixedpoint.tensor<2xfixed<1,3,0>>, %b: !fixedpoint.tensor<2xfixed<1,3,0>>) {
  %w = fixedpoint.constant <[1, 0, -2, 3], f=0> : !fixedpoint.tensor<2x2xfixed<1,2,0>>
  %y = fixedpoint.dense %x, %w, %b : (!fixedpoint.tensor<2xfixed<1,3,0>>, !fixedpoint.tensor<2x2xfixed<1,2,0>>, !fixedpoint.tensor<2xfixed<1,3,0>>) -> !fixedpoint.tensor<2xfixed<1,10,0>>
  func.return
}
// CHECK: the bias of 'fixedpoint.dense' must be defined by 'fixedpoint.constant'

// -----

func.func @inner_dimension_mismatch(%x: !fixedpoint.tensor<3xfixed<1,3,0>>) {
  %w = fixedpoint.constant <[1, 0, -2, 3], f=0> : !fixedpoint.tensor<2x2xfixed<1,2,0>>
  %y = fixedpoint.dense %x, %w : (!fixedpoint.tensor<3xfixed<1,3,0>>, !fixedpoint.tensor<2x2xfixed<1,2,0>>) -> !fixedpoint.tensor<2xfixed<1,10,0>>
  func.return
}
// CHECK: dense needs input (..., n) and weight (n, m); got [3] and [2, 2]

// -----

func.func @weight_not_a_matrix(%x: !fixedpoint.tensor<4xfixed<1,3,0>>) {
  %w = fixedpoint.constant <[1, 0, -2, 3], f=0> : !fixedpoint.tensor<4xfixed<1,2,0>>
  %y = fixedpoint.dense %x, %w : (!fixedpoint.tensor<4xfixed<1,3,0>>, !fixedpoint.tensor<4xfixed<1,2,0>>) -> !fixedpoint.tensor<fixed<1,10,0>>
  func.return
}
// CHECK: dense needs input (..., n) and weight (n, m); got [4] and [4]

// -----

func.func @scalar_input(%x: !fixedpoint.tensor<fixed<1,3,0>>) {
  %w = fixedpoint.constant <[1, -2], f=0> : !fixedpoint.tensor<1x2xfixed<1,2,0>>
  %y = fixedpoint.dense %x, %w : (!fixedpoint.tensor<fixed<1,3,0>>, !fixedpoint.tensor<1x2xfixed<1,2,0>>) -> !fixedpoint.tensor<2xfixed<1,10,0>>
  func.return
}
// CHECK: dense needs input (..., n) and weight (n, m); got [] and [1, 2]

// -----

func.func @bias_shape(%x: !fixedpoint.tensor<2xfixed<1,3,0>>) {
  %w = fixedpoint.constant <[1, 0, -2, 3], f=0> : !fixedpoint.tensor<2x2xfixed<1,2,0>>
  %b = fixedpoint.constant <[1, 2, 3], f=0> : !fixedpoint.tensor<3xfixed<1,2,0>>
  %y = fixedpoint.dense %x, %w, %b : (!fixedpoint.tensor<2xfixed<1,3,0>>, !fixedpoint.tensor<2x2xfixed<1,2,0>>, !fixedpoint.tensor<3xfixed<1,2,0>>) -> !fixedpoint.tensor<2xfixed<1,10,0>>
  func.return
}
// CHECK: dense bias must have shape [2], got [3]

// -----

// Column 1 is -2*x0 + 3*x1 for int4 x: [-38, 37], which needs 6 bits besides the sign.
func.func @too_narrow(%x: !fixedpoint.tensor<2xfixed<1,3,0>>) {
  %w = fixedpoint.constant <[1, -2, 0, 3], f=0> : !fixedpoint.tensor<2x2xfixed<1,2,0>>
  %y = fixedpoint.dense %x, %w : (!fixedpoint.tensor<2xfixed<1,3,0>>, !fixedpoint.tensor<2x2xfixed<1,2,0>>) -> !fixedpoint.tensor<2xfixed<1,5,0>>
  func.return
}
// CHECK: result precision of 'fixedpoint.dense' is too narrow at element [1]: fixed<1,5,0> cannot hold the exact result range<-38,37,0>

// -----

// A weight of 1/2 gives half-integers: an integer result type cannot hold them.
func.func @fractional_weight_integer_result(%x: !fixedpoint.tensor<1xfixed<1,3,0>>) {
  %w = fixedpoint.constant <[1], f=1> : !fixedpoint.tensor<1x1xfixed<1,1,1>>
  %y = fixedpoint.dense %x, %w : (!fixedpoint.tensor<1xfixed<1,3,0>>, !fixedpoint.tensor<1x1xfixed<1,1,1>>) -> !fixedpoint.tensor<1xfixed<1,10,0>>
  func.return
}
// CHECK: result precision of 'fixedpoint.dense' is too narrow at element [0]: fixed<1,10,0> cannot hold the exact result range<-8,7,1>

// -----

func.func @wrong_result_shape(%x: !fixedpoint.tensor<5x2xfixed<1,3,0>>) {
  %w = fixedpoint.constant <[1, 0, -2, 3], f=0> : !fixedpoint.tensor<2x2xfixed<1,2,0>>
  %y = fixedpoint.dense %x, %w : (!fixedpoint.tensor<5x2xfixed<1,3,0>>, !fixedpoint.tensor<2x2xfixed<1,2,0>>) -> !fixedpoint.tensor<2x5xfixed<1,10,0>>
  func.return
}
// CHECK: result shape [2, 5] of 'fixedpoint.dense' should be [5, 2]
