"""Small modules: no source file of the package is longer than MAX_LINES lines, except the
ones listed in ALLOWED with the reason (DESIGN.md: small modules, < ~500 lines).  A file
that grows past the limit fails here: split it by what its parts do, or add it to ALLOWED
with a reason a reviewer can check."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
NOT_PACKAGE = {"tests", "bench", "scripts", "examples", "docs", "build"}
MAX_LINES = 500

ALLOWED: dict[str, str] = {}
"""Files (relative to the package root) allowed over MAX_LINES, with the reason."""


def package_files() -> list[Path]:
    files = []
    for path in sorted(ROOT.rglob("*.py")):
        parts = path.relative_to(ROOT).parts
        if parts[0] in NOT_PACKAGE or any(p.startswith(".") or p.endswith(".egg-info") for p in parts):
            continue
        files.append(path)
    return files


def too_long(files: list[Path], allowed: dict[str, str], limit: int = MAX_LINES) -> list[str]:
    """'path: N lines' for every file over ``limit`` lines that ``allowed`` does not name."""
    out = []
    for path in files:
        lines = len(path.read_text(encoding="utf-8").splitlines())
        name = path.relative_to(ROOT).as_posix() if path.is_relative_to(ROOT) else path.name
        if lines > limit and name not in allowed:
            out.append(f"{name}: {lines} lines")
    return out


def test_the_package_is_found():
    names = {p.relative_to(ROOT).as_posix() for p in package_files()}
    assert {"numerics.py", "backends/verilog.py", "dialects/cmvm/ops.py"} <= names
    assert not any(n.startswith(("tests/", "bench/", ".venv/")) for n in names)


def test_no_source_file_over_the_limit():
    assert too_long(package_files(), ALLOWED) == []


def test_every_allowance_names_a_file_and_a_reason():
    names = {p.relative_to(ROOT).as_posix() for p in package_files()}
    for name, reason in ALLOWED.items():
        assert name in names, f"ALLOWED names {name}, which is not a package file"
        assert reason.strip(), f"ALLOWED gives no reason for {name}"


@pytest.mark.parametrize("lines, allowed, expected", [(501, {}, 1), (500, {}, 0), (501, {"big.py": "why"}, 0)])
def test_the_check_can_fail(tmp_path, lines, allowed, expected):
    big = tmp_path / "big.py"
    big.write_text("x = 1\n" * lines)
    assert len(too_long([big], allowed)) == expected
