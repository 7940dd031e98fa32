// RUN: fpga-opt %s --split-input-file --verify-diagnostics --parsing-diagnostics | filecheck %s

func.func @bad_type(%a: !cmvm.fx<fixed<2,7,0>>) {
  func.return
}
// CHECK: sign bit k must be 0 or 1, got k=2 in fixed<2,7,0>

// -----

func.func @matrix_rows(%a: !cmvm.fx<fixed<1,7,0>>) {
  %y = cmvm.matrix [[1], [2]] (%a) : (!cmvm.fx<fixed<1,7,0>>) -> (!cmvm.fx<fixed<1,9,0>>)
  func.return
}
// CHECK: 'cmvm.matrix' has 2 matrix rows but 1 results

// -----

func.func @matrix_columns(%a: !cmvm.fx<fixed<1,7,0>>) {
  %y = cmvm.matrix [[1, 2]] (%a) : (!cmvm.fx<fixed<1,7,0>>) -> (!cmvm.fx<fixed<1,9,0>>)
  func.return
}
// CHECK: row 0 of 'cmvm.matrix' has 2 entries but there are 1 inputs

// -----

func.func @matrix_shifts(%a: !cmvm.fx<fixed<1,7,0>>) {
  %y = cmvm.matrix [[1]] (%a) row_shifts [1, 2] : (!cmvm.fx<fixed<1,7,0>>) -> (!cmvm.fx<fixed<1,9,0>>)
  func.return
}
// CHECK: 'cmvm.matrix' needs 1 row shifts and 1 column shifts, got 2 and 1

// -----

func.func @matrix_narrow(%a: !cmvm.fx<fixed<1,7,0>>, %b: !cmvm.fx<fixed<1,7,0>>) {
  %y:2 = cmvm.matrix [[1, 1], [3, 0]] (%a, %b) : (!cmvm.fx<fixed<1,7,0>>, !cmvm.fx<fixed<1,7,0>>) -> (!cmvm.fx<fixed<1,8,0>>, !cmvm.fx<fixed<1,8,0>>)
  func.return
}
// CHECK: result 1 type of 'cmvm.matrix' cannot hold its values: fixed<1,8,0> does not contain range<-384,381,0>

// -----

func.func @matrix_coarse(%a: !cmvm.fx<fixed<1,7,0>>) {
  %y = cmvm.matrix [[1]] (%a) row_shifts [-1] : (!cmvm.fx<fixed<1,7,0>>) -> (!cmvm.fx<fixed<1,7,0>>)
  func.return
}
// CHECK: result type of 'cmvm.matrix' cannot hold its values: fixed<1,7,0> does not contain range<-128,127,1>

// -----

func.func @csd_adjacent(%a: !cmvm.fx<fixed<1,7,0>>) {
  %y = cmvm.csd [["++"]] (%a) : (!cmvm.fx<fixed<1,7,0>>) -> (!cmvm.fx<fixed<1,9,0>>)
  func.return
}
// CHECK: CSD entry [0][0] "++" has two adjacent non-zero digits

// -----

func.func @csd_leading_zero(%a: !cmvm.fx<fixed<1,7,0>>) {
  %y = cmvm.csd [["0+"]] (%a) : (!cmvm.fx<fixed<1,7,0>>) -> (!cmvm.fx<fixed<1,9,0>>)
  func.return
}
// CHECK: CSD entry [0][0] "0+" has a leading zero

// -----

func.func @csd_digit(%a: !cmvm.fx<fixed<1,7,0>>) {
  %y = cmvm.csd [["+01"]] (%a) : (!cmvm.fx<fixed<1,7,0>>) -> (!cmvm.fx<fixed<1,9,0>>)
  func.return
}
// CHECK: CSD entry [0][0] "+01" must be a non-empty string of '+', '-' and '0'

// -----

