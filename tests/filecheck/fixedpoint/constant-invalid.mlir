// RUN: fpga-opt %s --split-input-file --verify-diagnostics --parsing-diagnostics | filecheck %s

func.func @too_few_values() {
  %c = fixedpoint.constant <[1, 2], f=0> : !fixedpoint.tensor<3xfixed<1,3,0>>
  func.return
}
// CHECK: constant has 2 values but its type has 3 elements

// -----

func.func @too_narrow() {
  %c = fixedpoint.constant <[1, 8], f=0> : !fixedpoint.tensor<2xfixed<1,3,0>>
  func.return
}
// CHECK: result precision of 'fixedpoint.constant' is too narrow at element [0]: fixed<1,3,0> cannot hold the exact result range<1,8,0>

// -----

// 0.5 is not a value of an integer format, however wide.
func.func @too_coarse() {
  %c = fixedpoint.constant <[1], f=1> : !fixedpoint.tensor<fixed<1,3,0>>
  func.return
}
// CHECK: result precision of 'fixedpoint.constant' is too narrow at element []: fixed<1,3,0> cannot hold the exact result range<1,1,1>

// -----

func.func @missing_exponent() {
  // CHECK: constant-invalid.mlir:[[# @LINE + 1]]:35
  %c = fixedpoint.constant <[1, 2]> : !fixedpoint.tensor<2xfixed<1,3,0>>
  func.return
}
// CHECK: Expected ','

// -----

func.func @not_an_integer() {
  %c = fixedpoint.constant <[1.5], f=0> : !fixedpoint.tensor<fixed<1,3,0>>
  func.return
}
// CHECK: Expected integer literal

// -----

func.func @generic_without_value() {
  %c = "fixedpoint.constant"() : () -> !fixedpoint.tensor<fixed<1,3,0>>
  func.return
}
// CHECK: property 'value' expected
