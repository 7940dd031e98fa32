// RUN: not fpga-opt %s -p 'rtl-pipeline{cutoff=1}' 2>&1 | filecheck %s
// RUN: not fpga-opt %s -p 'rtl-pipeline{cutoff=-1}' 2>&1 | filecheck %s --check-prefix=NEG
// RUN: not fpga-opt %s -p 'rtl-pipeline{clock_period=-2.5}' 2>&1 | filecheck %s --check-prefix=NEG

// The pass places every register itself, so it refuses a module that already has some;
// a negative budget is an error.
rtl.module @done(%a: i8 fixed<1,7,0>) -> (y: i8 fixed<1,7,0>) clock "clk" latency 1 {
  %r = rtl.reg %a : i8
  rtl.output %r : i8
}

// CHECK: fpga-opt: error: rtl.module @done: rtl-pipeline expects a combinational module, this one has registers
// NEG: fpga-opt: error: rtl-pipeline: cutoff, carry_cutoff and clock_period must be >= 0
