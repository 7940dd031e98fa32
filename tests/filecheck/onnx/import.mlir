// RUN: python %S/Inputs/make_models.py %t
// RUN: fpga-opt %t/dense_relu.onnx -p fixedpoint-infer-precision | filecheck %s --check-prefix=DENSE
// RUN: fpga-opt %t/batchnorm.onnx -p fixedpoint-infer-precision | filecheck %s --check-prefix=BN

// Power-of-two scales: the input quantizer becomes the argument's format (recorded for the
// host), the weight quantizer is folded into the constant, the activation quantizer is a
// fixedpoint.quantize, and the float bias stays exact.
// DENSE:      func.func @main(%0: !fixedpoint.tensor<3xrange<-32,31,2>>) -> !fixedpoint.tensor<2xrange<0,15,1>>
// DENSE-SAME:   fpga.inputs = [{name = "x", shape = array<i64: 3>, pre_ops = [], kind = "int", scale = {shape = array<i64>, values = array<f64: 2.500000e-01>}
// DENSE-SAME:   bits = 6 : i64, signed = true, narrow = false, rounding = "ROUND", f = 2 : i64, overflow = "SAT"}]
// DENSE-SAME:   fpga.outputs = [{name = "y", shape = array<i64: 2>, scale = {shape = array<i64: 2>, values = array<f64: 1.000000e+00, 1.000000e+00>}
// DENSE-NEXT:   %1 = fixedpoint.constant <[2, -1, 1, 3, -2, 0], f=1>
// DENSE-NEXT:   %2 = fixedpoint.dense %0, %1
// DENSE-NEXT:   %3 = fixedpoint.constant <[1, -3], f=2>
// DENSE-NEXT:   %4 = fixedpoint.add %2, %3
// DENSE-NEXT:   %5 = fixedpoint.relu %4
// DENSE-NEXT:   %6 = fixedpoint.quantize %5 to <fixed<0,3,1>> RND_CONV SAT
// DENSE-NEXT:   func.return %6

// A batch norm (exact, with its square root) folded into thresholds on the integer
// accumulator: channel 0 rises (-1, 0, 1 at 0 and 1), channel 1 falls (gamma < 0).  The
// float multiplication after the last quantizer is the recorded output scale 0.375.
// BN:      func.func @main(%0: !fixedpoint.tensor<3xrange<-1,1,0>>) -> !fixedpoint.tensor<2xrange<-1,1,0>>
// BN-SAME:   fpga.outputs = [{name = "y", shape = array<i64: 2>, scale = {shape = array<i64: 2>, values = array<f64: 3.750000e-01, 3.750000e-01>}
// BN-NEXT:   %1 = fixedpoint.constant <[1, -1, 1, 1, 0, 1], f=0>
// BN-NEXT:   %2 = fixedpoint.dense %0, %1
// BN-NEXT:   %3 = fixedpoint.threshold %2 thresholds <[0, 1, -2, 2], f=0> values <[-1, 0, 1, 1, 0, -1], f=0> : !fixedpoint.tensor<2x[range<-2,2,0>, range<-3,3,0>]> -> !fixedpoint.tensor<2xrange<-1,1,0>>
// BN-NEXT:   func.return %3
