"""Real models from public repositories compile and reproduce their references, by kind
(fpga_opt/verification/corpus.py says how each kind is compared): every entry of
shared/models/wild/manifest.json (skipped when ../shared is absent), and the small ones
bundled in tests/data (always), whose small designs also run in Verilator."""

from pathlib import Path

import numpy as np
import pytest

from fpga_opt.verification.verilator_sim import verilator_available
from fpga_opt.verification.corpus import check, wild_entries

WILD = Path(__file__).resolve().parents[2].parent / "shared" / "models" / "wild"
BUNDLED = Path(__file__).resolve().parents[1] / "data"
ROWS = 100  # reference rows compared per model (the big references have 200)
VERILATOR_ADDERS = 4000  # designs up to this size are also simulated


def params(folder: Path):
    if not (folder / "manifest.json").exists():
        return [pytest.param(None, id="absent", marks=pytest.mark.skip(
            reason=f"{folder} is absent (shared/models is not beside the repository)"))]
    return [pytest.param(entry, id=entry.name) for entry in wild_entries(folder)]


@pytest.mark.parametrize("entry", params(WILD))
def test_wild_model_matches_its_reference(entry):
    result = check(entry, ROWS)
    assert result.ok, f"{entry.name}: {result.summary}"


@pytest.mark.parametrize("entry", params(BUNDLED))
def test_bundled_model_matches_its_reference(entry):
    """Entries marked ``"ci": "network"`` (the two QKeras convolution models, several
    minutes to compile on 2 cores) are checked through the imported network here; the
    wild test above compiles them."""
    result = check(entry, ROWS, network_only=entry.ci == "network")
    assert result.ok, f"{entry.name}: {result.summary}"
    design = result.design
    if (entry.ci == "network" or design is None or design.stats["adders"] > VERILATOR_ADDERS
            or not verilator_available()):
        return
    xs, _ = entry.inputs_and_outputs(20)
    x = xs if len(xs) > 1 else xs[0]
    predicted, simulated = design.predict(x), design.simulate(x)
    assert np.array_equal(np.asarray(predicted), np.asarray(simulated))
