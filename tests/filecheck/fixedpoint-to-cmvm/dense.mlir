// RUN: fpga-opt %s --split-input-file -p fixedpoint-infer-precision,fixedpoint-to-cmvm | filecheck %s

// One position: the weights become one cmvm.matrix (rows = outputs), the bias a constant
// addition, relu and quantize their scalar counterparts; arguments are flattened.
func.func @one(%x: !fixedpoint.tensor<2xfixed<1,3,0>>) -> !fixedpoint.tensor<2xfixed<0,4,0>> {
  %w = fixedpoint.constant <[1, 0, -2, 3], f=0> : !fixedpoint.tensor<2x2xfixed<1,3,0>>
  %b = fixedpoint.constant <[0, 5], f=1> : !fixedpoint.tensor<2xfixed<1,3,1>>
  %y = fixedpoint.dense %x, %w, %b : (!fixedpoint.tensor<2xfixed<1,3,0>>, !fixedpoint.tensor<2x2xfixed<1,3,0>>, !fixedpoint.tensor<2xfixed<1,3,1>>) -> !fixedpoint.tensor<2xfixed<1,8,1>>
  %r = fixedpoint.relu %y : !fixedpoint.tensor<2xfixed<1,8,1>> -> !fixedpoint.tensor<2xfixed<1,8,1>>
  %q = fixedpoint.quantize %r to <fixed<0,4,0>> TRN SAT : !fixedpoint.tensor<2xfixed<1,8,1>> -> !fixedpoint.tensor<2xfixed<0,4,0>>
  func.return %q : !fixedpoint.tensor<2xfixed<0,4,0>>
}
// CHECK:      func.func @one(%x.0: !cmvm.fx<fixed<1,3,0>>, %x.1: !cmvm.fx<fixed<1,3,0>>)
// CHECK-NEXT: %0, %1 = cmvm.matrix [[1, -2], [0, 3]] (%x.0, %x.1)
// CHECK:      cmvm.constant 5 shl -1
// CHECK:      cmvm.add %1, %{{.*}}
// CHECK-COUNT-2: cmvm.relu
// CHECK-COUNT-2: cmvm.quantize {{.*}} to fixed<0,4,0> TRN SAT

// -----

// Several positions share one matrix: it is emitted once, in a kernel function that
// every position calls, so the optimizer solves it once.
func.func @shared(%x: !fixedpoint.tensor<3x2xfixed<1,3,0>>) -> !fixedpoint.tensor<3x1xfixed<1,9,0>> {
  %w = fixedpoint.constant <[3, -5], f=0> : !fixedpoint.tensor<2x1xfixed<1,3,0>>
  %y = fixedpoint.dense %x, %w : (!fixedpoint.tensor<3x2xfixed<1,3,0>>, !fixedpoint.tensor<2x1xfixed<1,3,0>>) -> !fixedpoint.tensor<3x1xfixed<1,9,0>>
  func.return %y : !fixedpoint.tensor<3x1xfixed<1,9,0>>
}
// CHECK:          func.func @shared(
// CHECK-COUNT-3:  func.call @kernel_0
// CHECK:          func.func private @kernel_0(
// CHECK-NEXT:     cmvm.matrix [[3, -5]]
