// RUN: fpga-opt %s -p compile | filecheck %s --check-prefix=COMB
// RUN: fpga-opt %s -p 'compile{cutoff=1}' | filecheck %s --check-prefix=CUT1
// RUN: fpga-opt %s -p 'compile{cutoff=2}' | filecheck %s --check-prefix=CUT2
// RUN: fpga-opt %s -p 'compile{ternary=true}' | filecheck %s --check-prefix=TERNARY

// compile is its stages, run in order: the same IR as naming them one by one.
// RUN: fpga-opt %s -p compile -o %t.compile.mlir
// RUN: fpga-opt %s -p fixedpoint-fold-rounding,fixedpoint-infer-precision,fixedpoint-to-cmvm,cmvm-optimize,cmvm-fold-negations,cmvm-sink-constants,cmvm-to-rtl,rtl-cse,rtl-pipeline -o %t.stages.mlir
// RUN: diff %t.compile.mlir %t.stages.mlir
// RUN: fpga-opt %s -p 'compile{cutoff=2 ternary=true}' -o %t.compile-options.mlir
// RUN: fpga-opt %s -p 'fixedpoint-fold-rounding,fixedpoint-infer-precision,fixedpoint-to-cmvm,cmvm-optimize,cmvm-fold-negations,cmvm-sink-constants,cmvm-fuse-ternary,cmvm-to-rtl,rtl-cse,rtl-pipeline{cutoff=2}' -o %t.stages-options.mlir
// RUN: diff %t.compile-options.mlir %t.stages-options.mlir

// A dense layer with a bias, relu and a saturating quantizer: the fixedpoint function
// becomes one rtl module whose ports are sized by their formats, with only adders and
// wiring inside (no multiplier, no fixedpoint or cmvm op left).
func.func @net(%x: !fixedpoint.tensor<3xfixed<1,3,0>>) -> !fixedpoint.tensor<2xfixed<0,4,0>> {
  %w = fixedpoint.constant <[3, -5, 7, 1, 6, -3], f=0> : !fixedpoint.tensor<3x2xfixed<1,3,0>>
  %b = fixedpoint.constant <[1, -2], f=0> : !fixedpoint.tensor<2xfixed<1,3,0>>
  %y = fixedpoint.dense %x, %w, %b : (!fixedpoint.tensor<3xfixed<1,3,0>>, !fixedpoint.tensor<3x2xfixed<1,3,0>>, !fixedpoint.tensor<2xfixed<1,3,0>>) -> !fixedpoint.tensor<2xfixed<1,9,0>>
  %r = fixedpoint.relu %y : !fixedpoint.tensor<2xfixed<1,9,0>> -> !fixedpoint.tensor<2xfixed<1,9,0>>
  %q = fixedpoint.quantize %r to <fixed<0,4,0>> TRN SAT : !fixedpoint.tensor<2xfixed<1,9,0>> -> !fixedpoint.tensor<2xfixed<0,4,0>>
  func.return %q : !fixedpoint.tensor<2xfixed<0,4,0>>
}

// Combinational by default: no clock, no register.
// COMB-NOT:  func.func
// COMB:      rtl.module @net(%x: i4 fixed<1,3,0>, %x_1: i4 fixed<1,3,0>, %x_2: i4 fixed<1,3,0>) -> (out0: i4 fixed<0,4,0>, out1: i4 fixed<0,4,0>) {
// COMB-NOT:  fixedpoint.
// COMB-NOT:  cmvm.
// COMB-NOT:  rtl.reg
// COMB-NOT:  rtl.mul
// COMB:      rtl.add
// COMB:      rtl.sub
// The saturation to fixed<0,4,0>: anything above 15 becomes 15.
// COMB:      rtl.icmp ne
// COMB:      rtl.constant 15 : i8
// COMB:      rtl.mux
// COMB:      rtl.output %{{.*}}, %{{.*}} : i4, i4
// COMB-NEXT: }

// cutoff=1: a register after every adder level; cutoff=2: after every second one.
// CUT1:      rtl.module @net({{.*}}) -> (out0: i4 fixed<0,4,0>, out1: i4 fixed<0,4,0>) clock "clk" latency 6 {
// CUT1:      rtl.reg
// CUT1:      rtl.output
// CUT2:      rtl.module @net({{.*}}) -> (out0: i4 fixed<0,4,0>, out1: i4 fixed<0,4,0>) clock "clk" latency 3 {
// CUT2:      rtl.reg
// CUT2:      rtl.output

// ternary=true: adder pairs fused into three-input adders.
// TERNARY:      rtl.module @net({{.*}}) {
// TERNARY:      rtl.add3 {{.*}} signs "{{[+-]+}}"
// TERNARY:      rtl.output
