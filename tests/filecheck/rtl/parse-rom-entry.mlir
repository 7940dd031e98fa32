// RUN: not fpga-opt %s 2>&1 | filecheck %s

// ROM entries are 64-bit signed integers.
rtl.module @m(%a: i1 fixed<0,1,0>) -> () {
  %x = rtl.rom %a [0, 18446744073709551616] : i1 -> i4
  rtl.output
}

// CHECK: fpga-opt: error: parse error
// CHECK: ROM entries must fit in 64-bit signed integers
