"""The designs every HDL target is checked on: random rtl modules, the jet tagger
(combinational and pipelined) and an HGQ2 model from the shared models folder."""

from __future__ import annotations

import sys
from functools import cache
from pathlib import Path

import pytest
from xdsl.context import Context

import fpga_opt
from fpga_opt.transforms.rtl_pipeline import RtlPipeline

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "rtl"))
from rtl_random import random_design  # noqa: E402

REPO = Path(fpga_opt.__file__).resolve().parent
JET_TAGGER = REPO / "examples" / "qkeras_jettagging.onnx"
HGQ2_MODEL = REPO.parent / "shared" / "models" / "hgq2_jsc_openml_0.758.keras"
RANDOM_CASES = [(0, 0), (2, 1), (3, 2), (7, 0), (11, 3)]
"""(seed, cutoff) of the random rtl modules."""


def random_module(seed: int, cutoff: int, **options):
    """A random rtl module (builtin.module holding it), pipelined every ``cutoff`` levels;
    ``options`` go to ``rtl_random.random_design``."""
    module = random_design(seed, batch=1, **options).module
    if cutoff:
        RtlPipeline(cutoff=cutoff).apply(Context(), module)
    return module


@cache
def jet_tagger_design(cutoff: int) -> fpga_opt.Design:
    return fpga_opt.compile(JET_TAGGER, input_precision="fixed<1,5,10>", cutoff=cutoff)


def jet_tagger(cutoff: int):
    return jet_tagger_design(cutoff).hardware


@cache
def hgq2_model(cutoff: int = 0):
    if not HGQ2_MODEL.exists():
        pytest.skip(f"{HGQ2_MODEL.name} is not in the shared models folder ({HGQ2_MODEL.parent})")
    return fpga_opt.compile(HGQ2_MODEL, cutoff=cutoff).hardware
