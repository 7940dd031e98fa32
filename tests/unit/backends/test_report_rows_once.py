"""report_files computes the per-layer rows once and hands them to the text and the
figures: the report is the one each function writes on its own."""

from pathlib import Path

import fpga_opt
from fpga_opt.backends.report import markdown_report, report_files

MODEL = Path(__file__).resolve().parents[2] / "data" / "hgq2_jsc_openml_0.758.keras"


def test_report_files_equals_the_report_computed_alone():
    design = fpga_opt.compile(MODEL, jobs=1)
    files = report_files(design.hardware, design.network, title="jsc", clock_period=2.5)
    alone = markdown_report(design.hardware, design.network, title="jsc", clock_period=2.5)
    assert files["report.md"].startswith(alone)
    assert "| **total** |" in alone and "dense" in alone
