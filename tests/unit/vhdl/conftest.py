"""Tests marked ``ghdl`` (declared in pyproject.toml) are skipped when GHDL is missing."""

import pytest

from fpga_opt.verification.ghdl_sim import ghdl_available


def pytest_collection_modifyitems(config, items):
    if ghdl_available():
        return
    skip = pytest.mark.skip(reason="GHDL is not installed (apt-get install ghdl)")
    for item in items:
        if item.get_closest_marker("ghdl") is not None:
            item.add_marker(skip)
