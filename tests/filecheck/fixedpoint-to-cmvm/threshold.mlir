// RUN: fpga-opt %s -p fixedpoint-infer-precision,fixedpoint-to-cmvm | filecheck %s

// A threshold is a table on x truncated to the thresholds' grid.  Below the first
// threshold and above the last every value reads the same entry, so x is clamped there
// only where that narrows the table's index: @wide's x takes 256 values and is clamped
// on both sides to the 8 of [-1, 6] (a 3-bit index); @narrow's x takes the 8 values of
// [-4, 3]: clamping it to [-4, 2] would still need a 3-bit index, so it is not clamped.
func.func @wide(%x: !fixedpoint.tensor<1xfixed<1,7,0>>) -> !fixedpoint.tensor<1xrange<0,3,0>> {
  %y = fixedpoint.threshold %x thresholds <[0, 2, 6], f=0> values <[0, 1, 2, 3], f=0> : !fixedpoint.tensor<1xfixed<1,7,0>> -> !fixedpoint.tensor<1xrange<0,3,0>>
  func.return %y : !fixedpoint.tensor<1xrange<0,3,0>>
}
// CHECK-LABEL: func.func @wide
// CHECK:       cmvm.max
// CHECK:       cmvm.min
// CHECK:       cmvm.lookup %{{.*}} over range<-1,6,0> table <[0, 1, 1, 2, 2, 2, 2, 3], f=0>

func.func @narrow(%x: !fixedpoint.tensor<1xfixed<1,2,0>>) -> !fixedpoint.tensor<1xrange<0,3,0>> {
  %y = fixedpoint.threshold %x thresholds <[-3, 0, 2], f=0> values <[0, 1, 2, 3], f=0> : !fixedpoint.tensor<1xfixed<1,2,0>> -> !fixedpoint.tensor<1xrange<0,3,0>>
  func.return %y : !fixedpoint.tensor<1xrange<0,3,0>>
}
// CHECK-LABEL: func.func @narrow
// CHECK-NOT:   cmvm.max
// CHECK-NOT:   cmvm.min
// CHECK:       cmvm.lookup %{{.*}} over range<-4,3,0> table <[0, 1, 1, 1, 2, 2, 3, 3], f=0>
