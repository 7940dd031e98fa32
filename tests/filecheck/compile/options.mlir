// RUN: not fpga-opt %s -p 'compile{cutoff=-1}' 2>&1 | filecheck %s --check-prefix=NEGATIVE
// RUN: not fpga-opt %s -p 'compile{objective=luts}' 2>&1 | filecheck %s --check-prefix=OBJECTIVE
// RUN: not fpga-opt %s -p 'compile{max_depth=1}' 2>&1 | filecheck %s --check-prefix=TOOSHALLOW
// RUN: fpga-opt %s -p 'compile{max_depth=3 objective=adder_bits}' | filecheck %s --check-prefix=DEPTH

// Bad options are one located line, not a traceback; options reach the stage they are for.
func.func @net(%x: !fixedpoint.tensor<3xfixed<1,3,0>>) -> !fixedpoint.tensor<2xfixed<1,9,0>> {
  %w = fixedpoint.constant <[3, -5, 7, 1, 6, -3], f=0> : !fixedpoint.tensor<3x2xfixed<1,3,0>>
  %y = fixedpoint.dense %x, %w : (!fixedpoint.tensor<3xfixed<1,3,0>>, !fixedpoint.tensor<3x2xfixed<1,3,0>>) -> !fixedpoint.tensor<2xfixed<1,9,0>>
  func.return %y : !fixedpoint.tensor<2xfixed<1,9,0>>
}

// NEGATIVE:       fpga-opt: error: rtl-pipeline: cutoff, carry_cutoff and clock_period must be >= 0
// NEGATIVE-NOT:   Traceback
// OBJECTIVE:      fpga-opt: error: cmvm: unknown objective 'luts'; expected one of adders, adder_bits
// OBJECTIVE-NOT:  Traceback
// TOOSHALLOW:     fpga-opt: error: 'cmvm.matrix' with 2 outputs: max_depth=1 is below the {{[0-9]+}} adder levels the widest row needs
// TOOSHALLOW-NOT: Traceback
// DEPTH:          rtl.module @net(%x: i4 fixed<1,3,0>, %x_1: i4 fixed<1,3,0>, %x_2: i4 fixed<1,3,0>) -> (out0: i{{[0-9]+}} fixed<1,{{[0-9]+}},0>, out1: i{{[0-9]+}} fixed<1,{{[0-9]+}},0>) {
// DEPTH:          rtl.output
