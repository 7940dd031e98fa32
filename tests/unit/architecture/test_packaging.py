"""Every Python package of the repository is listed in pyproject.toml, so that a regular
(non-editable) install ships all of them: setuptools installs only the listed ones."""

import os
from pathlib import Path

import pytest

tomllib = pytest.importorskip("tomllib")

ROOT = Path(__file__).parents[3]
NOT_SHIPPED = {"tests", "build", "dist", "Output", "obj_dir", "__pycache__"}


def package_directories() -> list[str]:
    """Dotted names, under fpga_opt, of the directories that hold an __init__.py."""
    found = []
    for directory, subdirectories, files in os.walk(ROOT):
        subdirectories[:] = sorted(
            d for d in subdirectories
            if d not in NOT_SHIPPED and not d.startswith(".") and not d.endswith(".egg-info")
        )
        if "__init__.py" in files:
            relative = Path(directory).relative_to(ROOT)
            found.append(".".join(("fpga_opt", *relative.parts)))
    return found


def test_every_package_is_listed_in_pyproject():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    assert config["package-dir"] == {"fpga_opt": "."}
    listed = set(config["packages"])
    missing = [name for name in package_directories() if name not in listed]
    assert not missing, f"add to [tool.setuptools] packages in pyproject.toml: {missing}"


def test_every_listed_package_exists():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    for name in config["packages"]:
        path = ROOT.joinpath(*name.split(".")[1:])
        assert (path / "__init__.py").is_file(), f"{name} is listed but {path} is no package"
