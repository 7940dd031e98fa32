"""Import, the default ``compile`` pipeline down to rtl, and the rtl interpreter: the
hardware reproduces the reference models' outputs (thresholds from batch norms and float
scales included).  Measured by hand as well: the jet tagger (fixed<1,3,24> inputs) also
gives 0 mismatches of 1500 but takes ~15 s to compile, TFC ~100 s."""

import numpy as np
import pytest

from fpga_opt.importers.onnx import import_onnx, predict
from fpga_opt.importers.onnx.model_io import hardware_inputs, records
from fpga_opt.interpreters import rtl as rtl_interp
from fpga_opt.registry import make_context
from fpga_opt.transforms.compile import Compile

from .onnx_oracle import model_path


@pytest.mark.parametrize("name,options", [
    ("bnn_model_fc_1layer", {}),
    ("unsw_nb15_mlp_w2a2", {"input_precision": "fixed<0,1,0>"}),
])
def test_compiled_rtl_reproduces_the_reference(name, options):
    path, ref_path = model_path(f"{name}.onnx"), model_path(f"{name}_reference.npz")
    if not path.exists() or not ref_path.exists():
        pytest.skip(f"{path.name} or its reference is neither in tests/data nor in ../shared/models")
    ref = np.load(ref_path)
    module = import_onnx(path.read_bytes(), path.name, **options)
    (arg,) = hardware_inputs(module, [ref["x"]])
    _, (out_record,) = records(module)
    assert np.array_equal(predict(module, [ref["x"]])[0], ref["y"].astype(np.float64))
    Compile().apply(make_context(), module)
    hardware = rtl_interp.single_module(module)

    # one port per input element, in its own format: the mantissas at that format's f
    flat = arg.mantissas.reshape(arg.mantissas.shape[0], -1)
    columns = []
    for j, (_, _, fmt) in enumerate(hardware.inputs):
        shift = arg.f - fmt.f
        column = np.array([int(m) >> shift for m in flat[:, j]], dtype=np.int64)
        assert np.array_equal(column.astype(object) << shift, flat[:, j])
        columns.append(column)
    out = rtl_interp.simulate(hardware, np.stack(columns, axis=1))
    y = np.stack([np.ldexp(out[:, j].astype(np.float64), -fmt.f)
                  for j, (_, _, fmt) in enumerate(hardware.outputs)], axis=1)
    assert int(np.count_nonzero(out_record.apply(y) != ref["y"].astype(np.float64))) == 0
