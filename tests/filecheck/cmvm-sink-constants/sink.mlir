// RUN: fpga-opt %s -p cmvm-sink-constants | filecheck %s
// RUN: fpga-opt %s -p cmvm-sink-constants | fpga-opt | filecheck %s

// %t = z + (b << 1) has z at depth 0 and b at depth 2: the bias joins z, %y is at depth 3, not 4.
func.func @sunk(%x: !cmvm.fx<fixed<1,7,0>>, %z: !cmvm.fx<fixed<1,7,0>>) -> !cmvm.fx<range<-3435,3450,0>> {
  %b0 = cmvm.add %x, %z shl 2 : (!cmvm.fx<fixed<1,7,0>>, !cmvm.fx<fixed<1,7,0>>) -> !cmvm.fx<range<-640,635,0>>
  %b = cmvm.sub %b0, %x shl 3 : (!cmvm.fx<range<-640,635,0>>, !cmvm.fx<fixed<1,7,0>>) -> !cmvm.fx<range<-1656,1659,0>>
  %t = cmvm.add %z, %b shl 1 : (!cmvm.fx<fixed<1,7,0>>, !cmvm.fx<range<-1656,1659,0>>) -> !cmvm.fx<range<-3440,3445,0>>
  %c = cmvm.constant 5 : !cmvm.fx<range<5,5,0>>
  %y = cmvm.add %t, %c : (!cmvm.fx<range<-3440,3445,0>>, !cmvm.fx<range<5,5,0>>) -> !cmvm.fx<range<-3435,3450,0>>
  func.return %y : !cmvm.fx<range<-3435,3450,0>>
}
// CHECK-LABEL: func.func @sunk
// CHECK:         %b = cmvm.sub %b0, %x shl 3
// CHECK-NEXT:    %[[C:.*]] = cmvm.constant 5 : !cmvm.fx<range<5,5,0>>
// CHECK-NEXT:    %[[Z:.*]] = cmvm.add %z, %[[C]] : (!cmvm.fx<fixed<1,7,0>>, !cmvm.fx<range<5,5,0>>) -> !cmvm.fx<range<-123,132,0>>
// CHECK-NEXT:    %y = cmvm.add %[[Z]], %b shl 1 : {{.*}} -> !cmvm.fx<range<-3435,3450,0>>
// CHECK-NEXT:    func.return %y

// 12 - (a0 + (z << 1) - (x << 2)) with a0 the deepest: the constant travels down the
// subtracted, shifted branches to z, as (6 - z) << 1 - a0 + (x << 2), at depth 3, not 4.
func.func @shifted(%x: !cmvm.fx<fixed<1,7,0>>, %z: !cmvm.fx<fixed<1,7,0>>) -> !cmvm.fx<range<-1000,1000,0>> {
  %a0 = cmvm.add %x, %z : (!cmvm.fx<fixed<1,7,0>>, !cmvm.fx<fixed<1,7,0>>) -> !cmvm.fx<range<-256,254,0>>
  %a = cmvm.add %a0, %z shl 1 : (!cmvm.fx<range<-256,254,0>>, !cmvm.fx<fixed<1,7,0>>) -> !cmvm.fx<range<-512,508,0>>
  %t = cmvm.sub %a, %x shl 2 : (!cmvm.fx<range<-512,508,0>>, !cmvm.fx<fixed<1,7,0>>) -> !cmvm.fx<range<-1000,1000,0>>
  %c = cmvm.constant 3 shl 2 : !cmvm.fx<range<3,3,-2>>
  %y = cmvm.sub %c, %t : (!cmvm.fx<range<3,3,-2>>, !cmvm.fx<range<-1000,1000,0>>) -> !cmvm.fx<range<-1000,1000,0>>
  func.return %y : !cmvm.fx<range<-1000,1000,0>>
}
// CHECK-LABEL: func.func @shifted
// CHECK:         %a0 = cmvm.add %x, %z :
// CHECK-NEXT:    %[[C:.*]] = cmvm.constant 3 shl 1 : !cmvm.fx<range<3,3,-1>>
// CHECK-NEXT:    %[[Z:.*]] = cmvm.sub %[[C]], %z :
// CHECK-NEXT:    %[[S:.*]] = cmvm.shift %[[Z]] by 1 :
// CHECK-NEXT:    %[[A:.*]] = cmvm.sub %[[S]], %a0 :
// CHECK-NEXT:    %y = cmvm.add %[[A]], %x shl 2 : {{.*}} -> !cmvm.fx<range<-1000,1000,0>>
// CHECK-NEXT:    func.return %y

// Both branches equally deep: nowhere to gain, nothing changes.
func.func @balanced(%x: !cmvm.fx<fixed<1,7,0>>, %z: !cmvm.fx<fixed<1,7,0>>) -> !cmvm.fx<range<-507,513,0>> {
  %p = cmvm.add %x, %z : (!cmvm.fx<fixed<1,7,0>>, !cmvm.fx<fixed<1,7,0>>) -> !cmvm.fx<range<-256,254,0>>
  %q = cmvm.sub %x, %z : (!cmvm.fx<fixed<1,7,0>>, !cmvm.fx<fixed<1,7,0>>) -> !cmvm.fx<range<-255,255,0>>
  %t = cmvm.add %p, %q : (!cmvm.fx<range<-256,254,0>>, !cmvm.fx<range<-255,255,0>>) -> !cmvm.fx<range<-511,509,0>>
  %c = cmvm.constant 4 : !cmvm.fx<range<4,4,0>>
  %y = cmvm.add %t, %c : (!cmvm.fx<range<-511,509,0>>, !cmvm.fx<range<4,4,0>>) -> !cmvm.fx<range<-507,513,0>>
  func.return %y : !cmvm.fx<range<-507,513,0>>
}
// CHECK-LABEL: func.func @balanced
// CHECK:         %t = cmvm.add %p, %q
// CHECK-NEXT:    %c = cmvm.constant 4
// CHECK-NEXT:    %y = cmvm.add %t, %c
