"""The tests mirror the source tree (docs/architecture.md, "Tests"): every folder of
tests/unit is a source folder of the package (tests/unit/transforms tests transforms/,
tests/unit/importers/onnx tests importers/onnx/, test modules of top-level modules sit in
tests/unit itself), suites that run the whole pipeline live in tests/system, every
registered pass has a FileCheck folder tests/filecheck/<pass>/, every FileCheck folder is
named after a pass, a dialect, a target or a frontend, and no FileCheck test reads a file
outside the repository (such as ../shared).  Each rule is also run on a small wrong tree
here, to show that it catches what it is for."""

from __future__ import annotations

import re
from pathlib import Path

from fpga_opt.registry import get_all_dialects, get_all_frontends, get_all_passes, get_all_targets

ROOT = Path(__file__).resolve().parents[3]

NOT_SOURCE = {"tests", "docs", "scripts", "examples", "build", "dist", "__pycache__"}
"""Top-level folders of the repository that hold no package source."""

NOT_MIRRORED = {"architecture"}
"""tests/unit folders that check the repository as a whole rather than one source folder."""

DATA_FOLDERS = {"fixtures"}
"""Folders of files that the tests beside them read (models, references)."""

TESTS_LAYOUT = {"unit", "system", "filecheck", "data"}
"""tests/: per-folder tests, whole-pipeline suites, FileCheck tests and bundled models."""

FILECHECK_EXTRA = {"driver"}
"""FileCheck folders that are neither a pass, a dialect, a target nor a frontend: the
fpga-opt command line itself (tools/driver.py)."""


def hidden_or_generated(name: str) -> bool:
    return name.startswith(".") or name == "__pycache__" or name == "Output" or name.endswith(".egg-info")


def source_folders(root: Path) -> set[Path]:
    """Folders of the package (relative to the repository root) that hold Python source."""
    found = set()
    for path in root.rglob("*.py"):
        relative = path.parent.relative_to(root)
        if relative.parts and (relative.parts[0] in NOT_SOURCE or any(hidden_or_generated(p) for p in relative.parts)):
            continue
        for depth in range(1, len(relative.parts) + 1):
            found.add(Path(*relative.parts[:depth]))
    return found


def unit_test_folders(unit: Path) -> set[Path]:
    """Folders under tests/unit (relative to it), data folders and their contents left out."""
    found = set()
    for path in unit.rglob("*"):
        if not path.is_dir():
            continue
        relative = path.relative_to(unit)
        if any(hidden_or_generated(p) or p in DATA_FOLDERS for p in relative.parts):
            continue
        found.add(relative)
    return found


def unmirrored_test_folders(root: Path) -> list[str]:
    """tests/unit folders with no source folder of the same path."""
    sources = source_folders(root)
    return sorted(
        f"tests/unit/{folder.as_posix()}"
        for folder in unit_test_folders(root / "tests" / "unit")
        if folder not in sources and folder.parts[0] not in NOT_MIRRORED
    )


def unexpected_tests_folders(root: Path) -> list[str]:
    """Folders directly under tests/ beside unit, system, filecheck and data."""
    return sorted(
        p.name for p in (root / "tests").iterdir()
        if p.is_dir() and not hidden_or_generated(p.name) and p.name not in TESTS_LAYOUT
    )


def passes_without_filecheck(filecheck: Path, passes: set[str]) -> list[str]:
    """Registered passes with no tests/filecheck/<pass>/ folder holding a .mlir test."""
    return sorted(name for name in passes if not any((filecheck / name).glob("*.mlir")))


def unnamed_filecheck_folders(filecheck: Path, names: set[str]) -> list[str]:
    """FileCheck folders whose name is no pass, dialect, target or frontend."""
    return sorted(
        p.name for p in filecheck.iterdir()
        if p.is_dir() and not hidden_or_generated(p.name) and p.name != "Inputs" and p.name not in names
    )


RUN_LINE = re.compile(r"//\s*RUN:(.*)")


def files_read_outside(filecheck: Path, root: Path) -> list[str]:
    """RUN lines that name a path outside the repository: %S/... leading out of it, an
    absolute path, or the shared models folder."""
    found = []
    for test in sorted(filecheck.rglob("*.mlir")):
        if "Output" in test.parts:
            continue
        for number, line in enumerate(test.read_text().splitlines(), 1):
            match = RUN_LINE.search(line)
            if not match:
                continue
            for word in match.group(1).split():
                outside = [
                    relative for relative in re.findall(r"%S/([^\s'\"]+)", word)
                    if not (test.parent / relative).resolve().is_relative_to(root.resolve())
                ]
                if outside or "shared/" in word or re.match(r"['\"]?/", word):
                    found.append(f"{test.relative_to(root).as_posix()}:{number}: {word}")
    return found


