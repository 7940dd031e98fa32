"""The whole flow on the HGQ2 jet taggers: import, the default ``compile`` pipeline down to
rtl, and the rtl interpreter on the quantized reference inputs reproduce Keras+HGQ2's
outputs exactly (the hardware computes what the trained model computes)."""

import numpy as np
import pytest

from fpga_opt.importers.keras import import_keras
from fpga_opt.importers.onnx.model_io import hardware_inputs
from fpga_opt.interpreters import rtl as rtl_interp
from fpga_opt.registry import make_context
from fpga_opt.transforms.compile import Compile

from .archives import model_path


@pytest.mark.parametrize("name", ["hgq2_jsc_openml_0.771", "hgq2_jsc_openml_0.758"])
def test_compiled_rtl_reproduces_the_reference(name):
    path, ref_path = model_path(f"{name}.keras"), model_path(f"{name}_reference.npz")
    if not path.exists() or not ref_path.exists():
        pytest.skip(f"{path.name} or its reference is neither in tests/data nor in ../shared/models")
    ref = np.load(ref_path)
    module = import_keras(path.read_bytes(), path.name)
    (quantized,) = hardware_inputs(module, [ref["x"]])
    Compile().apply(make_context(), module)
    hardware = rtl_interp.single_module(module)

    # one port per input element, each in its own format: the mantissas at that format's f
    columns = []
    for j, (_, _, fmt) in enumerate(hardware.inputs):
        shift = quantized.f - fmt.f
        column = np.array([int(m) >> shift for m in quantized.mantissas[:, j]], dtype=np.int64)
        assert np.array_equal(column.astype(object) << shift, quantized.mantissas[:, j])
        columns.append(column)
    out = rtl_interp.simulate(hardware, np.stack(columns, axis=1))
    y = np.stack([np.ldexp(out[:, j].astype(np.float64), -fmt.f)
                  for j, (_, _, fmt) in enumerate(hardware.outputs)], axis=1)
    assert int(np.count_nonzero(y != ref["y"].astype(np.float64))) == 0
