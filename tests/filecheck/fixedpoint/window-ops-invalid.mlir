// RUN: fpga-opt %s --split-input-file --verify-diagnostics --parsing-diagnostics | filecheck %s

func.func @weight_not_constant(%x: !fixedpoint.tensor<1x4xfixed<1,3,0>>, %w: !fixedpoint.tensor<1x1x2xfixed<1,3,0>>) {
  %y = fixedpoint.conv %x, %w strides [1] pads [0, 0] dilations [1] groups 1 : (!fixedpoint.tensor<1x4xfixed<1,3,0>>, !fixedpoint.tensor<1x1x2xfixed<1,3,0>>) -> !fixedpoint.tensor<1x3xfixed<1,10,0>>
  func.return
}
// CHECK: the weight of 'fixedpoint.conv' must be defined by 'fixedpoint.constant'

// -----

func.func @weight_rank(%x: !fixedpoint.tensor<1x4xfixed<1,3,0>>) {
  %w = fixedpoint.constant <[1, 2], f=0> : !fixedpoint.tensor<1x2xfixed<1,3,0>>
  %y = fixedpoint.conv %x, %w strides [] pads [] dilations [] groups 1 : (!fixedpoint.tensor<1x4xfixed<1,3,0>>, !fixedpoint.tensor<1x2xfixed<1,3,0>>) -> !fixedpoint.tensor<1x4xfixed<1,10,0>>
  func.return
}
// CHECK: conv weight must be (out_channels, in_channels/groups, *kernel) with at least one spatial axis, got shape [1, 2]

// -----

func.func @channels(%x: !fixedpoint.tensor<3x4xfixed<1,3,0>>) {
  %w = fixedpoint.constant <[1, 2, 3, 4], f=0> : !fixedpoint.tensor<1x2x2xfixed<1,3,0>>
  %y = fixedpoint.conv %x, %w strides [1] pads [0, 0] dilations [1] groups 1 : (!fixedpoint.tensor<3x4xfixed<1,3,0>>, !fixedpoint.tensor<1x2x2xfixed<1,3,0>>) -> !fixedpoint.tensor<1x3xfixed<1,10,0>>
  func.return
}
// CHECK: conv with 1 groups needs input channels (3) = weight axis 1 (2) * groups and output channels (1) divisible by groups

// -----

func.func @groups(%x: !fixedpoint.tensor<4x4xfixed<1,3,0>>) {
  %w = fixedpoint.constant <[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], f=0> : !fixedpoint.tensor<3x2x2xfixed<1,4,0>>
  %y = fixedpoint.conv %x, %w strides [1] pads [0, 0] dilations [1] groups 2 : (!fixedpoint.tensor<4x4xfixed<1,3,0>>, !fixedpoint.tensor<3x2x2xfixed<1,4,0>>) -> !fixedpoint.tensor<3x3xfixed<1,10,0>>
  func.return
}
// CHECK: conv with 2 groups needs input channels (4) = weight axis 1 (2) * groups and output channels (3) divisible by groups

// -----

func.func @strides_length(%x: !fixedpoint.tensor<1x4xfixed<1,3,0>>) {
  %w = fixedpoint.constant <[1, 2], f=0> : !fixedpoint.tensor<1x1x2xfixed<1,3,0>>
  %y = fixedpoint.conv %x, %w strides [1, 1] pads [0, 0] dilations [1] groups 1 : (!fixedpoint.tensor<1x4xfixed<1,3,0>>, !fixedpoint.tensor<1x1x2xfixed<1,3,0>>) -> !fixedpoint.tensor<1x3xfixed<1,10,0>>
  func.return
}
// CHECK: 'fixedpoint.conv' has 1 spatial axes, so strides needs 1 entries, got [1, 1]

// -----

func.func @zero_stride(%x: !fixedpoint.tensor<1x4xfixed<1,3,0>>) {
  %w = fixedpoint.constant <[1, 2], f=0> : !fixedpoint.tensor<1x1x2xfixed<1,3,0>>
  %y = fixedpoint.conv %x, %w strides [0] pads [0, 0] dilations [1] groups 1 : (!fixedpoint.tensor<1x4xfixed<1,3,0>>, !fixedpoint.tensor<1x1x2xfixed<1,3,0>>) -> !fixedpoint.tensor<1x3xfixed<1,10,0>>
  func.return
}
// CHECK: 'fixedpoint.conv' needs kernel sizes, strides and dilations >= 1, got kernel [2], strides [0], dilations [1]

// -----

func.func @negative_pad(%x: !fixedpoint.tensor<1x4xfixed<1,3,0>>) {
  %w = fixedpoint.constant <[1, 2], f=0> : !fixedpoint.tensor<1x1x2xfixed<1,3,0>>
  %y = fixedpoint.conv %x, %w strides [1] pads [-1, 0] dilations [1] groups 1 : (!fixedpoint.tensor<1x4xfixed<1,3,0>>, !fixedpoint.tensor<1x1x2xfixed<1,3,0>>) -> !fixedpoint.tensor<1x2xfixed<1,10,0>>
  func.return
}
// CHECK: 'fixedpoint.conv' pads must be >= 0, got [-1, 0]

// -----

