// RUN: fpga-opt %s -p 'cmvm-cse{max_depth=3}' | filecheck %s --check-prefix=DEPTH3
// RUN: not fpga-opt %s -p 'cmvm-cse{max_depth=2}' 2>&1 | filecheck %s --check-prefix=TOOSHALLOW
// RUN: not fpga-opt %s -p 'cmvm-cse{objective=luts}' 2>&1 | filecheck %s --check-prefix=OBJECTIVE

// 7a + 7b + 7c: shared (a + b + c) * 7 needs depth 3 (a+b, +c, <<3 - x); each output
// could also be summed directly from its 6 digits in depth 3.  Depth 2 cannot sum 6 digits.
func.func @sevens(%a: !cmvm.fx<fixed<1,7,0>>, %b: !cmvm.fx<fixed<1,7,0>>, %c: !cmvm.fx<fixed<1,7,0>>) -> !cmvm.fx<range<-2688,2667,0>> {
  %y = cmvm.matrix [[7, 7, 7]] (%a, %b, %c) : (!cmvm.fx<fixed<1,7,0>>, !cmvm.fx<fixed<1,7,0>>, !cmvm.fx<fixed<1,7,0>>) -> (!cmvm.fx<range<-2688,2667,0>>)
  func.return %y : !cmvm.fx<range<-2688,2667,0>>
}
// DEPTH3-LABEL: func.func @sevens
// DEPTH3-NOT:   cmvm.matrix
// DEPTH3:       func.return %y : !cmvm.fx<range<-2688,2667,0>>
// TOOSHALLOW:   fpga-opt: error: 'cmvm.matrix' with 1 outputs: max_depth=2 is below the 3 adder levels the widest row needs
// OBJECTIVE:    fpga-opt: error: cmvm: unknown objective 'luts'; expected one of adders, adder_bits
