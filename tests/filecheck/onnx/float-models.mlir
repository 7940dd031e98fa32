// Float ONNX models (bundled in tests/data) compiled at an hls4ml precision: the input
// argument has the precision, weights are exact constants at f=10, each layer is quantized
// once after its bias (in the precision's modes), relu and data movement are not.
// RUN: fpga-opt %S/../../data/two_layer_keras.onnx --default-precision 'ap_fixed<16,6,AP_RND,AP_SAT>' -p fixedpoint-infer-precision | filecheck %s --check-prefix=MLP
// RUN: fpga-opt %S/../../data/conv1d_small_keras.onnx --default-precision 'fixed<16,6>' -p fixedpoint-infer-precision | filecheck %s --check-prefix=CONV

// MLP:      func.func @main(%0: !fixedpoint.tensor<10xfixed<1,5,10>>) -> !fixedpoint.tensor<1xrange<0,1024,10>>
// MLP-SAME: kind = "fixed"
// MLP:      %[[W:.*]] = fixedpoint.constant <[240, -192, {{.*}}], f=10>
// MLP:      %[[D:.*]] = fixedpoint.dense %0, %[[W]]
// MLP:      %[[B:.*]] = fixedpoint.constant <[863, 810, {{.*}}], f=10>
// MLP:      %[[A:.*]] = fixedpoint.add %[[D]], %[[B]]
// MLP:      %[[Q:.*]] = fixedpoint.quantize %[[A]] to <fixed<1,5,10>> RND SAT
// MLP:      fixedpoint.relu %[[Q]]
// MLP:      %[[Q2:.*]] = fixedpoint.quantize {{.*}} to <fixed<1,5,10>> RND SAT
// The sigmoid is a step table over the quantized logit, rounded to nearest: 0 below
// -ln(2047) = -7.624, 1 from ln(2047) on (7808/1024 is the first grid point past it).
// MLP:      %[[S:.*]] = fixedpoint.lookup %[[Q2]] breaks <[-7807, {{.*}}, 7808], f=10> values <[0, 1, {{.*}}, 1023, 1024], f=10>
// MLP:      func.return %[[S]]

// CONV:      func.func @main(%0: !fixedpoint.tensor<10x4xfixed<1,5,10>>) -> !fixedpoint.tensor<5x[{{.*}}]>
// CONV:      %[[X:.*]] = fixedpoint.transpose %0 [1, 0]
// CONV:      %[[C:.*]] = fixedpoint.conv %[[X]], %{{.*}}, %{{.*}} strides [1] pads [1, 2] dilations [1] groups 1
// CONV-NEXT: %[[Q:.*]] = fixedpoint.quantize %[[C]] to <fixed<1,5,10>> TRN WRAP
// CONV-NEXT: fixedpoint.relu %[[Q]]
// CONV-COUNT-2: fixedpoint.conv
// CONV:      fixedpoint.reshape
// CONV:      fixedpoint.dense
// CONV-NOT:  fixedpoint.lookup
// CONV:      func.return
