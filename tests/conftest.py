"""Tests marked ``circt`` (declared in pyproject.toml) are skipped when the circt wheel is
missing, and ``verilator`` ones when Verilator or a C++ compiler is."""

import pytest

from fpga_opt.verification.verilator_sim import verilator_available
from fpga_opt.verification.circt_sim import circt_available


def pytest_collection_modifyitems(config, items):
    missing = {
        "circt": None if circt_available() else "the circt wheel is not installed (pip install circt)",
        "verilator": None if verilator_available() else "Verilator or a C++ compiler is not installed",
    }
    for item in items:
        for marker, reason in missing.items():
            if reason and item.get_closest_marker(marker) is not None:
                item.add_marker(pytest.mark.skip(reason=reason))
