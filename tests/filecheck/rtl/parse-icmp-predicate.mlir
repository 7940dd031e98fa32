// RUN: not fpga-opt %s 2>&1 | filecheck %s

// Comparison predicates are CIRCT's: s/u prefix for signed/unsigned order.
rtl.module @m(%a: i4 fixed<0,4,0>) -> () {
  %c = rtl.icmp lt %a, %a : i4
  rtl.output
}

// CHECK: fpga-opt: error: parse error
// CHECK: unknown predicate 'lt', expected one of eq, ne, slt, sle, sgt, sge, ult, ule, ugt, uge
