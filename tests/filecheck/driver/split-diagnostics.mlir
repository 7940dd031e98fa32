// RUN: fpga-opt %s --split-input-file --verify-diagnostics --parsing-diagnostics | filecheck %s

// Valid and invalid chunks: each chunk's output or diagnostic comes out in input order,
// and every diagnostic names its line in this file (not in the chunk).

func.func @first(%x: !fixedpoint.tensor<2xfixed<1,3,0>>) {
  func.return
}
// CHECK:      func.func @first
// CHECK:      // ---{{-}}-

// -----

func.func @narrow(%x: !fixedpoint.tensor<2xfixed<1,3,0>>) {
  %y = fixedpoint.relu %x : !fixedpoint.tensor<2xfixed<1,3,0>> -> !fixedpoint.tensor<2xfixed<0,2,0>>
  func.return
}
// CHECK-NEXT: split-diagnostics.mlir:[[# @LINE - 3]]:3: result precision of 'fixedpoint.relu' is too narrow
// CHECK:      // ---{{-}}-

// -----

func.func @second(%x: !fixedpoint.tensor<2xfixed<1,3,0>>) {
  func.return
}
// CHECK-NEXT: builtin.module {
// CHECK-NEXT:   func.func @second
// CHECK:      // ---{{-}}-

// -----

func.func @bad_format(%x: !fixedpoint.tensor<2xfixed<1,-5,0>>) {
  func.return
}
// CHECK-NEXT: split-diagnostics.mlir:[[# @LINE - 3]]:48
// CHECK:      width k+i+f must be >= 0, got -4 in fixed<1,-5,0>
// CHECK:      // ---{{-}}-

// -----

func.func @third(%x: !fixedpoint.tensor<2xfixed<1,3,0>>) {
  func.return
}
// CHECK-NEXT: builtin.module {
// CHECK-NEXT:   func.func @third
