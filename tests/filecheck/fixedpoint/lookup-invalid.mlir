// RUN: fpga-opt %s --split-input-file --verify-diagnostics --parsing-diagnostics | filecheck %s

func.func @counts(%x: !fixedpoint.tensor<2xfixed<1,3,0>>) {
  %y = fixedpoint.lookup %x breaks <[0, 1], f=0> values <[0, 1], f=0> : !fixedpoint.tensor<2xfixed<1,3,0>> -> !fixedpoint.tensor<2xfixed<1,3,0>>
  func.return
}
// CHECK: lookup needs one value more than breaks, got 2 breaks and 2 values

// -----

func.func @unsorted(%x: !fixedpoint.tensor<2xfixed<1,3,0>>) {
  %y = fixedpoint.lookup %x breaks <[1, 1], f=0> values <[0, 1, 2], f=0> : !fixedpoint.tensor<2xfixed<1,3,0>> -> !fixedpoint.tensor<2xfixed<1,3,0>>
  func.return
}
// CHECK: lookup breaks must be strictly increasing

// -----

func.func @too_narrow(%x: !fixedpoint.tensor<2xfixed<1,3,0>>) {
  %y = fixedpoint.lookup %x breaks <[0], f=0> values <[-1, 9], f=0> : !fixedpoint.tensor<2xfixed<1,3,0>> -> !fixedpoint.tensor<2xfixed<1,3,0>>
  func.return
}
// CHECK: result precision of 'fixedpoint.lookup' is too narrow at element [0]: fixed<1,3,0> cannot hold the exact result range<-1,9,0>
