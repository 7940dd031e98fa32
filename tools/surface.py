"""What the driver offers from xDSL besides this project's own passes and targets.

xDSL's registry holds passes that run external programs (``mlir-opt{executable=...}``),
read arbitrary files (``apply-pdl{pdl_file=...}``) or lower to other hardware, and
targets for other machines (csl, wat, wgsl, llvm, mps, assembly).  The driver keeps only
the generic passes that make sense on this project's IR and the textual IR target.
"""

from __future__ import annotations

GENERIC_PASSES = frozenset({"cse", "canonicalize", "dce"})
GENERIC_TARGETS = frozenset({"mlir"})


def keep_only(registry: dict, names: frozenset[str]) -> None:
    """Drop every entry of an xDSL registry (passes or targets) not named in ``names``."""
    for name in [n for n in registry if n not in names]:
        del registry[name]
