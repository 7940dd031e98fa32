"""Where the tests find real models: the small copies bundled in ``tests/data`` first, the
full corpus in ``../shared/models`` beside the repository second (optional).

    path = model_path("qkeras_jettagging.onnx")      # tests/data/... or ../shared/models/...
    path = require_model("TFC_2W2A.onnx")            # the same, or skip the test with a reason

Reference files (``<model>_reference.npz``) are found the same way; the bundled copies of
the large ones keep only their first rows (``tests/data/subsample_references.py``).
"""

from __future__ import annotations

from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[1]
BUNDLED = REPOSITORY / "tests" / "data"
SHARED_MODELS = REPOSITORY.parent / "shared" / "models"


def model_path(name: str) -> Path:
    """The bundled copy of a model or reference file if there is one, else the shared one
    (which may be absent: check ``exists()`` or use ``require_model``)."""
    bundled = BUNDLED / name
    return bundled if bundled.exists() else SHARED_MODELS / name


def require_model(*names: str) -> Path:
    """The path of the first name; the calling test is skipped, with the reason, when any of
    the named files is neither bundled nor in ``../shared/models``."""
    import pytest

    paths = [model_path(name) for name in names]
    missing = [path.name for path in paths if not path.exists()]
    if missing:
        pytest.skip(f"{', '.join(missing)} neither in tests/data nor in {SHARED_MODELS}")
    return paths[0]


def require_full_corpus(name: str) -> Path:
    """A file of ``../shared/models`` itself (the full references, thousands of rows, for
    the optional long runs); the calling test is skipped, with the reason, without it."""
    import pytest

    path = SHARED_MODELS / name
    if not path.exists():
        pytest.skip(f"the full corpus run needs {path}, absent (../shared is not beside the repository)")
    return path
