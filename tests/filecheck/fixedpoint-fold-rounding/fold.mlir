// RUN: fpga-opt %s -p fixedpoint-fold-rounding | filecheck %s

// RND after relu(dense): half an output LSB (2^-1 at f=0) joins the bias, and the
// quantizer truncates.  The old bias [1, -1] at f=0 becomes [3, -1] at f=1.
func.func @f(%x: !fixedpoint.tensor<2xfixed<1,3,0>>) -> !fixedpoint.tensor<2xfixed<0,5,0>> {
  %w = fixedpoint.constant <[1, 0, -2, 3], f=1> : !fixedpoint.tensor<2x2xfixed<1,3,1>>
  %b = fixedpoint.constant <[1, -1], f=0> : !fixedpoint.tensor<2xfixed<1,3,0>>
  %y = fixedpoint.dense %x, %w, %b : (!fixedpoint.tensor<2xfixed<1,3,0>>, !fixedpoint.tensor<2x2xfixed<1,3,1>>, !fixedpoint.tensor<2xfixed<1,3,0>>) -> !fixedpoint.tensor<2xfixed<1,8,1>>
  %r = fixedpoint.relu %y : !fixedpoint.tensor<2xfixed<1,8,1>> -> !fixedpoint.tensor<2xfixed<1,8,1>>
  %q = fixedpoint.quantize %r to <fixed<0,5,0>> RND SAT : !fixedpoint.tensor<2xfixed<1,8,1>> -> !fixedpoint.tensor<2xfixed<0,5,0>>
  func.return %q : !fixedpoint.tensor<2xfixed<0,5,0>>
}
// CHECK:     fixedpoint.constant <[3, -1], f=1>
// CHECK:     fixedpoint.dense
// CHECK:     fixedpoint.relu
// CHECK:     fixedpoint.quantize %{{.*}} to <fixed<0,5,0>> TRN SAT
// CHECK-NOT: RND
