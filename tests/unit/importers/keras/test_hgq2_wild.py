"""Two HGQ2 models from hgq-ae (see tests/data/README.md) compile and reproduce Keras 3.15 +
HGQ2 0.2.0's ``model.predict`` bit for bit, through the fixedpoint interpreter and through
the compiled hardware (rtl interpreter): the particle-level jet tagger (per-particle
QEinsumDenseBatchnorm, QSum pooling, a broadcasting QAdd) and the tgc regression network
(three inputs, QConv1D + Reshape, GetItem, QAdd over branches)."""

import os
from pathlib import Path

import numpy as np
import pytest
from xdsl.context import Context

import fpga_opt
from fpga_opt.verification.verilator_sim import verilator_available
from fpga_opt.dialects.fixedpoint.ops import DenseOp
from fpga_opt.importers.keras import import_keras
from fpga_opt.importers.onnx.model_io import hardware_inputs
from fpga_opt.interpreters import rtl as rtl_interp
from fpga_opt.interpreters.fixedpoint import find_function
from fpga_opt.lowering.fixedpoint_to_cmvm import FixedPointToCmvm

DATA = Path(__file__).resolve().parents[3] / "data"
MODELS = ["hgq2_jsc_plf_32-16", "hgq2_tgc"]


@pytest.fixture(scope="module", params=MODELS)
def compiled(request):
    name = request.param
    ref = np.load(DATA / f"{name}_reference.npz")
    xs = [ref[f"x{n}"] for n in range(sum(k.startswith("x") for k in ref))]
    return name, fpga_opt.compile(DATA / f"{name}.keras"), xs, ref["y0"]


def exact(y, ref):
    """Every output equals its float32 reference (the exact value is short enough for it)."""
    y = np.asarray(y, dtype=np.float64)
    assert y.shape == ref.shape and len(np.unique(ref)) > 20
    return int(np.count_nonzero(y != ref.astype(np.float64)))


def test_interpreter_reproduces_the_reference(compiled):
    _, design, xs, ref = compiled
    assert exact(design.predict(xs), ref) == 0


def port_values(column, f, port_f):
    """Mantissas at resolution f as mantissas at the port's resolution (checked exact)."""
    if port_f >= f:
        return np.array([int(m) << (port_f - f) for m in column], dtype=object)
    shift = f - port_f
    out = np.array([int(m) >> shift for m in column], dtype=object)
    assert np.array_equal(out << shift, column.astype(object))
    return out


def test_hardware_reproduces_the_reference(compiled):
    """The design's rtl, each input port fed the quantized input in its own format."""
    _, design, xs, ref = compiled
    module = rtl_interp.single_module(design.hardware)
    columns = [(a.mantissas.reshape(len(a.mantissas), -1)[:, j], a.f)
               for a in hardware_inputs(design.network, xs) for j in range(a.mantissas[0].size)]
    assert len(columns) == len(module.inputs)
    ports = [port_values(column, f, fmt.f) for (column, f), (_, _, fmt) in zip(columns, module.inputs)]
    out = rtl_interp.simulate(module, np.stack(ports, axis=1))
    y = np.stack([np.ldexp(out[:, j].astype(np.float64), -fmt.f) for j, (_, _, fmt) in enumerate(module.outputs)],
                 axis=1)
    assert exact(y, ref) == 0


@pytest.mark.verilator
@pytest.mark.skipif(not verilator_available(), reason="Verilator or a C++ compiler is missing")
@pytest.mark.skipif(not os.environ.get("FPGA_OPT_SLOW_TESTS"),
                    reason="Verilator builds these designs in 1.5-10 minutes; set FPGA_OPT_SLOW_TESTS=1 "
                    "(docs/real-models.md)")
def test_verilog_reproduces_the_reference(compiled):
    _, design, xs, ref = compiled
    assert exact(design.simulate([x[:48] for x in xs]), ref[:48]) == 0


def test_particle_layers_share_one_kernel_per_layer():
    """The tagger's per-particle QEinsumDenseBatchnorm layers are dense products over the
    last axis of (32 particles, 16 features): each becomes one kernel function, solved once
    and called once per particle; each QSum is one adder-tree kernel called per feature."""
    path = DATA / "hgq2_jsc_plf_32-16.keras"
    network = import_keras(path.read_bytes(), path.name)
    dense = [op for op in find_function(network).walk() if isinstance(op, DenseOp)]
    per_particle = [op for op in dense if op.input.type.shape == (32, 16)]
    assert len(per_particle) == 3 and all(op.weight.type.shape == (16, 16) for op in per_particle)
    FixedPointToCmvm().apply(Context(), network)
    calls: dict[str, int] = {}
    for op in find_function(network).walk():
        if op.name == "func.call":
            calls[op.callee.root_reference.data] = calls.get(op.callee.root_reference.data, 0) + 1
    # 3 per-particle layers x 32 particles; 2 QSum x 16 features
    assert sorted(calls.values()) == [16, 16, 32, 32, 32]