func.func @add_narrow(%a: !cmvm.fx<fixed<1,7,0>>, %b: !cmvm.fx<fixed<1,7,0>>) {
  %y = cmvm.add %a, %b shl 1 : (!cmvm.fx<fixed<1,7,0>>, !cmvm.fx<fixed<1,7,0>>) -> !cmvm.fx<fixed<1,8,0>>
  func.return
}
// CHECK: result type of 'cmvm.add' cannot hold its values: fixed<1,8,0> does not contain range<-384,381,0>

// -----

// b * 2**-1 is a half-integer: an integer result type is too coarse.
func.func @sub_coarse(%a: !cmvm.fx<fixed<1,7,0>>, %b: !cmvm.fx<fixed<1,7,0>>) {
  %y = cmvm.sub %a, %b shl -1 : (!cmvm.fx<fixed<1,7,0>>, !cmvm.fx<fixed<1,7,0>>) -> !cmvm.fx<fixed<1,10,0>>
  func.return
}
// CHECK: result type of 'cmvm.sub' cannot hold its values: fixed<1,10,0> does not contain range<-383,382,1>

// -----

// Even the exact linear form (a + a = 2a) does not fit.
func.func @add_same_operand(%a: !cmvm.fx<fixed<1,7,0>>) {
  %y = cmvm.add %a, %a : (!cmvm.fx<fixed<1,7,0>>, !cmvm.fx<fixed<1,7,0>>) -> !cmvm.fx<range<-255,255,0>>
  func.return
}
// CHECK: result type of 'cmvm.add' cannot hold its values: range<-255,255,0> does not contain range<-128,127,-1>

// -----

func.func @neg_narrow(%a: !cmvm.fx<fixed<1,7,0>>) {
  %y = cmvm.neg %a : !cmvm.fx<fixed<1,7,0>> -> !cmvm.fx<fixed<1,7,0>>
  func.return
}
// CHECK: result type of 'cmvm.neg' cannot hold its values: fixed<1,7,0> does not contain range<-127,128,0>

// -----

func.func @shift_narrow(%a: !cmvm.fx<fixed<1,7,0>>) {
  %y = cmvm.shift %a by 1 : !cmvm.fx<fixed<1,7,0>> -> !cmvm.fx<fixed<1,7,0>>
  func.return
}
// CHECK: result type of 'cmvm.shift' cannot hold its values: fixed<1,7,0> does not contain range<-128,127,-1>

// -----

func.func @constant_narrow() {
  %c = cmvm.constant 3 shl -1 : !cmvm.fx<fixed<0,1,0>>
  func.return
}
// CHECK: result type of 'cmvm.constant' cannot hold its values: fixed<0,1,0> does not contain range<3,3,1>

// -----

func.func @relu_narrow(%a: !cmvm.fx<fixed<1,7,0>>) {
  %y = cmvm.relu %a : !cmvm.fx<fixed<1,7,0>> -> !cmvm.fx<fixed<0,6,0>>
  func.return
}
// CHECK: result type of 'cmvm.relu' cannot hold its values: fixed<0,6,0> does not contain range<0,127,0>

// -----

func.func @max_narrow(%a: !cmvm.fx<fixed<1,7,0>>, %b: !cmvm.fx<fixed<0,8,0>>) {
  %y = cmvm.max %a, %b : (!cmvm.fx<fixed<1,7,0>>, !cmvm.fx<fixed<0,8,0>>) -> !cmvm.fx<fixed<1,7,0>>
  func.return
}
// CHECK: result type of 'cmvm.max' cannot hold its values: fixed<1,7,0> does not contain range<0,255,0>

// -----

func.func @min_narrow(%a: !cmvm.fx<fixed<1,7,0>>, %b: !cmvm.fx<fixed<0,8,0>>) {
  %y = cmvm.min %a, %b : (!cmvm.fx<fixed<1,7,0>>, !cmvm.fx<fixed<0,8,0>>) -> !cmvm.fx<fixed<0,8,0>>
  func.return
}
// CHECK: result type of 'cmvm.min' cannot hold its values: fixed<0,8,0> does not contain range<-128,127,0>

// -----

