// RUN: fpga-opt %s -p 'rtl-pipeline{clock_period=1.2}' | filecheck %s --check-prefix=P12
// RUN: fpga-opt %s -p 'rtl-pipeline{clock_period=1.5}' | filecheck %s --check-prefix=P15
// RUN: fpga-opt %s -p 'rtl-pipeline{clock_period=2.0}' | filecheck %s --check-prefix=P20

// Registers by estimated delay (dialects/rtl/delay.py): a stage of L adder levels and C
// carry bits takes 0.40 + 0.35 L + 0.015 C ns.  Three chained 8-bit adders:
// one level 0.87 ns, two 1.34 ns, three 1.81 ns.
rtl.module @chain(%a: i8 fixed<0,8,0>, %b: i8 fixed<0,8,0>, %c: i8 fixed<0,8,0>) -> (y: i8 fixed<0,8,0>) {
  %s = rtl.add %a, %b : i8
  %t = rtl.add %s, %c : i8
  %u = rtl.add %t, %c : i8
  rtl.output %u : i8
}

// 1.2 ns holds one adder per stage.
// P12:      rtl.module @chain({{.*}}) clock "clk" latency 2 {
// P12:        %s = rtl.add %a, %b : i8
// P12-NEXT:   %s_r1 = rtl.reg %s : i8
// P12-NEXT:   %t = rtl.add %s_r1, %c_r1 : i8
// P12-NEXT:   %t_r1 = rtl.reg %t : i8
// P12-NEXT:   %u = rtl.add %t_r1, %c_r2 : i8

// 1.5 ns holds two.
// P15:      rtl.module @chain({{.*}}) clock "clk" latency 1 {
// P15:        %s = rtl.add %a, %b : i8
// P15-NEXT:   %t = rtl.add %s, %c : i8
// P15-NEXT:   %t_r1 = rtl.reg %t : i8
// P15-NEXT:   %u = rtl.add %t_r1, %c_r1 : i8

// 2.0 ns holds all three: no register.
// P20:      rtl.module @chain({{.*}}) latency 0 {
// P20-NOT:  rtl.reg
