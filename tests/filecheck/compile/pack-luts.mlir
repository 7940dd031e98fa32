// RUN: fpga-opt %s -p compile | filecheck %s --check-prefix=ADDERS
// RUN: fpga-opt %s -p 'compile{pack_luts=true}' | filecheck %s --check-prefix=PACKED

// Two 2-bit inputs: without pack_luts the products are adders; with it, adder cones over
// at most six input bits become ROMs where the LUT estimate says they are cheaper.
func.func @tiny(%x: !fixedpoint.tensor<2xfixed<0,2,0>>) -> !fixedpoint.tensor<2xfixed<1,5,0>> {
  %w = fixedpoint.constant <[3, -5, 7, 1], f=0> : !fixedpoint.tensor<2x2xfixed<1,3,0>>
  %y = fixedpoint.dense %x, %w : (!fixedpoint.tensor<2xfixed<0,2,0>>, !fixedpoint.tensor<2x2xfixed<1,3,0>>) -> !fixedpoint.tensor<2xfixed<1,7,0>>
  %q = fixedpoint.quantize %y to <fixed<1,5,0>> TRN WRAP : !fixedpoint.tensor<2xfixed<1,7,0>> -> !fixedpoint.tensor<2xfixed<1,5,0>>
  func.return %q : !fixedpoint.tensor<2xfixed<1,5,0>>
}

// ADDERS:     rtl.module @tiny(%x: i2 fixed<0,2,0>, %x_1: i2 fixed<0,2,0>)
// ADDERS-NOT: rtl.rom
// ADDERS:     rtl.output

// A cone over both inputs (4 input bits) is one ROM of 16 entries.
// PACKED:     rtl.module @tiny(%x: i2 fixed<0,2,0>, %x_1: i2 fixed<0,2,0>)
// PACKED:     [[BITS:%[0-9]+]] = rtl.concat %x, %x_1 : i2, i2
// PACKED-NEXT: rtl.rom [[BITS]] [{{[0-9, ]+}}] : i4 -> i{{[0-9]+}}
// PACKED:     rtl.output
