// RUN: fpga-opt %s --split-input-file --verify-diagnostics --parsing-diagnostics | filecheck %s

func.func @wrong_number_of_formats(%x: !fixedpoint.tensor<3xfixed<1,3,0>>) {
  %y = fixedpoint.quantize %x to <[fixed<1,2,0>, fixed<1,1,0>]> TRN WRAP : !fixedpoint.tensor<3xfixed<1,3,0>> -> !fixedpoint.tensor<3xfixed<1,2,0>>
  func.return
}
// CHECK: quantize has 2 per-element formats for 3 elements (give one for all, or exactly 3)

// -----

func.func @range_is_not_a_format(%x: !fixedpoint.tensor<3xfixed<1,3,0>>) {
  %y = fixedpoint.quantize %x to <range<-4,3,0>> TRN SAT : !fixedpoint.tensor<3xfixed<1,3,0>> -> !fixedpoint.tensor<3xfixed<1,2,0>>
  func.return
}
// CHECK: quantize needs formats fixed<k,i,f>, got range<-4,3,0>

// -----

func.func @bad_sign_bit(%x: !fixedpoint.tensor<3xfixed<1,3,0>>) {
  // CHECK: quantize-invalid.mlir:[[# @LINE + 1]]:35
  %y = fixedpoint.quantize %x to <fixed<3,2,0>> TRN SAT : !fixedpoint.tensor<3xfixed<1,3,0>> -> !fixedpoint.tensor<3xfixed<1,2,0>>
  func.return
}
// CHECK: sign bit k must be 0 or 1, got k=3 in fixed<3,2,0>

// -----

func.func @negative_width(%x: !fixedpoint.tensor<3xfixed<1,3,0>>) {
  %y = fixedpoint.quantize %x to <fixed<0,-2,1>> TRN SAT : !fixedpoint.tensor<3xfixed<1,3,0>> -> !fixedpoint.tensor<3xfixed<1,2,0>>
  func.return
}
// CHECK: width k+i+f must be >= 0, got -1 in fixed<0,-2,1>

// -----

func.func @result_narrower_than_format(%x: !fixedpoint.tensor<3xfixed<1,3,0>>) {
  %y = fixedpoint.quantize %x to <fixed<1,2,0>> TRN WRAP : !fixedpoint.tensor<3xfixed<1,3,0>> -> !fixedpoint.tensor<3xfixed<1,1,0>>
  func.return
}
// CHECK: result precision of 'fixedpoint.quantize' is too narrow at element [0]: fixed<1,1,0> cannot hold the exact result range<-4,3,0>

// -----

// SAT to fixed<0,2,0> of a non-negative input is [0, 3]; a result of [0, 2] is too narrow.
func.func @result_narrower_than_saturated_range(%x: !fixedpoint.tensor<2xfixed<0,3,0>>) {
  %y = fixedpoint.quantize %x to <fixed<0,2,0>> RND SAT : !fixedpoint.tensor<2xfixed<0,3,0>> -> !fixedpoint.tensor<2xrange<0,2,0>>
  func.return
}
// CHECK: result precision of 'fixedpoint.quantize' is too narrow at element [0]: range<0,2,0> cannot hold the exact result range<0,3,0>

// -----

func.func @per_element_too_narrow(%x: !fixedpoint.tensor<2xfixed<1,3,0>>) {
  %y = fixedpoint.quantize %x to <[fixed<1,2,0>, fixed<1,3,1>]> TRN SAT : !fixedpoint.tensor<2xfixed<1,3,0>> -> !fixedpoint.tensor<2xfixed<1,2,0>>
  func.return
}
// CHECK: result precision of 'fixedpoint.quantize' is too narrow at element [1]: fixed<1,2,0> cannot hold the exact result range<-16,14,1>

// -----

func.func @wrong_result_shape(%x: !fixedpoint.tensor<3xfixed<1,3,0>>) {
  %y = fixedpoint.quantize %x to <fixed<1,2,0>> TRN WRAP : !fixedpoint.tensor<3xfixed<1,3,0>> -> !fixedpoint.tensor<1x3xfixed<1,2,0>>
  func.return
}
// CHECK: result shape [1, 3] of 'fixedpoint.quantize' should be [3]

// -----

func.func @unknown_rounding(%x: !fixedpoint.tensor<3xfixed<1,3,0>>) {
  %y = fixedpoint.quantize %x to <fixed<1,2,0>> ROUND WRAP : !fixedpoint.tensor<3xfixed<1,3,0>> -> !fixedpoint.tensor<3xfixed<1,2,0>>
  func.return
}
// CHECK: Expected `TRN`, `RND`, or `RND_CONV`.

// -----

func.func @unknown_overflow(%x: !fixedpoint.tensor<3xfixed<1,3,0>>) {
  %y = fixedpoint.quantize %x to <fixed<1,2,0>> TRN CLAMP : !fixedpoint.tensor<3xfixed<1,3,0>> -> !fixedpoint.tensor<3xfixed<1,2,0>>
  func.return
}
// CHECK: Expected `WRAP`, `SAT`, or `SAT_SYM`.