def filecheck_names() -> set[str]:
    return set(get_all_passes()) | set(get_all_dialects()) | set(get_all_targets()) | set(get_all_frontends())


# --- the rules on this repository -----------------------------------------------------


def test_every_unit_test_folder_is_a_source_folder():
    wrong = unmirrored_test_folders(ROOT)
    assert not wrong, (
        f"move these beside the source they test (tests/unit/<source folder>/), or to "
        f"tests/system if they run the whole pipeline: {wrong}"
    )


def test_tests_holds_unit_system_filecheck_and_data_only():
    assert not unexpected_tests_folders(ROOT)
    assert (ROOT / "tests" / "system").is_dir()


def test_every_registered_pass_has_a_filecheck_folder():
    missing = passes_without_filecheck(ROOT / "tests" / "filecheck", set(get_all_passes()))
    assert not missing, f"add FileCheck tests in tests/filecheck/<pass>/ for: {missing}"


def test_every_filecheck_folder_is_named_after_a_pass_dialect_target_or_frontend():
    wrong = unnamed_filecheck_folders(ROOT / "tests" / "filecheck", filecheck_names() | FILECHECK_EXTRA)
    assert not wrong, f"FileCheck folders named after nothing registered: {wrong}"


def test_no_filecheck_test_reads_outside_the_repository():
    wrong = files_read_outside(ROOT / "tests" / "filecheck", ROOT)
    assert not wrong, f"copy the file into tests/data (or tests/filecheck/<folder>/Inputs): {wrong}"


# --- each rule catches a wrong tree ---------------------------------------------------


def make_tree(root: Path, files: list[str]) -> Path:
    for name in files:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("")
    return root


def test_a_test_folder_named_by_theme_is_caught(tmp_path):
    root = make_tree(tmp_path, [
        "transforms/cmvm_csd.py", "importers/onnx/graph.py", "numerics.py",
        "tests/unit/transforms/test_cmvm_csd.py", "tests/unit/importers/onnx/test_graph.py",
        "tests/unit/test_numerics.py", "tests/unit/architecture/test_layout.py",
        "tests/unit/importers/onnx/fixtures/model.onnx",
        "tests/unit/cmvm_core/test_solve.py", "tests/unit/transforms/rounding/test_fold.py",
    ])
    assert unmirrored_test_folders(root) == ["tests/unit/cmvm_core", "tests/unit/transforms/rounding"]


def test_a_folder_beside_unit_and_system_is_caught(tmp_path):
    root = make_tree(tmp_path, ["tests/unit/test_a.py", "tests/system/test_b.py", "tests/e2e/test_c.py"])
    assert unexpected_tests_folders(root) == ["e2e"]


def test_a_pass_without_filecheck_tests_is_caught(tmp_path):
    filecheck = make_tree(tmp_path, ["cmvm-csd/csd.mlir", "compile/lit.local.cfg"])
    assert passes_without_filecheck(filecheck, {"cmvm-csd", "compile"}) == ["compile"]


def test_a_filecheck_folder_named_by_theme_is_caught(tmp_path):
    filecheck = make_tree(tmp_path, ["cmvm-csd/csd.mlir", "fixedpoint-nn/lookup.mlir", "onnx/Inputs/make.py"])
    assert unnamed_filecheck_folders(filecheck, {"cmvm-csd", "onnx"}) == ["fixedpoint-nn"]


def test_a_filecheck_test_reading_shared_models_is_caught(tmp_path):
    root = make_tree(tmp_path, ["tests/data/model.onnx"])
    filecheck = root / "tests" / "filecheck"
    (filecheck / "onnx").mkdir(parents=True)
    (filecheck / "onnx" / "inside.mlir").write_text("// RUN: fpga-opt %S/../../data/model.onnx | filecheck %s\n")
    (filecheck / "onnx" / "outside.mlir").write_text(
        "// RUN: fpga-opt %S/../../../../shared/models/m.onnx | filecheck %s\n"
        "// RUN: fpga-opt /work/shared/models/m.onnx | filecheck %s\n"
    )
    assert files_read_outside(filecheck, root) == [
        "tests/filecheck/onnx/outside.mlir:1: %S/../../../../shared/models/m.onnx",
        "tests/filecheck/onnx/outside.mlir:2: /work/shared/models/m.onnx",
    ]
