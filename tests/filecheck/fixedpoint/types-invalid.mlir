// RUN: fpga-opt %s --split-input-file --verify-diagnostics --parsing-diagnostics | filecheck %s

func.func @sign_bit_two(%x: !fixedpoint.tensor<2xfixed<2,3,0>>) {
  func.return
}
// CHECK: types-invalid.mlir:[[# @LINE - 3]]:50
// CHECK: sign bit k must be 0 or 1, got k=2 in fixed<2,3,0>

// -----

func.func @sign_bit_negative(%x: !fixedpoint.tensor<fixed<-1,3,0>>) {
  func.return
}
// CHECK: sign bit k must be 0 or 1, got k=-1 in fixed<-1,3,0>

// -----

func.func @negative_width(%x: !fixedpoint.tensor<2xfixed<1,-3,1>>) {
  func.return
}
// CHECK: width k+i+f must be >= 0, got -1 in fixed<1,-3,1>

// -----

func.func @negative_width_unsigned(%x: !fixedpoint.tensor<2xfixed<0,2,-3>>) {
  func.return
}
// CHECK: width k+i+f must be >= 0, got -1 in fixed<0,2,-3>

// -----

func.func @negative_width_in_list(%x: !fixedpoint.tensor<2x[fixed<1,3,0>, fixed<0,-1,0>]>) {
  func.return
}
// CHECK: width k+i+f must be >= 0, got -1 in fixed<0,-1,0>

// -----

func.func @empty_range(%x: !fixedpoint.tensor<2xrange<3,2,0>>) {
  func.return
}
// CHECK: empty interval range<3,2,0>: lo > hi

// -----

func.func @too_few_precisions(%x: !fixedpoint.tensor<3x[fixed<1,3,0>, fixed<0,2,0>]>) {
  func.return
}
// CHECK: a tensor of shape [3] has 3 elements but 2 per-element precisions are given (give one for all, or exactly 3)

// -----

func.func @too_many_precisions(%x: !fixedpoint.tensor<2x[fixed<1,3,0> * 2, fixed<0,2,0>]>) {
  func.return
}
// CHECK: a tensor of shape [2] has 2 elements but 3 per-element precisions are given (give one for all, or exactly 2)

// -----

func.func @no_precisions(%x: !fixedpoint.tensor<2x[]>) {
  func.return
}
// CHECK: a tensor of shape [2] has 2 elements but 0 per-element precisions are given

// -----

func.func @dynamic_shape(%x: !fixedpoint.tensor<?x2xfixed<1,3,0>>) {
  func.return
}
// CHECK: fixed-point tensor shape ?x2 must be static (no '?')

// -----

func.func @unknown_precision(%x: !fixedpoint.tensor<2xfloat<8,23>>) {
  func.return
}
// CHECK: for a fixed-point precision

// -----

func.func @missing_field(%x: !fixedpoint.tensor<2xfixed<1,3>>) {
  func.return
}
// CHECK: Expected ','

// -----

func.func @zero_repeat(%x: !fixedpoint.tensor<2x[fixed<1,3,0> * 0, fixed<0,2,0> * 2]>) {
  func.return
}
// CHECK: a repeat count must be at least 1

// -----

// Caught before a list of 10^12 precisions is built.
func.func @huge_repeat(%x: !fixedpoint.tensor<2x[fixed<1,3,0> * 1000000000000]>) {
  func.return
}
// CHECK: more per-element precisions than the tensor's 2 elements

// -----

// Exact arithmetic on such a format would exhaust memory: refused while parsing.
func.func @huge_width(%x: !fixedpoint.tensor<2xfixed<1,1000000000000,0>>) {
  func.return
}
// CHECK: fixed<1,1000000000000,0> is too large: width and |f| are limited to 65536 bits

// -----

func.func @huge_resolution(%x: !fixedpoint.tensor<2xrange<0,1,-100000>>) {
  func.return
}
// CHECK: range<0,1,-100000> is too large: width and |f| are limited to 65536 bits
