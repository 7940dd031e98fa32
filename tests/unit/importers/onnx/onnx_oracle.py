"""An independent float32 oracle for (Q)ONNX models, and the float32-tie analysis.

The oracle is onnx's own numpy ReferenceEvaluator for the standard ops plus the QONNX
quantizers written here from their operator definitions (docs/qonnx-custom-ops in
fastmachinelearning/qonnx), all in float32 as qonnx executes them.

``explain_mismatches`` compares the importer's design with the oracle quantizer by
quantizer (the design is imported with every quantizer output as a probe) and accepts a
mismatch only as a float32 rounding tie: at the first quantizer of a sample where they
differ, each differing element must be one level apart, and the oracle's float32
``x / scale + zero_point`` must lie within a few float32 rounding errors of the boundary
between the two levels.  Later differences in the same sample follow from that one.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import onnx
from onnx.reference import ReferenceEvaluator
from onnx.reference.op_run import OpRun

from fpga_opt.importers.onnx import import_onnx, predict
from fpga_opt.testing.models import model_path  # noqa: F401 - the tests import it from here

QONNX_DOMAINS = ("qonnx.custom_op.general", "finn.custom_op.general", "onnx.brevitas")


# ----------------------------------------------------------------- QONNX in float32


def _bounds(bits, signed, narrow):
    if signed:
        return -(2 ** (bits - 1)) + (1 if narrow else 0), 2 ** (bits - 1) - 1
    return 0, 2**bits - (2 if narrow else 1)


_ROUND = {
    "ROUND": np.round, "HALF_EVEN": np.round, "CEIL": np.ceil, "FLOOR": np.floor,
    "UP": lambda y: np.sign(y) * np.ceil(np.abs(y)),
    "DOWN": np.fix, "ROUND_TO_ZERO": np.fix,
    "HALF_UP": lambda y: np.sign(y) * np.floor(np.abs(y) + np.float32(0.5)),
    "HALF_DOWN": lambda y: np.sign(y) * np.ceil(np.abs(y) - np.float32(0.5)),
}


def int_quant_f32(x, scale, zeropt, bits, signed, narrow, mode):
    y = x / scale + zeropt
    bits = int(np.asarray(bits).ravel()[0])
    if bits == 1 and signed:
        q = np.where(y >= 0, np.float32(1), np.float32(-1))
    else:
        lo, hi = _bounds(bits, signed, narrow)
        q = _ROUND[mode.upper()](np.clip(y, np.float32(lo), np.float32(hi)))
    return ((q - zeropt) * scale).astype(np.float32), y


class _Quant(OpRun):
    def _run(self, x, scale, zeropt, bits, signed=1, narrow=0, rounding_mode="ROUND"):
        mode = rounding_mode.decode() if isinstance(rounding_mode, bytes) else rounding_mode
        return (int_quant_f32(x, scale, zeropt, bits, bool(signed), bool(narrow), mode)[0],)


class _BipolarQuant(OpRun):
    def _run(self, x, scale):
        return ((np.where(x >= 0, np.float32(1), np.float32(-1)) * scale).astype(np.float32),)


class _Trunc(OpRun):
    def _run(self, x, scale, zeropt, in_bits, *rest, rounding_mode="FLOOR", narrow=0, signed=1):
        mode = rounding_mode.decode() if isinstance(rounding_mode, bytes) else rounding_mode
        y = np.round(x / scale + zeropt)
        if len(rest) == 1:  # v1
            y = _ROUND[mode.upper()](y / np.float32(2.0 ** (int(in_bits) - int(rest[0]))))
            return (((y - zeropt) * scale).astype(np.float32),)
        out_scale, out_bits = rest
        t = np.float32(2.0 ** np.round(np.log2(out_scale / scale)))
        lo, hi = _bounds(int(out_bits), bool(signed), bool(narrow))
        y = _ROUND[mode.upper()](np.clip(y / t, np.float32(lo), np.float32(hi)))
        return (((y - zeropt / t) * out_scale).astype(np.float32),)


class _BatchNormalization(OpRun):
    """Inference mode (one output), which onnx's evaluator does not use when the model
    sets ``momentum`` at opsets 9 to 13."""

    op_domain = ""

    def _run(self, x, scale, bias, mean, var, epsilon=1e-5, momentum=None, training_mode=0):
        shape = (-1,) + (1,) * (x.ndim - 2)
        s, b, m, v = (a.reshape(shape) for a in (scale, bias, mean, var))
        return ((s * (x - m) / np.sqrt(v + np.float32(epsilon)) + b).astype(x.dtype),)


class _MultiThreshold(OpRun):
    def _run(self, v, thresholds, out_dtype=None, out_scale=1.0, out_bias=0.0,
             data_layout="NCHW"):
        layout = data_layout.decode() if isinstance(data_layout, bytes) else data_layout
        moved = v if layout == "NHWC" else np.moveaxis(v, 1, -1)
        count = np.count_nonzero(moved[..., None] >= thresholds, axis=-1).astype(v.dtype)
        count = count if layout == "NHWC" else np.moveaxis(count, -1, 1)
        return ((np.float32(out_scale) * count + np.float32(out_bias)).astype(np.float32),)


def _custom_ops():
    ops = [type("BatchNormalization", (_BatchNormalization,), {})]
    for domain in QONNX_DOMAINS:
        ops.append(type("MultiThreshold", (_MultiThreshold,), {"op_domain": domain}))
        for base, name in ((_Quant, "Quant"), (_BipolarQuant, "BipolarQuant"), (_Trunc, "Trunc")):
            ops.append(type(name, (base,), {"op_domain": domain}))
    return ops


def oracle(model: onnx.ModelProto, outputs: list[str]) -> ReferenceEvaluator:
    """A float32 evaluator of ``model`` that returns the named tensors."""
    model = onnx.ModelProto.FromString(model.SerializeToString())
    used = {n.domain for n in model.graph.node} - {""}
    known = {o.domain for o in model.opset_import}
    for domain in used - known:
        model.opset_import.append(onnx.helper.make_opsetid(domain, 1))
    del model.graph.output[:]
    model.graph.output.extend(onnx.helper.make_empty_tensor_value_info(n) for n in outputs)
    return ReferenceEvaluator(model, new_ops=_custom_ops())


def run_oracle(model: onnx.ModelProto, x: np.ndarray, outputs: list[str]) -> list[np.ndarray]:
    real_inputs = [i.name for i in model.graph.input
                   if i.name not in {t.name for t in model.graph.initializer}]
    evaluator = oracle(model, outputs)
    return evaluator.run(None, {real_inputs[0]: x.astype(np.float32)})


# ------------------------------------------------------------------------ ties


@dataclass(frozen=True)
class Mismatch:
    sample: int
    node: str
    element: tuple[int, ...]
    reference: float  # the oracle's quantized value
    design: float  # the design's value
    distance: float  # |x/scale + zp - boundary| in the oracle's float32 arithmetic


def quantizers(model: onnx.ModelProto) -> list[onnx.NodeProto]:
    initial = {t.name for t in model.graph.initializer}
    constant = set(initial) | {n.output[0] for n in model.graph.node if n.op_type == "Constant"}
    found = []
    for node in model.graph.node:  # topological in these models
        if all(name in constant for name in node.input if name):
            constant.update(node.output)
            continue
        if node.op_type in ("Quant", "BipolarQuant", "Trunc"):
            found.append(node)
    return found


def _pre_quant(node, u, inits):
    """The value whose rounding decides the quantizer, and the unit its levels are at."""
    if node.op_type == "BipolarQuant":
        return u.astype(np.float64)
    scale, zeropt = inits[node.input[1]], inits[node.input[2]]
    return ((u / scale) + zeropt).astype(np.float64)  # float32 division as the oracle does


def explain_mismatches(model: onnx.ModelProto, x: np.ndarray, tolerance: float = 1e-4,
                       **options) -> tuple[list[Mismatch], int]:
    """Compare design and oracle at every quantizer and at the graph output; return the
    mismatches (each asserted to be an explained tie) and the number of compared values."""
    from onnx import numpy_helper

    inits = {t.name: numpy_helper.to_array(t) for t in model.graph.initializer}
    quants = quantizers(model)
    probes = [q.output[0] for q in quants]
    inputs = [q.input[0] for q in quants]
    module = import_onnx(model.SerializeToString(), "model.onnx", probes=probes, **options)
    outs = predict(module, [x])
    n_graph = len(model.graph.output)
    design = outs[n_graph:]
    reference = run_oracle(model, x, probes + inputs)
    ref_out, ref_in = reference[: len(quants)], reference[len(quants):]
    settled = np.zeros(x.shape[0], dtype=bool)  # samples already explained upstream
    found: list[Mismatch] = []
    compared = 0
    for node, d, r, u in zip(quants, design, ref_out, ref_in):
        d32 = d.astype(np.float32).reshape(r.shape)
        compared += r.size
        differs = (d32 != r) & ~settled.reshape((-1,) + (1,) * (r.ndim - 1))
        pre = _pre_quant(node, u, inits)
        for index in zip(*np.nonzero(differs)):
            gap = _tie_gap(node, pre[index], float(r[index]), float(d32[index]), inits)
            assert gap <= tolerance, (
                f"unexplained mismatch at {node.name} sample {index[0]} element {index[1:]}: "
                f"oracle {r[index]} design {d32[index]}, pre-rounding value {pre[index]!r} is "
                f"{gap} from the boundary")
            found.append(Mismatch(int(index[0]), node.name, tuple(int(i) for i in index[1:]),
                                  float(r[index]), float(d32[index]), gap))
        settled |= np.any(differs.reshape(differs.shape[0], -1), axis=1)
    return found, compared


def _tie_gap(node, pre: float, reference: float, design: float, inits) -> float:
    """How far the oracle's pre-rounding value is from the boundary between the levels."""
    if node.op_type == "BipolarQuant":
        return abs(pre)
    scale = float(np.ravel(inits[node.input[1]])[0]) if node.input[1] in inits else 1.0
    zeropt = float(np.ravel(inits[node.input[2]])[0]) if node.input[2] in inits else 0.0
    q_ref, q_des = reference / scale + zeropt, design / scale + zeropt
    if abs(abs(q_ref - q_des) - 1) > 1e-3:
        return float("inf")  # more than one level apart: not a tie
    mode = "ROUND"
    for a in node.attribute:
        if a.name == "rounding_mode":
            mode = onnx.helper.get_attribute_value(a).decode().upper()
    low = min(q_ref, q_des)
    boundary = low + 0.5 if mode in ("ROUND", "HALF_EVEN", "HALF_UP", "HALF_DOWN") else low + 1
    return abs(pre - boundary) / max(1.0, abs(boundary))
