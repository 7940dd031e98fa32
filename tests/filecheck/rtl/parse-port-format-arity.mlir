// RUN: not fpga-opt %s 2>&1 | filecheck %s

// A format has exactly three numbers, k, i and f.
rtl.module @m(%a: i4 fixed<0,4>) -> () {
  rtl.output
}

// CHECK: fpga-opt: error: parse error
// CHECK: expected fixed<k,i,f>