func.func @quantize_format(%a: !cmvm.fx<fixed<1,7,0>>) {
  %y = cmvm.quantize %a to range<0,3,0> TRN SAT : !cmvm.fx<fixed<1,7,0>> -> !cmvm.fx<fixed<0,2,0>>
  func.return
}
// CHECK: quantize needs a format fixed<k,i,f>, got range<0,3,0>

// -----

func.func @quantize_narrow(%a: !cmvm.fx<fixed<1,7,0>>) {
  %y = cmvm.quantize %a to fixed<1,3,1> TRN WRAP : !cmvm.fx<fixed<1,7,0>> -> !cmvm.fx<fixed<1,3,0>>
  func.return
}
// CHECK: result type of 'cmvm.quantize' cannot hold its values: fixed<1,3,0> does not contain range<-16,{{1[45]}},1>

// -----

func.func @quantize_rounding(%a: !cmvm.fx<fixed<1,7,0>>) {
  %y = cmvm.quantize %a to fixed<1,3,1> FLOOR WRAP : !cmvm.fx<fixed<1,7,0>> -> !cmvm.fx<fixed<1,3,1>>
  func.return
}
// CHECK: Expected `TRN`, `RND`, or `RND_CONV`.

// -----

func.func @lookup_size(%a: !cmvm.fx<fixed<0,2,0>>) {
  %y = cmvm.lookup %a over range<0,3,0> table <[1, 2, 3], f=0> : !cmvm.fx<fixed<0,2,0>> -> !cmvm.fx<fixed<0,2,0>>
  func.return
}
// CHECK: lookup over range<0,3,0> needs 4 table entries, got 3

// -----

func.func @lookup_domain(%a: !cmvm.fx<fixed<1,2,0>>) {
  %y = cmvm.lookup %a over range<0,3,0> table <[1, 2, 3, 0], f=0> : !cmvm.fx<fixed<1,2,0>> -> !cmvm.fx<fixed<0,2,0>>
  func.return
}
// CHECK: lookup input of type fixed<1,2,0> is not inside its domain range<0,3,0>

// -----

func.func @lookup_narrow(%a: !cmvm.fx<fixed<0,2,0>>) {
  %y = cmvm.lookup %a over range<0,3,0> table <[1, 2, 3, 9], f=0> : !cmvm.fx<fixed<0,2,0>> -> !cmvm.fx<fixed<0,2,0>>
  func.return
}
// CHECK: result type of 'cmvm.lookup' cannot hold its values: fixed<0,2,0> does not contain range<1,9,0>

// -----

func.func @add3_all_negative(%a: !cmvm.fx<fixed<1,7,0>>) {
  %y = cmvm.add3 %a, %a, %a shl [0, 0, 0] signs [-1, -1, -1] : (!cmvm.fx<fixed<1,7,0>>, !cmvm.fx<fixed<1,7,0>>, !cmvm.fx<fixed<1,7,0>>) -> !cmvm.fx<range<-384,381,0>>
  func.return
}
// CHECK: 'cmvm.add3' signs must be 1 or -1, at least one of them 1

// -----

func.func @add3_two_shifts(%a: !cmvm.fx<fixed<1,7,0>>) {
  %y = cmvm.add3 %a, %a, %a shl [0, 0] signs [1, 1, 1] : (!cmvm.fx<fixed<1,7,0>>, !cmvm.fx<fixed<1,7,0>>, !cmvm.fx<fixed<1,7,0>>) -> !cmvm.fx<range<-384,381,0>>
  func.return
}
// CHECK: 'cmvm.add3' needs three operands, three shifts and three signs

// -----

func.func @add3_narrow(%a: !cmvm.fx<fixed<1,7,0>>) {
  %y = cmvm.add3 %a, %a, %a shl [0, 0, 0] signs [1, 1, 1] : (!cmvm.fx<fixed<1,7,0>>, !cmvm.fx<fixed<1,7,0>>, !cmvm.fx<fixed<1,7,0>>) -> !cmvm.fx<fixed<1,7,0>>
  func.return
}
// CHECK: result type of 'cmvm.add3' cannot hold its values
