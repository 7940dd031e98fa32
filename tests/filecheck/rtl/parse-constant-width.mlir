// RUN: not fpga-opt %s 2>&1 | filecheck %s

// Bit vectors have at least one bit.
rtl.module @m() -> () {
  %c = rtl.constant 0 : i0
  rtl.output
}

// CHECK: fpga-opt: error: parse error
// CHECK: 0 does not fit in 0 bits
