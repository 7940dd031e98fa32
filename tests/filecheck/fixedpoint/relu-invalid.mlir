// RUN: fpga-opt %s --split-input-file --verify-diagnostics --parsing-diagnostics | filecheck %s

func.func @too_narrow(%x: !fixedpoint.tensor<2xfixed<1,3,0>>) {
  %y = fixedpoint.relu %x : !fixedpoint.tensor<2xfixed<1,3,0>> -> !fixedpoint.tensor<2xfixed<0,2,0>>
  func.return
}
// CHECK: result precision of 'fixedpoint.relu' is too narrow at element [0]: fixed<0,2,0> cannot hold the exact result range<0,7,0>

// -----

func.func @too_coarse(%x: !fixedpoint.tensor<2xfixed<1,3,1>>) {
  %y = fixedpoint.relu %x : !fixedpoint.tensor<2xfixed<1,3,1>> -> !fixedpoint.tensor<2xfixed<0,3,0>>
  func.return
}
// CHECK: result precision of 'fixedpoint.relu' is too narrow at element [0]: fixed<0,3,0> cannot hold the exact result range<0,15,1>

// -----

func.func @per_element_too_narrow(%x: !fixedpoint.tensor<2x[fixed<1,3,0>, fixed<0,5,0>]>) {
  %y = fixedpoint.relu %x : !fixedpoint.tensor<2x[fixed<1,3,0>, fixed<0,5,0>]> -> !fixedpoint.tensor<2xfixed<0,3,0>>
  func.return
}
// CHECK: result precision of 'fixedpoint.relu' is too narrow at element [1]: fixed<0,3,0> cannot hold the exact result range<0,31,0>

// -----

func.func @wrong_result_shape(%x: !fixedpoint.tensor<2xfixed<1,3,0>>) {
  %y = fixedpoint.relu %x : !fixedpoint.tensor<2xfixed<1,3,0>> -> !fixedpoint.tensor<3xfixed<1,3,0>>
  func.return
}
// CHECK: result shape [3] of 'fixedpoint.relu' should be [2]
