// RUN: fpga-opt %s -p fixedpoint-infer-precision | filecheck %s

// Exact per-element ranges: the weight [1, -2, 0.5] makes interior outputs
// x0 - 2 x1 + x2/2 with x in [-8, 7]: [-26, 26.5].  Border outputs lose a tap to the zero
// padding: the first is -2 x0 + x1/2 in [-18, 19.5], the last x2 - 2 x3 in [-22, 23],
// an integer (its only fractional weight falls on the padding).
func.func @conv_ranges(%x: !fixedpoint.tensor<1x4xfixed<1,3,0>>) -> !fixedpoint.tensor<1x4xfixed<1,15,1>> {
  %w = fixedpoint.constant <[2, -4, 1], f=1> : !fixedpoint.tensor<1x1x3xfixed<1,3,1>>
  %y = fixedpoint.conv %x, %w strides [1] pads [1, 1] dilations [1] groups 1 : (!fixedpoint.tensor<1x4xfixed<1,3,0>>, !fixedpoint.tensor<1x1x3xfixed<1,3,1>>) -> !fixedpoint.tensor<1x4xfixed<1,15,1>>
  func.return %y : !fixedpoint.tensor<1x4xfixed<1,15,1>>
}
// CHECK-LABEL: func.func @conv_ranges
// CHECK:       fixedpoint.conv {{.*}} -> !fixedpoint.tensor<1x4x[range<-36,39,1>, range<-52,53,1> * 2, range<-22,23,0>]>

// Padding is ignored by maxpool, so an all-positive input stays positive; the per-element
// resolutions combine to the finest in the window.
func.func @maxpool_ranges(%x: !fixedpoint.tensor<3x[fixed<0,2,0>, fixed<0,1,1>, range<5,6,0>]>) -> !fixedpoint.tensor<2xfixed<1,7,1>> {
  %m = fixedpoint.maxpool %x kernel [2] strides [2] pads [0, 1] : !fixedpoint.tensor<3x[fixed<0,2,0>, fixed<0,1,1>, range<5,6,0>]> -> !fixedpoint.tensor<2xfixed<1,7,1>>
  func.return %m : !fixedpoint.tensor<2xfixed<1,7,1>>
}
// CHECK-LABEL: func.func @maxpool_ranges
// CHECK:       fixedpoint.maxpool {{.*}} -> !fixedpoint.tensor<2x[range<0,6,1>, range<5,6,0>]>

// avgpool = scale * window sum: 3 * (x0 + x1 + x2) / 8 with x in [0, 3].
func.func @avgpool_ranges(%x: !fixedpoint.tensor<3xfixed<0,2,0>>) -> !fixedpoint.tensor<1xfixed<0,4,3>> {
  %a = fixedpoint.avgpool %x kernel [3] strides [3] pads [0, 0] scale <[3], f=3> : !fixedpoint.tensor<3xfixed<0,2,0>> -> !fixedpoint.tensor<1xfixed<0,4,3>>
  func.return %a : !fixedpoint.tensor<1xfixed<0,4,3>>
}
// CHECK-LABEL: func.func @avgpool_ranges
// CHECK:       fixedpoint.avgpool {{.*}} -> !fixedpoint.tensor<1xrange<0,27,3>>
