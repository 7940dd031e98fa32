"""The real models bundled in tests/data, compiled by the default pipeline: on their
reference inputs the fixedpoint interpreter (the network), the cmvm interpreter (after
the optimizer) and Verilator (the emitted Verilog) give identical bits, and those bits
are the reference's (the ONNX tests in tests/unit/importers/onnx and the Keras tests in
tests/unit/importers/keras check the fixedpoint level against the references in detail; here a
model's float outputs are compared as the design reports them)."""


import numpy as np
import pytest
from xdsl.context import Context

import fpga_opt
from fpga_opt.verification.verilator_sim import verilator_available
from fpga_opt.importers.onnx.softmax import DEFAULT_SOFTMAX_PRECISION, SoftmaxTables
from fpga_opt.interpreters import cmvm as cmvm_interp
from fpga_opt.interpreters.fixedpoint import Fixed, run_function
from fpga_opt.precision_syntax import parse_precision_string
from fpga_opt.testing.models import require_model
from fpga_opt.testing.softmax import table_softmax_oracle
from fpga_opt.transforms.compile import Compile


CASES = [
    # model, import options, reference key compared exactly, rows of the reference used
    ("bnn_model_fc_1layer.onnx", {}, "y", None),
    ("unsw_nb15_mlp_w2a2.onnx", {"input_precision": "fixed<0,1,0>"}, "y", None),
    ("qkeras_jettagging.onnx", {"input_precision": "fixed<1,3,24>"}, "logits", None),
    ("TFC_2W2A.onnx", {}, None, 300),
    ("hgq2_jsc_openml_0.758.keras", {}, "y", 5000),
    ("hgq2_jsc_openml_0.771.keras", {}, "y", 5000),
]


def through_cmvm(design, inputs: list[Fixed]) -> list[np.ndarray]:
    """The network after the optimizer, run by the cmvm interpreter; exact values."""
    module = design.network.clone()
    stages = [stage.name for stage in Compile().stages()]
    for stage in Compile().stages()[:stages.index("cmvm-to-rtl")]:  # the cmvm passes included
        stage.apply(Context(), module)
    scalars = [Fixed(column, a.f) for a in inputs
               for column in a.mantissas.reshape(a.mantissas.shape[0], -1).T]
    outputs = cmvm_interp.run_function(module, scalars)
    f = max(o.f for o in outputs)
    return np.stack([o.at(f) for o in outputs], axis=1), f


def predictions_agree_at_every_level(design, x) -> list[np.ndarray]:
    """The fixedpoint interpreter, the cmvm interpreter and Verilator give the same bits;
    the design's outputs in the model's units."""
    inputs = design.host.to_hardware(x)
    (network,) = run_function(design.network, inputs)
    exact, f = through_cmvm(design, inputs)
    f_all = max(f, network.f)
    assert np.array_equal(exact * (1 << (f_all - f)),
                          network.at(f_all).reshape(len(x), -1))

    predicted = design.predict(x)
    simulated = design.simulate(x)
    predicted = predicted if isinstance(predicted, list) else [predicted]
    simulated = simulated if isinstance(simulated, list) else [simulated]
    for p, s in zip(predicted, simulated):
        assert np.array_equal(p, s)
    return predicted


@pytest.mark.verilator
@pytest.mark.skipif(not verilator_available(), reason="Verilator or a C++ compiler is missing")
@pytest.mark.parametrize("name,options,key,rows", CASES, ids=[c[0] for c in CASES])
def test_every_level_gives_the_reference_bits(name, options, key, rows):
    path = require_model(name, name.rsplit(".", 1)[0] + "_reference.npz")
    reference = path.with_name(path.stem + "_reference.npz")
    ref = np.load(reference)
    x = ref["x"][:rows]
    design = fpga_opt.compile(path, **options)
    predicted = predictions_agree_at_every_level(design, x)
    if key is not None:
        assert np.array_equal(predicted[0], ref[key][:rows].astype(np.float64))
    else:  # TFC: float arithmetic after the last quantizer; the reference is float32
        np.testing.assert_allclose(predicted[0], ref["y"][:rows], rtol=0, atol=1e-5)


@pytest.mark.verilator
@pytest.mark.skipif(not verilator_available(), reason="Verilator or a C++ compiler is missing")
@pytest.mark.parametrize("cutoff", [1, 2])
def test_finely_pipelined_jet_tagger_gives_the_reference_bits(cutoff):
    """A register after every one or two adder levels: the most registers (and the most
    wiring rebuilt on registered sources), still the reference's bits in Verilator."""
    path = require_model("qkeras_jettagging.onnx", "qkeras_jettagging_reference.npz")
    ref = np.load(path.with_name(path.stem + "_reference.npz"))
    design = fpga_opt.compile(path, input_precision="fixed<1,3,24>", cutoff=cutoff)
    assert design.stats["latency"] > 40 // cutoff
    simulated = design.simulate(ref["x"][:200])
    assert np.array_equal(simulated, ref["logits"][:200].astype(np.float64))


@pytest.mark.verilator
@pytest.mark.skipif(not verilator_available(), reason="Verilator or a C++ compiler is missing")
def test_jet_tagger_table_softmax_gives_the_probabilities():
    """With softmax="table" the hardware outputs probabilities: identical bits at every
    level, equal to the documented table arithmetic on the reference logits, and within
    the precision's error bound of the reference model's float softmax."""
    path = require_model("qkeras_jettagging.onnx", "qkeras_jettagging_reference.npz")
    ref = np.load(path.with_name("qkeras_jettagging_reference.npz"))
    design = fpga_opt.compile(path, input_precision="fixed<1,3,24>", softmax="table")
    (probabilities,) = predictions_agree_at_every_level(design, ref["x"])
    tables = SoftmaxTables.design(5, 10, parse_precision_string(DEFAULT_SOFTMAX_PRECISION))
    logits = ref["logits"].astype(np.float64)
    assert np.array_equal(probabilities, table_softmax_oracle(logits, tables))
    assert np.abs(probabilities - ref["y"]).max() <= tables.error_bound(5)
