// RUN: fpga-opt %s --split-input-file --verify-diagnostics --parsing-diagnostics | filecheck %s

func.func @unsorted(%x: !fixedpoint.tensor<2xfixed<1,7,0>>) {
  %y = fixedpoint.threshold %x thresholds <[1, 2, 5, 3], f=0> values <[0, 1, 2, 0, 1, 2], f=0> : !fixedpoint.tensor<2xfixed<1,7,0>> -> !fixedpoint.tensor<2xfixed<0,2,0>>
  func.return
}
// CHECK: thresholds of element 1 are not sorted: [5, 3]

// -----

func.func @wrong_count(%x: !fixedpoint.tensor<2xfixed<1,7,0>>) {
  %y = fixedpoint.threshold %x thresholds <[1, 2, 3, 4], f=0> values <[0, 1, 2, 0, 1], f=0> : !fixedpoint.tensor<2xfixed<1,7,0>> -> !fixedpoint.tensor<2xfixed<0,2,0>>
  func.return
}
// CHECK: threshold on 2 elements needs n thresholds and n+1 values per element, got 4 thresholds and 5 values

// -----

func.func @too_narrow(%x: !fixedpoint.tensor<2xfixed<1,7,0>>) {
  %y = fixedpoint.threshold %x thresholds <[1, 2, 3, 4], f=0> values <[0, 1, 2, 0, 1, 9], f=0> : !fixedpoint.tensor<2xfixed<1,7,0>> -> !fixedpoint.tensor<2xfixed<0,2,0>>
  func.return
}
// CHECK: result precision of 'fixedpoint.threshold' is too narrow at element [1]: fixed<0,2,0> cannot hold the exact result range<0,9,0>

// -----

// Thresholds above the input's range make the last values unreachable: range<0,1,0> fits.
func.func @unreachable_values_are_ignored(%x: !fixedpoint.tensor<fixed<0,2,0>>) {
  %y = fixedpoint.threshold %x thresholds <[2, 100], f=0> values <[0, 1, 1000], f=0> : !fixedpoint.tensor<fixed<0,2,0>> -> !fixedpoint.tensor<range<0,1,0>>
  func.return
}
// CHECK: func.func @unreachable_values_are_ignored

// -----

func.func @wrong_shape(%x: !fixedpoint.tensor<2xfixed<1,7,0>>) {
  %y = fixedpoint.threshold %x thresholds <[1, 2], f=0> values <[0, 1, 0, 1], f=0> : !fixedpoint.tensor<2xfixed<1,7,0>> -> !fixedpoint.tensor<fixed<0,2,0>>
  func.return
}
// CHECK: threshold result must have the shape of its input
