"""Write the bundled copies of the large reference files: the first ROWS rows of every
array of ``../shared/models/<name>_reference.npz`` into ``tests/data/<name>_reference.npz``.

    python tests/data/subsample_references.py      # run from anywhere; needs ../shared
"""

from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
SHARED_MODELS = HERE.parents[2] / "shared" / "models"
ROWS = {"TFC_2W2A": 100, "hgq2_jsc_openml_0.758": 200, "hgq2_jsc_openml_0.771": 200}


def main() -> None:
    for name, rows in ROWS.items():
        reference = np.load(SHARED_MODELS / f"{name}_reference.npz")
        arrays = {key: reference[key][:rows] for key in reference.files}
        np.savez_compressed(HERE / f"{name}_reference.npz", **arrays)
        print(name, {key: array.shape for key, array in arrays.items()})


if __name__ == "__main__":
    main()
