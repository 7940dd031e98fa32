// RUN: fpga-opt %s --split-input-file --verify-diagnostics --parsing-diagnostics | filecheck %s

func.func @not_constant(%x: !fixedpoint.tensor<2xfixed<1,3,0>>, %c: !fixedpoint.tensor<2xfixed<1,3,0>>) {
  %y = fixedpoint.mul %x, %c : (!fixedpoint.tensor<2xfixed<1,3,0>>, !fixedpoint.tensor<2xfixed<1,3,0>>) -> !fixedpoint.tensor<2xfixed<1,10,0>>
  func.return
}
// CHECK: the right operand of 'fixedpoint.mul' must be defined by 'fixedpoint.constant'

// -----

func.func @constant_on_the_left(%x: !fixedpoint.tensor<2xfixed<1,3,0>>) {
  %c = fixedpoint.constant <[1, 2], f=0> : !fixedpoint.tensor<2xfixed<0,2,0>>
  %y = fixedpoint.mul %c, %x : (!fixedpoint.tensor<2xfixed<0,2,0>>, !fixedpoint.tensor<2xfixed<1,3,0>>) -> !fixedpoint.tensor<2xfixed<1,10,0>>
  func.return
}
// CHECK: the right operand of 'fixedpoint.mul' must be defined by 'fixedpoint.constant'

// -----

func.func @shape_mismatch(%x: !fixedpoint.tensor<2xfixed<1,3,0>>) {
  %c = fixedpoint.constant <[1, 2, 3], f=0> : !fixedpoint.tensor<3xfixed<0,2,0>>
  %y = fixedpoint.mul %x, %c : (!fixedpoint.tensor<2xfixed<1,3,0>>, !fixedpoint.tensor<3xfixed<0,2,0>>) -> !fixedpoint.tensor<2xfixed<1,10,0>>
  func.return
}
// CHECK: 'fixedpoint.mul' needs operands of one shape, got [2] and [3]

// -----

// x * -3 for int4 x is [-21, 24]: element 1 does not fit 5 bits.
func.func @too_narrow(%x: !fixedpoint.tensor<2xfixed<1,3,0>>) {
  %c = fixedpoint.constant <[1, -3], f=0> : !fixedpoint.tensor<2xfixed<1,2,0>>
  %y = fixedpoint.mul %x, %c : (!fixedpoint.tensor<2xfixed<1,3,0>>, !fixedpoint.tensor<2xfixed<1,2,0>>) -> !fixedpoint.tensor<2xfixed<1,4,0>>
  func.return
}
// CHECK: result precision of 'fixedpoint.mul' is too narrow at element [1]: fixed<1,4,0> cannot hold the exact result range<-21,24,0>

// -----

func.func @fraction_too_coarse(%x: !fixedpoint.tensor<2xfixed<1,3,0>>) {
  %c = fixedpoint.constant <[4, 1], f=2> : !fixedpoint.tensor<2xfixed<0,1,2>>
  %y = fixedpoint.mul %x, %c : (!fixedpoint.tensor<2xfixed<1,3,0>>, !fixedpoint.tensor<2xfixed<0,1,2>>) -> !fixedpoint.tensor<2xfixed<1,3,1>>
  func.return
}
// CHECK: result precision of 'fixedpoint.mul' is too narrow at element [1]: fixed<1,3,1> cannot hold the exact result range<-8,7,2>
