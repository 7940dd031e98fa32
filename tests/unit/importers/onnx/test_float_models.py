"""Float (unquantized) ONNX models compiled with default_precision="fixed<16,6>".

There is no reference output for these models, so the test computes one: a small float64
numpy executor of the ONNX ops below runs the original float weights on random inputs.
Alongside every value it propagates a bound on how far the fixed-point design may be from
it, derived from where the design rounds (LSB = 2**-10 for fixed<16,6>; TRN rounding and
TRN-quantized weights each err by less than one LSB):

- graph input: floor to the grid, error < 1 LSB;
- y = W x + b (MatMul, Gemm, Conv; a following bias Add; batch norm as x * s + t):
  |W_q x_q - W x| <= (|W| + d) |x_q - x| + d |x|, with |W_q - W| < d = 1 LSB; the bias
  adds d and the output quantizer 1 LSB (counted for each node, which over-approximates
  MatMul + Add by one LSB);
- relu, max pooling, data movement: 1-Lipschitz in the max norm, add nothing;
- average pooling: the mean of the errors, plus 1/4 LSB for the dyadic reciprocal and
  1 LSB for the output;
- selu: Lipschitz constant gamma * alpha = 1.7581, plus 1 LSB for the table and 1/8 LSB
  for the rounded gamma; sigmoid: Lipschitz 1/4, plus 1 LSB;
- Softmax is dropped by the compiler (argmax-preserving), so logits are compared.

The bound is only valid while nothing overflows the format's range [-32, 32); the test
checks that (a wrap would show up as a huge error anyway).  The inputs are uniform in
[-1, 1) per feature (images: [0, 1)), the scale of the models' training data.
"""

from __future__ import annotations


import numpy as np
import onnx
import pytest
from onnx import helper, numpy_helper

from fpga_opt.importers.onnx import import_onnx, predict
from fpga_opt.testing.models import require_model

LSB = 2.0 ** -10
WEIGHT_ERROR = LSB + 1e-9  # TRN to the grid after hls4ml's 10-digit decimal printing
RANGE = 32.0
SELU_ALPHA, SELU_GAMMA = 1.6732632423543772848, 1.0507009873554804934


# ------------------------------------------------------------------ window helpers


def _pad(x: np.ndarray, pads: list[int], value: float) -> np.ndarray:
    rank = len(pads) // 2
    widths = [(0, 0)] * (x.ndim - rank) + list(zip(pads[:rank], pads[rank:]))
    return np.pad(x, widths, constant_values=value)


