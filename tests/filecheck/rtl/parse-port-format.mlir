// RUN: not fpga-opt %s 2>&1 | filecheck %s

// Every port states its fixed-point format.
rtl.module @m(%a: i4) -> () {
  rtl.output
}

// CHECK: fpga-opt: error: parse error
// CHECK: Expected 'fixed' (the port's fixed-point format)