func.func @window_too_big(%x: !fixedpoint.tensor<1x2xfixed<1,3,0>>) {
  %w = fixedpoint.constant <[1, 2, 3], f=0> : !fixedpoint.tensor<1x1x3xfixed<1,3,0>>
  %y = fixedpoint.conv %x, %w strides [1] pads [0, 0] dilations [2] groups 1 : (!fixedpoint.tensor<1x2xfixed<1,3,0>>, !fixedpoint.tensor<1x1x3xfixed<1,3,0>>) -> !fixedpoint.tensor<1x1xfixed<1,10,0>>
  func.return
}
// CHECK: 'fixedpoint.conv' window [3] (dilations [2], pads [0, 0]) does not fit the spatial shape [2]

// -----

func.func @bias_shape(%x: !fixedpoint.tensor<1x4xfixed<1,3,0>>) {
  %w = fixedpoint.constant <[1, 2], f=0> : !fixedpoint.tensor<1x1x2xfixed<1,3,0>>
  %b = fixedpoint.constant <[1, 2], f=0> : !fixedpoint.tensor<2xfixed<1,3,0>>
  %y = fixedpoint.conv %x, %w, %b strides [1] pads [0, 0] dilations [1] groups 1 : (!fixedpoint.tensor<1x4xfixed<1,3,0>>, !fixedpoint.tensor<1x1x2xfixed<1,3,0>>, !fixedpoint.tensor<2xfixed<1,3,0>>) -> !fixedpoint.tensor<1x3xfixed<1,10,0>>
  func.return
}
// CHECK: conv bias must have shape [1], got [2]

// -----

func.func @result_shape(%x: !fixedpoint.tensor<1x4xfixed<1,3,0>>) {
  %w = fixedpoint.constant <[1, 2], f=0> : !fixedpoint.tensor<1x1x2xfixed<1,3,0>>
  %y = fixedpoint.conv %x, %w strides [1] pads [0, 0] dilations [1] groups 1 : (!fixedpoint.tensor<1x4xfixed<1,3,0>>, !fixedpoint.tensor<1x1x2xfixed<1,3,0>>) -> !fixedpoint.tensor<1x4xfixed<1,10,0>>
  func.return
}
// CHECK: result shape [1, 4] of 'fixedpoint.conv' should be [1, 3]

// -----

// x0 + 2 x1 with int4 inputs reaches -24..21: 5 integer bits are not enough.
func.func @result_too_narrow(%x: !fixedpoint.tensor<1x4xfixed<1,3,0>>) {
  %w = fixedpoint.constant <[1, 2], f=0> : !fixedpoint.tensor<1x1x2xfixed<1,3,0>>
  %y = fixedpoint.conv %x, %w strides [1] pads [0, 0] dilations [1] groups 1 : (!fixedpoint.tensor<1x4xfixed<1,3,0>>, !fixedpoint.tensor<1x1x2xfixed<1,3,0>>) -> !fixedpoint.tensor<1x3xfixed<1,4,0>>
  func.return
}
// CHECK: result precision of 'fixedpoint.conv' is too narrow at element [0, 0]: fixed<1,4,0> cannot hold the exact result range<-24,21,0>

// -----

func.func @maxpool_pad_covers_window(%x: !fixedpoint.tensor<4xfixed<1,3,0>>) {
  %m = fixedpoint.maxpool %x kernel [2] strides [2] pads [2, 0] : !fixedpoint.tensor<4xfixed<1,3,0>> -> !fixedpoint.tensor<3xfixed<1,3,0>>
  func.return
}
// CHECK: 'fixedpoint.maxpool' pads [2, 0] must be smaller than the kernel [2] (no window may lie entirely in the padding)

// -----

func.func @maxpool_rank(%x: !fixedpoint.tensor<4xfixed<1,3,0>>) {
  %m = fixedpoint.maxpool %x kernel [2, 2] strides [2, 2] pads [0, 0, 0, 0] : !fixedpoint.tensor<4xfixed<1,3,0>> -> !fixedpoint.tensor<2xfixed<1,3,0>>
  func.return
}
// CHECK: 'fixedpoint.maxpool' with a 2-d kernel needs an input of rank >= 2, got shape [4]

// -----

func.func @maxpool_too_narrow(%x: !fixedpoint.tensor<4xfixed<1,3,0>>) {
  %m = fixedpoint.maxpool %x kernel [2] strides [2] pads [0, 0] : !fixedpoint.tensor<4xfixed<1,3,0>> -> !fixedpoint.tensor<2xfixed<0,3,0>>
  func.return
}
// CHECK: result precision of 'fixedpoint.maxpool' is too narrow at element [0]: fixed<0,3,0> cannot hold the exact result range<-8,7,0>

// -----

func.func @avgpool_scales(%x: !fixedpoint.tensor<4xfixed<1,3,0>>) {
  %a = fixedpoint.avgpool %x kernel [2] strides [2] pads [0, 0] scale <[1, 1, 1], f=1> : !fixedpoint.tensor<4xfixed<1,3,0>> -> !fixedpoint.tensor<2xfixed<1,3,1>>
  func.return
}
// CHECK: avgpool needs one scale or one per output position (2), got 3

// -----

// (x0 + x1) / 2 of int4 reaches -8..7 in steps of 0.5: fixed<1,3,0> drops the half.
func.func @avgpool_too_narrow(%x: !fixedpoint.tensor<4xfixed<1,3,0>>) {
  %a = fixedpoint.avgpool %x kernel [2] strides [2] pads [0, 0] scale <[1], f=1> : !fixedpoint.tensor<4xfixed<1,3,0>> -> !fixedpoint.tensor<2xfixed<1,3,0>>
  func.return
}
// CHECK: result precision of 'fixedpoint.avgpool' is too narrow at element [0]: fixed<1,3,0> cannot hold the exact result range<-16,14,1>
