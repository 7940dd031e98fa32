// RUN: %roundtrip
// RUN: %generic-roundtrip

func.func @conv2d(%x: !fixedpoint.tensor<2x5x5xfixed<1,3,0>>) -> !fixedpoint.tensor<3x3x3xfixed<1,15,1>> {
  %w = fixedpoint.constant <[1, 0, -2, 3, 1, 1, 1, 1, 0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], f=0> : !fixedpoint.tensor<3x2x2x2xfixed<1,4,0>>
  %b = fixedpoint.constant <[1, 2, 3], f=1> : !fixedpoint.tensor<3xfixed<1,4,1>>
  %y = fixedpoint.conv %x, %w, %b strides [2, 2] pads [1, 1, 0, 0] dilations [1, 1] groups 1 : (!fixedpoint.tensor<2x5x5xfixed<1,3,0>>, !fixedpoint.tensor<3x2x2x2xfixed<1,4,0>>, !fixedpoint.tensor<3xfixed<1,4,1>>) -> !fixedpoint.tensor<3x3x3xfixed<1,15,1>>
  func.return %y : !fixedpoint.tensor<3x3x3xfixed<1,15,1>>
}
// CHECK-LABEL: func.func @conv2d
// CHECK:       %y = fixedpoint.conv %x, %w, %b strides [2, 2] pads [1, 1, 0, 0] dilations [1, 1] groups 1 : (!fixedpoint.tensor<2x5x5xfixed<1,3,0>>, !fixedpoint.tensor<3x2x2x2xfixed<1,4,0>>, !fixedpoint.tensor<3xfixed<1,4,1>>) -> !fixedpoint.tensor<3x3x3xfixed<1,15,1>>

// Depthwise 1D convolution without bias, dilated.
func.func @conv1d_groups(%x: !fixedpoint.tensor<2x6xfixed<0,4,2>>) -> !fixedpoint.tensor<2x4xfixed<1,8,3>> {
  %w = fixedpoint.constant <[1, -1, 3, 1], f=1> : !fixedpoint.tensor<2x1x2xfixed<1,2,1>>
  %y = fixedpoint.conv %x, %w strides [1] pads [0, 0] dilations [2] groups 2 : (!fixedpoint.tensor<2x6xfixed<0,4,2>>, !fixedpoint.tensor<2x1x2xfixed<1,2,1>>) -> !fixedpoint.tensor<2x4xfixed<1,8,3>>
  func.return %y : !fixedpoint.tensor<2x4xfixed<1,8,3>>
}
// CHECK-LABEL: func.func @conv1d_groups
// CHECK:       %y = fixedpoint.conv %x, %w strides [1] pads [0, 0] dilations [2] groups 2 : (!fixedpoint.tensor<2x6xfixed<0,4,2>>, !fixedpoint.tensor<2x1x2xfixed<1,2,1>>) -> !fixedpoint.tensor<2x4xfixed<1,8,3>>

func.func @pools(%x: !fixedpoint.tensor<2x5x5xfixed<1,3,0>>) -> (!fixedpoint.tensor<2x3x3xfixed<1,3,0>>, !fixedpoint.tensor<2x5x5xfixed<1,20,16>>) {
  %m = fixedpoint.maxpool %x kernel [2, 2] strides [2, 2] pads [0, 0, 1, 1] : !fixedpoint.tensor<2x5x5xfixed<1,3,0>> -> !fixedpoint.tensor<2x3x3xfixed<1,3,0>>
  %a = fixedpoint.avgpool %x kernel [3] strides [1] pads [1, 1] scale <[21846], f=16> : !fixedpoint.tensor<2x5x5xfixed<1,3,0>> -> !fixedpoint.tensor<2x5x5xfixed<1,20,16>>
  func.return %m, %a : !fixedpoint.tensor<2x3x3xfixed<1,3,0>>, !fixedpoint.tensor<2x5x5xfixed<1,20,16>>
}
// CHECK-LABEL: func.func @pools
// CHECK:       %m = fixedpoint.maxpool %x kernel [2, 2] strides [2, 2] pads [0, 0, 1, 1] : !fixedpoint.tensor<2x5x5xfixed<1,3,0>> -> !fixedpoint.tensor<2x3x3xfixed<1,3,0>>
// CHECK:       %a = fixedpoint.avgpool %x kernel [3] strides [1] pads [1, 1] scale <[21846], f=16> : !fixedpoint.tensor<2x5x5xfixed<1,3,0>> -> !fixedpoint.tensor<2x5x5xfixed<1,20,16>>

// Global average pooling: the whole 2x2 image, one scale per (single) position.
func.func @global_avgpool(%x: !fixedpoint.tensor<3x2x2xfixed<0,2,0>>) -> !fixedpoint.tensor<3x1x1xfixed<0,2,2>> {
  %a = fixedpoint.avgpool %x kernel [2, 2] strides [1, 1] pads [0, 0, 0, 0] scale <[1], f=2> : !fixedpoint.tensor<3x2x2xfixed<0,2,0>> -> !fixedpoint.tensor<3x1x1xfixed<0,2,2>>
  func.return %a : !fixedpoint.tensor<3x1x1xfixed<0,2,2>>
}
// CHECK-LABEL: func.func @global_avgpool
// CHECK:       fixedpoint.avgpool %x kernel [2, 2] strides [1, 1] pads [0, 0, 0, 0] scale <[1], f=2>
