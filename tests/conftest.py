"""Tests marked ``verilator``, ``circt`` or ``ghdl`` (markers declared in pyproject.toml) are
skipped when that tool is missing: Verilator or a C++ compiler, the circt wheel, GHDL."""

import pytest

from fpga_opt.verification.circt_sim import circt_available
from fpga_opt.verification.ghdl_sim import ghdl_available
from fpga_opt.verification.verilator_sim import verilator_available


def pytest_collection_modifyitems(config, items):
    missing = {
        "circt": None if circt_available() else "the circt wheel is not installed (pip install circt)",
        "verilator": None if verilator_available() else "Verilator or a C++ compiler is not installed",
        "ghdl": None if ghdl_available() else "GHDL is not installed (apt-get install ghdl)",
    }
    for item in items:
        for marker, reason in missing.items():
            if reason and item.get_closest_marker(marker) is not None:
                item.add_marker(pytest.mark.skip(reason=reason))
