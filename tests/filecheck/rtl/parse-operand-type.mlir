// RUN: not fpga-opt %s 2>&1 | filecheck %s

// Operand types are stated once and must match: no implicit extension.
rtl.module @m(%a: i4 fixed<0,4,0>) -> () {
  %x = rtl.add %a, %a : i5
  rtl.output
}

// CHECK: fpga-opt: error: parse error
// CHECK: operand is used with type i5, but has been previously used or defined with type i4