def _windows(x: np.ndarray, kernel, strides, dilations):
    """Yield (kernel offset, strided view) over the last len(kernel) axes of padded x."""
    rank = len(kernel)
    spatial = x.shape[x.ndim - rank:]
    out = [(n - d * (k - 1) - 1) // s + 1 for n, k, s, d in zip(spatial, kernel, strides, dilations)]
    for offset in np.ndindex(*kernel):
        index = tuple(slice(o * d, o * d + (m - 1) * s + 1, s)
                      for o, d, m, s in zip(offset, dilations, out, strides))
        yield offset, x[(Ellipsis,) + index]


def conv(x, w, b, strides, pads, dilations, groups=1):
    xp = _pad(x, pads, 0.0)
    c_g, o_g = w.shape[1], w.shape[0] // groups
    parts = []
    for g in range(groups):
        y = 0.0
        for offset, view in _windows(xp[:, g * c_g:(g + 1) * c_g], w.shape[2:], strides, dilations):
            taps = w[(slice(g * o_g, (g + 1) * o_g), slice(None)) + offset]
            y = y + np.einsum("nc...,oc->no...", view, taps)
        parts.append(y)
    y = np.concatenate(parts, axis=1)
    return y + (0.0 if b is None else b.reshape((-1,) + (1,) * (w.ndim - 2)))


def pool(x, kernel, strides, pads, reduce):
    xp = _pad(x, pads, -np.inf if reduce is np.maximum else 0.0)
    views = [v for _, v in _windows(xp, kernel, strides, [1] * len(kernel))]
    result = views[0]
    for v in views[1:]:
        result = reduce(result, v)
    return result


def average(x, kernel, strides, pads, count_include_pad):
    total = pool(x, kernel, strides, pads, np.add)
    if count_include_pad:
        return total / np.prod(kernel)
    ones = np.ones((1,) * (x.ndim - len(kernel)) + x.shape[x.ndim - len(kernel):])
    return total / pool(ones, kernel, strides, pads, np.add)


EXACT_OPS = ("Identity", "Softmax", "Transpose", "Flatten", "Relu", "MaxPool")


def exact_op(op: str, attrs: dict, x: np.ndarray) -> np.ndarray:
    """Ops the design computes without rounding (Softmax: the design outputs the logits)."""
    if op in ("Identity", "Softmax"):
        return x
    if op == "Transpose":
        return x.transpose(attrs["perm"])
    if op == "Flatten":
        axis = attrs.get("axis", 1) or 1  # Keras exports axis=0 for a batch of 1
        return x.reshape(x.shape[:axis] + (-1,))
    if op == "Relu":
        return np.maximum(x, 0)
    kernel = attrs["kernel_shape"]
    return pool(x, kernel, attrs.get("strides", [1] * len(kernel)),
                attrs.get("pads", [0] * 2 * len(kernel)), np.maximum)


def same_pads(attrs, spatial, kernel, strides, dilations) -> list[int]:
    """Explicit pads, with auto_pad's SAME_UPPER / SAME_LOWER / VALID written out."""
    auto = attrs.get("auto_pad", b"NOTSET")
    auto = auto.decode() if isinstance(auto, bytes) else auto
    if auto == "NOTSET":
        return attrs.get("pads", [0] * 2 * len(kernel))
    if auto == "VALID":
        return [0] * 2 * len(kernel)
    begin, end = [], []
    for n, k, s, d in zip(spatial, kernel, strides, dilations):
        total = max((-(-n // s) - 1) * s + d * (k - 1) + 1 - n, 0)
        lower, upper = total // 2, total - total // 2
        begin.append(lower if auto == "SAME_UPPER" else upper)
        end.append(upper if auto == "SAME_UPPER" else lower)
    return begin + end


# ------------------------------------------------------------------ the executor


class FloatReference:
    """Evaluate a float ONNX graph in float64 with an error bound for the fixed design."""

    def __init__(self, model: onnx.ModelProto):
        self.graph = model.graph
        self.consts = {i.name: numpy_helper.to_array(i).astype(np.float64)
                       for i in self.graph.initializer}

    def run(self, x: np.ndarray) -> tuple[np.ndarray, np.ndarray, float]:
        """(reference output, error bound, largest |value| of any quantized layer)."""
        name = next(i.name for i in self.graph.input if i.name not in self.consts)
        env = {name: (x.astype(np.float64), np.full(x.shape, LSB))}
        self.peak = 0.0
        for node in self.graph.node:
            attrs = {a.name: helper.get_attribute_value(a) for a in node.attribute}
            env[node.output[0]] = self.node(node, attrs, env)
        value, error = env[self.graph.output[0].name]
        return value, error, self.peak

    def linear(self, fn, x, e, w, b):
        """y = fn(x, w) + b with the bound of a quantized layer."""
        y = fn(x, w) + (0.0 if b is None else b)
        bound = fn(e, np.abs(w) + WEIGHT_ERROR) + fn(np.abs(x), np.full(w.shape, WEIGHT_ERROR))
        bound = bound + (0.0 if b is None else WEIGHT_ERROR) + LSB
        return self.checked(y, bound)

    def checked(self, y, bound):
        self.peak = max(self.peak, float(np.max(np.abs(y))))
        return y, bound

    def node(self, node, attrs, env):
        op = node.op_type
        args = [self.consts.get(n) for n in node.input]
        x, e = env.get(node.input[0], (None, None))
        if op in EXACT_OPS:  # 1-Lipschitz in the max norm: the bound moves along
            return exact_op(op, attrs, x), exact_op(op, attrs, e)
        if op in ("MatMul", "Gemm"):
            w = args[1].T if attrs.get("transB", 0) else args[1]
            b = args[2] if len(args) > 2 else None
            return self.linear(lambda a, m: a @ m, x, e, w, b)
        if op == "Add" and args[1] is not None:
            return self.checked(x + args[1], e + WEIGHT_ERROR + LSB)
        if op == "Conv":
            rank = args[1].ndim - 2
            strides = attrs.get("strides", [1] * rank)
            dilations = attrs.get("dilations", [1] * rank)
            pads = same_pads(attrs, x.shape[2:], args[1].shape[2:], strides, dilations)
            b = args[2] if len(args) > 2 else None
            return self.linear(
                lambda a, m: conv(a, m, None, strides, pads, dilations, attrs.get("group", 1)),
                x, e, args[1], None if b is None else b.reshape((-1,) + (1,) * rank))
        if op == "Mul" and args[1] is not None:
            k = args[1]
            return self.checked(x * k, (np.abs(k) + WEIGHT_ERROR) * e + WEIGHT_ERROR * np.abs(x)
                                + LSB)
        if op == "BatchNormalization":
            gamma, beta, mean, var = args[1:5]
            s = gamma / np.sqrt(var + np.float32(attrs.get("epsilon", 1e-5)))
            shape = (-1,) + (1,) * (x.ndim - 2)
            s, t = s.reshape(shape), (beta - mean * gamma / np.sqrt(
                var + np.float32(attrs.get("epsilon", 1e-5)))).reshape(shape)
            return self.checked(s * x + t, (np.abs(s) + WEIGHT_ERROR) * e
                                + WEIGHT_ERROR * np.abs(x) + WEIGHT_ERROR + LSB)
        if op in ("AveragePool", "GlobalAveragePool"):
            k = attrs.get("kernel_shape", list(x.shape[2:]))
            s = attrs.get("strides", [1] * len(k))
            p = attrs.get("pads", [0] * 2 * len(k))
            include = attrs.get("count_include_pad", 0)
            return self.checked(average(x, k, s, p, include),
                                average(e, k, s, p, include) + LSB / 4 + LSB)
        if op == "Selu":
            y = np.where(x > 0, SELU_GAMMA * x, SELU_GAMMA * SELU_ALPHA * np.expm1(np.minimum(x, 0)))
            return self.checked(y, SELU_GAMMA * SELU_ALPHA * e + LSB * (1 + 1 / 8))
        if op == "Sigmoid":
            return self.checked(1 / (1 + np.exp(-x)), e / 4 + LSB)
        raise NotImplementedError(op)


# -------------------------------------------------------- fixed-point emulation


class FixedEmulation:
    """The same graph in float64 with hls4ml's fixed<16,6> arithmetic (TRN + WRAP): inputs,
    weights (hls4ml's decimal text, then ap_fixed) and every layer output quantized, sums
    exact.  All values stay exact in float64 (at most ~40 significant bits), so the design
    must agree bit for bit."""

    def __init__(self, model: onnx.ModelProto):
        self.graph = model.graph
        self.consts = {i.name: numpy_helper.to_array(i).astype(np.float64)
                       for i in self.graph.initializer}

    @staticmethod
    def q(y):
        m = np.floor(np.asarray(y) * 1024.0)
        return (np.mod(m + 2 ** 15, 2 ** 16) - 2 ** 15) / 1024.0

    def w(self, name):
        w = self.consts[name]
        return self.q(np.array([float(f"{v:.10f}") for v in w.ravel()]).reshape(w.shape))

    def run(self, x):
        name = next(i.name for i in self.graph.input if i.name not in self.consts)
        env = {name: self.q(x.astype(np.float64))}
        for node in self.graph.node:
            attrs = {a.name: helper.get_attribute_value(a) for a in node.attribute}
            env[node.output[0]] = self.node(node, attrs, env)
        return env[self.graph.output[0].name]

    def node(self, node, attrs, env):
        op, x = node.op_type, env.get(node.input[0])
        if op in EXACT_OPS:
            return exact_op(op, attrs, x)
        if op == "MatMul":
            return x @ self.w(node.input[1])  # the bias Add after it quantizes (all models)
        if op == "Add":
            return self.q(x + self.w(node.input[1]))
        if op == "Gemm":
            w = self.w(node.input[1])
            w = w.T if attrs.get("transB", 0) else w
            return self.q(x @ w + self.w(node.input[2]))
        if op == "Conv":
            rank = len(attrs["kernel_shape"])
            return self.q(conv(x, self.w(node.input[1]), self.w(node.input[2]), attrs["strides"],
                               attrs["pads"], attrs.get("dilations", [1] * rank)))
        if op == "BatchNormalization":
            gamma, beta, mean, var = (self.consts[n] for n in node.input[1:5])
            s = gamma / np.sqrt(var + float(np.float32(attrs.get("epsilon", 1e-5))))
            t = beta - mean * s
            shape = (-1,) + (1,) * (x.ndim - 2)
            sq = self.q(np.array([float(f"{v:.10f}") for v in s])).reshape(shape)
            tq = self.q(np.array([float(f"{v:.10f}") for v in t])).reshape(shape)
            return self.q(sq * x + tq)
        if op == "Selu":
            gamma_q = np.round(SELU_GAMMA * 2.0 ** 18) / 2.0 ** 18
            negative = np.where(x < 0, SELU_GAMMA * SELU_ALPHA * np.expm1(np.minimum(x, 0)), 0.0)
            return self.q(gamma_q * np.maximum(x, 0)) + self.q(negative)
        if op == "Sigmoid":
            return self.q(1.0 / (1.0 + np.exp(-x)))
        raise NotImplementedError(op)


# ------------------------------------------------------------------------ tests

FLOAT_MODELS = {
    "three_layer_keras": (16,),
    "three_layer_pytorch": (16,),
    "two_layer_keras": (10,),
    "conv1d_small_keras": (10, 4),
    "conv2d_small_keras": (8, 8, 1),
    "conv2d_small_mp_keras": (25, 25, 1),
}


def compile_and_run(model: onnx.ModelProto, x: np.ndarray, precision="fixed<16,6>"):
    module = import_onnx(model.SerializeToString(), "model.onnx", default_precision=precision)
    (hardware,) = predict(module, [x.astype(np.float32)])
    return hardware


def model_inputs(name: str, n: int = 64) -> np.ndarray:
    shape = FLOAT_MODELS[name]
    rng = np.random.default_rng(sum(map(ord, name)))
    low = 0.0 if len(shape) == 3 else -1.0  # images are in [0, 1)
    return rng.uniform(low, 1.0, size=(n,) + shape).astype(np.float32)


@pytest.fixture(scope="module")
def compiled_outputs():
    cache = {}

    def get(name):
        if name not in cache:
            model = onnx.load(require_model(f"{name}.onnx"))
            cache[name] = model, compile_and_run(model, model_inputs(name))
        return cache[name]

    return get


@pytest.mark.parametrize("name", list(FLOAT_MODELS))
def test_float_model_is_hls4ml_fixed_point_arithmetic_bit_for_bit(name, compiled_outputs):
    model, hardware = compiled_outputs(name)
    emulated = FixedEmulation(model).run(model_inputs(name)).reshape(hardware.shape)
    mismatches = np.flatnonzero(hardware != emulated)
    assert mismatches.size == 0, (
        f"{mismatches.size} outputs differ, first at {mismatches[0]}: "
        f"{hardware.ravel()[mismatches[0]]} != {emulated.ravel()[mismatches[0]]}")


@pytest.mark.parametrize("name", list(FLOAT_MODELS))
def test_float_model_matches_the_float_reference_within_the_precision(name, compiled_outputs):
    model, hardware = compiled_outputs(name)
    reference, bound, peak = FloatReference(model).run(model_inputs(name))
    assert peak < RANGE - 1, f"a layer reaches {peak:.2f}: the fixed<16,6> design would wrap"
    error = np.abs(hardware - reference.reshape(hardware.shape))
    bound = bound.reshape(hardware.shape)
    worst = np.unravel_index(np.argmax(error - bound), error.shape)
    assert np.all(error <= bound), (
        f"{name}: error {error[worst]:.5f} exceeds the bound {bound[worst]:.5f} at {worst}")
    # The worst-case bound adds every rounding error with the sign that hurts; the actual
    # errors partly cancel.  Decisions (argmax of the logits) must not care.
    logits = reference.reshape(hardware.shape)
    if logits.shape[-1] > 1:
        agree = np.mean(np.argmax(hardware, -1) == np.argmax(logits, -1))
        assert agree >= 0.95, f"{name}: only {agree:.0%} of the argmax decisions agree"
    print(f"\n{name}: max |error| = {error.max():.6f} ({error.max() / LSB:.2f} LSB), "
          f"mean {error.mean() / LSB:.2f} LSB, worst-case bound {bound.max() / LSB:.1f} LSB")
