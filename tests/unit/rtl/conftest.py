"""Shared pytest setup for the rtl tests: the ``verilator`` marker, skipped without
Verilator."""

import pytest

from fpga_opt.backends.verilator_sim import verilator_available


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "verilator: builds or lints with Verilator (skipped when it is missing)"
    )


def pytest_collection_modifyitems(config, items):
    if verilator_available():
        return
    skip = pytest.mark.skip(reason="Verilator or a C++ compiler is not installed")
    for item in items:
        if "verilator" in item.keywords:
            item.add_marker(skip)
