// RUN: not fpga-opt %s 2>&1 | filecheck %s

// A constant must fit its type (signed or unsigned reading).
rtl.module @m() -> (y: i4 fixed<0,4,0>) {
  %c = rtl.constant 16 : i4
  rtl.output %c : i4
}

// CHECK: fpga-opt: error: parse error
// CHECK: parse-constant-range.mlir:5:21
// CHECK: 16 does not fit in 4 bits
