// RUN: fpga-opt %s --split-input-file --parsing-diagnostics | filecheck %s

// Errors in the custom syntax, each reported at its position.

// A constant must fit its type (signed or unsigned reading).
rtl.module @m() -> (y: i4 fixed<0,4,0>) {
  %c = rtl.constant 16 : i4
  rtl.output %c : i4
}

// CHECK: {{.*}}parse-errors.mlir:7:21
// CHECK: 16 does not fit in 4 bits

// -----

// Bit vectors have at least one bit.
rtl.module @m() -> () {
  %c = rtl.constant 0 : i0
  rtl.output
}

// CHECK: 0 does not fit in 0 bits

// -----

// Comparison predicates are CIRCT's: s/u prefix for signed/unsigned order.
rtl.module @m(%a: i4 fixed<0,4,0>) -> () {
  %c = rtl.icmp lt %a, %a : i4
  rtl.output
}

// CHECK: unknown predicate 'lt', expected one of eq, ne, slt, sle, sgt, sge, ult, ule, ugt, uge

// -----

// Operand types are stated once and must match: no implicit extension.
rtl.module @m(%a: i4 fixed<0,4,0>) -> () {
  %x = rtl.add %a, %a : i5
  rtl.output
}

// CHECK: operand is used with type i5, but has been previously used or defined with type i4

// -----

// A format has exactly three numbers, k, i and f.
rtl.module @m(%a: i4 fixed<0,4>) -> () {
  rtl.output
}

// CHECK: expected fixed<k,i,f>

// -----

// Every port states its fixed-point format.
rtl.module @m(%a: i4) -> () {
  rtl.output
}

// CHECK: Expected 'fixed' (the port's fixed-point format)

// -----

// ROM entries are 64-bit signed integers.
rtl.module @m(%a: i1 fixed<0,1,0>) -> () {
  %x = rtl.rom %a [0, 18446744073709551616] : i1 -> i4
  rtl.output
}

// CHECK: ROM entries must fit in 64-bit signed integers
