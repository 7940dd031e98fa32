// RUN: fpga-opt %s --split-input-file --verify-diagnostics | filecheck %s

// Verifier errors of every rtl operation.  Operand/result type mismatches cannot even be
// written in the custom form, so those cases use the generic form.

rtl.module @m(%a: i8 fixed<1,7,0>, %b: i9 fixed<1,8,0>) -> () {
  %s = "rtl.add"(%a, %b) : (i8, i9) -> i9
  rtl.output
}
// CHECK: operand 'rhs' at position 1 does not verify:
// CHECK-NEXT: attribute i8 expected from variable 'T', but got i9

// -----

rtl.module @m(%a: i8 fixed<1,7,0>, %b: i8 fixed<1,7,0>) -> () {
  %s = "rtl.sub"(%a, %b) : (i8, i8) -> i9
  rtl.output
}
// CHECK: attribute i8 expected from variable 'T', but got i9

// -----

rtl.module @m(%a: i8 fixed<1,7,0>) -> () {
  %e = rtl.extract %a from 6 : i8 to i4
  rtl.output
}
// CHECK: bits [6, 10) are outside the 8-bit input

// -----

rtl.module @m(%a: i8 fixed<1,7,0>) -> () {
  %c = "rtl.concat"(%a, %a) : (i8, i8) -> i15
  rtl.output
}
// CHECK: result has 15 bits, the operands sum to 16

// -----

rtl.module @m() -> () {
  %c = "rtl.concat"() : () -> i1
  rtl.output
}
// CHECK: rtl.concat needs at least one operand

// -----

rtl.module @m(%a: i8 fixed<1,7,0>) -> () {
  %x = rtl.sext %a : i8 to i4
  rtl.output
}
// CHECK: cannot extend i8 to the narrower i4

// -----

rtl.module @m(%a: i8 fixed<1,7,0>) -> () {
  %x = rtl.zext %a : i8 to i7
  rtl.output
}
// CHECK: cannot extend i8 to the narrower i7

// -----

rtl.module @m(%a: i8 fixed<1,7,0>) -> () {
  %x = "rtl.icmp"(%a, %a) <{predicate = "lt"}> : (i8, i8) -> i1
  rtl.output
}
// CHECK: unknown predicate 'lt', expected one of eq, ne, slt, sle, sgt, sge, ult, ule, ugt, uge

// -----

rtl.module @m(%a: i8 fixed<1,7,0>) -> () {
  %x = "rtl.icmp"(%a, %a) <{predicate = "eq"}> : (i8, i8) -> i8
  rtl.output
}
// CHECK: Expected attribute i1 but got i8

// -----

rtl.module @m(%a: i8 fixed<1,7,0>) -> () {
  %x = "rtl.mux"(%a, %a, %a) : (i8, i8, i8) -> i8
  rtl.output
}
// CHECK: Expected attribute i1 but got i8

// -----

rtl.module @m(%a: i2 fixed<0,2,0>) -> () {
  %x = rtl.rom %a [1, 2, 3] : i2 -> i4
  rtl.output
}
// CHECK: a 2-bit index needs 4 table entries, got 3

// -----

rtl.module @m(%a: i1 fixed<0,1,0>) -> () {
  %x = rtl.rom %a [1, 16] : i1 -> i4
  rtl.output
}
// CHECK: entry 1 (16) does not fit in 4 bits

// -----

rtl.module @m(%a: i17 fixed<0,17,0>) -> () {
  %x = "rtl.rom"(%a) <{table = array<i64>}> : (i17) -> i4
  rtl.output
}
// CHECK: a 17-bit index is too wide for a ROM (at most 16)

// -----

rtl.module @m(%a: i1 fixed<0,1,0>) -> () {
  %x = "rtl.rom"(%a) <{table = array<i64: 0, 1>}> : (i1) -> i65
  rtl.output
}
// CHECK: ROM outputs are at most 64 bits, got 65

// -----

rtl.module @m() -> () {
  %c = "rtl.constant"() <{value = 3 : i8}> : () -> i9
  rtl.output
}
// CHECK: value type i8 must equal the result type i9

// -----

rtl.module @m(%a: i8 fixed<1,7,0>) -> (y: i8 fixed<1,7,0>) {
  %r = rtl.reg %a : i8
  rtl.output %r : i8
}
// CHECK: a module with registers needs a clock

// -----

rtl.module @m(%a: i8 fixed<1,6,0>) -> () {
  rtl.output
}
// CHECK: input 'a' is i8 but its format fixed<1,6,0> has 7 bits

// -----

rtl.module @m(%a: i8 fixed<1,7,0>) -> (a: i8 fixed<1,7,0>) {
  rtl.output %a : i8
}
// CHECK: port names must be unique, repeated: a

// -----

rtl.module @m(%a: i8 fixed<1,7,0>) -> (y: i8 fixed<1,7,0>) clock "a" {
  rtl.output %a : i8
}
// CHECK: port names must be unique, repeated: a

// -----

rtl.module @m(%a: i8 fixed<1,7,0>) -> (y: i9 fixed<1,8,0>) {
  rtl.output %a : i8
}
// CHECK: rtl.output operand types must match the module's output types

// -----

rtl.module @m(%a: i8 fixed<1,7,0>) -> () {
  %s = rtl.add %a, %a : i8
}
// CHECK: Operation rtl.add terminates block in single-block region but is not a terminator

// -----

"rtl.module"() <{sym_name = "m", function_type = () -> (), input_names = [], output_names = [], input_formats = [], output_formats = []}> ({
^bb0:
}) : () -> ()
// CHECK: Operation rtl.module contains empty block in single-block region that expects at least a terminator

// -----

"rtl.module"() <{sym_name = "m", function_type = (si8) -> (), input_names = ["a"], output_names = [], input_formats = [#rtl.fixed<1,7,0>], output_formats = []}> ({
^bb0(%a: si8):
  "rtl.output"() : () -> ()
}) : () -> ()
// CHECK: input 'a' must be a signless integer

// -----

rtl.module @m(%a: i8 fixed<1,7,0>) -> () latency 1 {
  rtl.output
}
// CHECK-NOT: error
// CHECK: latency 1

// -----

rtl.module @m() -> () {
  rtl.output
}
"rtl.output"() : () -> ()
// CHECK: 'rtl.output' expects parent op 'rtl.module'

// -----

rtl.module @"not an identifier"() -> () {
  rtl.output
}
// CHECK: module name 'not an identifier' is not a Verilog identifier

// -----

rtl.module @m(%a: i8 fixed<2,6,0>) -> () {
  rtl.output
}
// CHECK: sign bit k must be 0 or 1 in fixed<2,6,0>

// -----

rtl.module @m(%a: i8 fixed<1,7,0>) -> () {
  %e = "rtl.extract"(%a) <{low_bit = 0 : i64}> : (i8) -> i0
  rtl.output
}
// CHECK: rtl.extract yields i0: values need a bit at least

// -----

rtl.module @m(%a: i8 fixed<1,7,0>) -> () {
  %s = arith.addi %a, %a : i8
  rtl.output
}
// CHECK: rtl.module holds rtl operations only, found arith.addi

// -----

rtl.module @add3_first_negated(%a: i8 fixed<1,7,0>) -> (y: i8 fixed<1,7,0>) {
  %s = rtl.add3 %a, %a, %a signs "-++" : i8
  rtl.output %s : i8
}
// CHECK: rtl.add3 signs must be three of "+" and "-", the first "+"; got "-++"
