"""The designs every HDL target is checked on: random rtl modules, random quantized
networks compiled to rtl, the jet tagger (combinational and pipelined) and an HGQ2 model
from the shared models folder."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import numpy as np
import pytest
from xdsl.context import Context

import fpga_opt
from fpga_opt.registry import make_context
from fpga_opt.testing.networks import NetworkSpec, random_mlp
from fpga_opt.transforms.compile import Compile
from fpga_opt.transforms.rtl_pipeline import RtlPipeline

from ..dialects.rtl.rtl_random import random_design

REPO = Path(fpga_opt.__file__).resolve().parent
JET_TAGGER = REPO / "examples" / "qkeras_jettagging.onnx"
HGQ2_MODEL = REPO.parent / "shared" / "models" / "hgq2_jsc_openml_0.758.keras"
RANDOM_CASES = [(0, 0), (2, 1), (3, 2), (7, 0), (11, 3)]
"""(seed, cutoff) of the random rtl modules."""
TERNARY_CASES = [(0, 0), (4, 2)]
"""(seed, cutoff) of the random rtl modules with three-operand adders (rtl.add3)."""
NETWORK_CASES = [(1, 0), (4, 2)]
"""(seed, cutoff) of the random networks."""


def random_module(seed: int, cutoff: int, **options):
    """A random rtl module (builtin.module holding it), pipelined every ``cutoff`` levels;
    ``options`` go to ``rtl_random.random_design``."""
    module = random_design(seed, batch=1, **options).module
    if cutoff:
        RtlPipeline(cutoff=cutoff).apply(Context(), module)
    return module


def random_network(seed: int, cutoff: int):
    """A random quantized MLP (testing.networks) compiled to rtl."""
    rng = np.random.default_rng(seed)
    module = random_mlp(rng, NetworkSpec.random(rng))
    Compile(cutoff=cutoff).apply(make_context(), module)
    return module


@cache
def jet_tagger_design(cutoff: int) -> fpga_opt.Design:
    return fpga_opt.compile(JET_TAGGER, input_precision="fixed<1,5,10>", cutoff=cutoff)


def jet_tagger(cutoff: int):
    return jet_tagger_design(cutoff).hardware


@cache
def ternary_jet_tagger(cutoff: int):
    """The jet tagger compiled for Xilinx 7-series: its adders fused into rtl.add3."""
    return fpga_opt.compile(
        JET_TAGGER, input_precision="fixed<1,5,10>", cutoff=cutoff, arch="xc7"
    ).hardware


@cache
def hgq2_model(cutoff: int = 0):
    if not HGQ2_MODEL.exists():
        pytest.skip(f"{HGQ2_MODEL.name} is not in the shared models folder ({HGQ2_MODEL.parent})")
    return fpga_opt.compile(HGQ2_MODEL, cutoff=cutoff).hardware


def with_an_add_made_a_sub(module):
    """A copy of ``module`` whose first rtl.add subtracts: a wrong design, which a check
    of the HDL against the original's interpreter must catch."""
    from fpga_opt.dialects import rtl

    module = module.clone()
    add = next(op for op in module.walk() if isinstance(op, rtl.AddOp))
    sub = rtl.SubOp(add.lhs, add.rhs)
    sub.result.name_hint = add.result.name_hint
    add.parent_block().insert_op_before(sub, add)
    add.result.replace_all_uses_with(sub.result)
    add.detach()
    add.erase()
    return module
