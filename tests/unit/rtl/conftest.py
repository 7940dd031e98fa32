"""Shared pytest setup for the rtl tests: tests marked ``verilator`` (the marker is
declared in pyproject.toml) are skipped when Verilator or a C++ compiler is missing."""

import pytest

from fpga_opt.verification.verilator_sim import verilator_available


def pytest_collection_modifyitems(config, items):
    if verilator_available():
        return
    skip = pytest.mark.skip(reason="Verilator or a C++ compiler is not installed")
    for item in items:
        if "verilator" in item.keywords:
            item.add_marker(skip)
