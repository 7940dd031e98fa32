// RUN: fpga-opt %s -p fixedpoint-infer-precision -o %t.once.mlir
// RUN: fpga-opt %t.once.mlir -p fixedpoint-infer-precision -o %t.twice.mlir
// RUN: diff %t.once.mlir %t.twice.mlir
// RUN: fpga-opt %s -p fixedpoint-infer-precision,fixedpoint-infer-precision | filecheck %s

// A chain of every op: a second run of the pass changes nothing.
func.func @chain(%x: !fixedpoint.tensor<2x3xfixed<1,3,1>>, %y: !fixedpoint.tensor<3x2x[fixed<0,2,0> * 5, fixed<1,-1,3>]>) -> !fixedpoint.tensor<2x2xfixed<1,14,4>> {
  %w = fixedpoint.constant <[1, -2, 3, 0, -1, 1], f=1> : !fixedpoint.tensor<3x2xfixed<1,2,1>>
  %b = fixedpoint.constant <[4, -1], f=2> : !fixedpoint.tensor<2xfixed<1,1,2>>
  %k = fixedpoint.constant <[3, -1, 0, 2], f=0> : !fixedpoint.tensor<2x2xfixed<1,2,0>>
  %q = fixedpoint.quantize %x to <fixed<1,2,0>> RND_CONV SAT : !fixedpoint.tensor<2x3xfixed<1,3,1>> -> !fixedpoint.tensor<2x3xfixed<1,2,0>>
  %d = fixedpoint.dense %q, %w, %b : (!fixedpoint.tensor<2x3xfixed<1,2,0>>, !fixedpoint.tensor<3x2xfixed<1,2,1>>, !fixedpoint.tensor<2xfixed<1,1,2>>) -> !fixedpoint.tensor<2x2xfixed<1,10,4>>
  %t = fixedpoint.transpose %y [1, 0] : !fixedpoint.tensor<3x2x[fixed<0,2,0> * 5, fixed<1,-1,3>]> -> !fixedpoint.tensor<2x3xfixed<1,3,3>>
  %r = fixedpoint.reshape %t : !fixedpoint.tensor<2x3xfixed<1,3,3>> -> !fixedpoint.tensor<6xfixed<1,3,3>>
  %c = fixedpoint.concat %d, %d along 0 : (!fixedpoint.tensor<2x2xfixed<1,10,4>>, !fixedpoint.tensor<2x2xfixed<1,10,4>>) -> !fixedpoint.tensor<4x2xfixed<1,10,4>>
  %s = fixedpoint.sub %d, %d : (!fixedpoint.tensor<2x2xfixed<1,10,4>>, !fixedpoint.tensor<2x2xfixed<1,10,4>>) -> !fixedpoint.tensor<2x2xfixed<1,11,4>>
  %m = fixedpoint.mul %s, %k : (!fixedpoint.tensor<2x2xfixed<1,11,4>>, !fixedpoint.tensor<2x2xfixed<1,2,0>>) -> !fixedpoint.tensor<2x2xfixed<1,13,4>>
  %mx = fixedpoint.max %m, %d : (!fixedpoint.tensor<2x2xfixed<1,13,4>>, !fixedpoint.tensor<2x2xfixed<1,10,4>>) -> !fixedpoint.tensor<2x2xfixed<1,13,4>>
  %mn = fixedpoint.min %mx, %d : (!fixedpoint.tensor<2x2xfixed<1,13,4>>, !fixedpoint.tensor<2x2xfixed<1,10,4>>) -> !fixedpoint.tensor<2x2xfixed<1,13,4>>
  %a = fixedpoint.add %mn, %s : (!fixedpoint.tensor<2x2xfixed<1,13,4>>, !fixedpoint.tensor<2x2xfixed<1,11,4>>) -> !fixedpoint.tensor<2x2xfixed<1,14,4>>
  %o = fixedpoint.relu %a : !fixedpoint.tensor<2x2xfixed<1,14,4>> -> !fixedpoint.tensor<2x2xfixed<1,14,4>>
  func.return %o : !fixedpoint.tensor<2x2xfixed<1,14,4>>
}
// CHECK: func.func @chain
// CHECK-NOT: fixed<1,1{{[0-4]}},4>
// CHECK: func.return %o
