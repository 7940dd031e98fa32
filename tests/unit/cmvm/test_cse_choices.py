"""The CSE makes the same choices: golden digests of the graphs of seeded random matrices.

Every case solves a seeded random integer matrix with one CSE run (``solve_once``: one
priority, with or without the spanning tree, with or without a depth limit) or with the
whole ``solve`` (portfolio, restarts and ``refine``), checks that the graph computes
``W @ x`` exactly, and compares a sha256 of the graph (nodes in order, outputs) with the
digest recorded when the test was written.  A refactoring of ``cmvm/cse*.py`` or
``cmvm/refine.py`` must keep every digest: the same patterns chosen in the same order.

A deliberate change of the CSE's choices changes the digests; regenerate them with
``python tests/unit/cmvm_core/test_cse_choices.py`` (it prints the GOLDEN table) and say
why in the commit.
"""

import hashlib
import json

import numpy as np
import pytest

from fpga_opt.cmvm import evaluate, solve
from fpga_opt.cmvm.solver import input_intervals, least_depth, solve_once

# (name, n_out, n_in, bits, signed, how, option, extra_depth or None for no limit)
#   how "once": solve_once with priority ``option`` and the spanning tree ("chain") when
#   the name says so; how "solve": solve with effort ``option``.
CASES = [
    ("1x8_s4_narrow", 1, 8, 4, True, "once", "narrow", None),
    ("1x8_u6_recent_chain", 1, 8, 6, False, "once", "recent", 0),
    ("2x8_s8_shallow", 2, 8, 8, True, "once", "shallow", 1),
    ("4x4_s3_bits_chain", 4, 4, 3, True, "once", "bits", None),
    ("4x6_u8_random1", 4, 6, 8, False, "once", "random1", 0),
    ("6x6_s6_recent3_chain", 6, 6, 6, True, "once", "recent3", 1),
    ("8x1_s8_narrow_chain", 8, 1, 8, True, "once", "narrow", 0),
    ("8x8_s8_narrow_chain", 8, 8, 8, True, "once", "narrow", None),
    ("8x8_s8_recent", 8, 8, 8, True, "once", "recent", 0),
    ("8x8_u4_shallow_chain", 8, 8, 4, False, "once", "shallow", 2),
    ("8x8_s12_bits", 8, 8, 12, True, "once", "bits", 1),
    ("8x8_s8_random7_chain", 8, 8, 8, True, "once", "random7", None),
    ("10x6_s2_recent_chain", 10, 6, 2, True, "once", "recent", None),
    ("12x12_s8_recent1_chain", 12, 12, 8, True, "once", "recent1", 0),
    ("12x12_u8_narrow", 12, 12, 8, False, "once", "narrow", 1),
    ("16x16_s6_shallow", 16, 16, 6, True, "once", "shallow", None),
    ("16x16_s8_bits_chain", 16, 16, 8, True, "once", "bits", 1),
    ("16x16_s8_random2", 16, 16, 8, True, "once", "random2", 2),
    ("16x12_s4_recent_chain", 16, 12, 4, True, "once", "recent", 0),
    ("24x24_s8_recent_chain", 24, 24, 8, True, "once", "recent", 1),
    ("24x24_u6_narrow_chain", 24, 24, 6, False, "once", "narrow", None),
    ("24x24_s8_shallow", 24, 24, 8, True, "once", "shallow", 0),
    ("24x24_s10_random5_chain", 24, 24, 10, True, "once", "random5", 2),
    ("24x24_s8_recent9", 24, 24, 8, True, "once", "recent9", None),
    ("48x48_s8_recent_chain", 48, 48, 8, True, "once", "recent", 1),
    ("48x48_s6_narrow", 48, 48, 6, True, "once", "narrow", None),
    ("6x6_s6_solve_full", 6, 6, 6, True, "solve", "full", None),
    ("8x8_s8_solve_medium", 8, 8, 8, True, "solve", "medium", 1),
    ("12x12_s8_solve_fast", 12, 12, 8, True, "solve", "fast", None),
    ("16x16_u6_solve_fast", 16, 16, 6, False, "solve", "fast", 0),
    ("8x1_s10_solve_full", 8, 1, 10, True, "solve", "full", None),
    ("24x24_s8_solve_fast", 24, 24, 8, True, "solve", "fast", None),
]

def case_matrix(seed: int, n_out: int, n_in: int, bits: int, signed: bool) -> tuple[np.ndarray, list]:
    """The seeded matrix (about a fifth of the entries zero) and its input formats."""
    rng = np.random.default_rng(seed)
    lo, hi = (-(1 << (bits - 1)), 1 << (bits - 1)) if signed else (0, 1 << bits)
    w = rng.integers(lo, hi, (n_out, n_in))
    w[rng.random(w.shape) < 0.2] = 0
    formats = [(int(rng.integers(0, 2)), int(rng.integers(2, 9)), 0) for _ in range(n_in)]
    return w, formats


def graph_digest(graph) -> str:
    """sha256 of the graph's nodes (in order) and outputs."""
    canon = [
        graph.n_inputs,
        [[n.a, n.b, n.shift, int(n.sub)] for n in graph.nodes],
        [[o.value, o.shift, int(o.negate)] for o in graph.outputs],
    ]
    return hashlib.sha256(json.dumps(canon, separators=(",", ":")).encode()).hexdigest()


def run_case(seed: int, case: tuple):
    """``(W, formats, graph)`` of one case."""
    name, n_out, n_in, bits, signed, how, option, extra = case
    w, formats = case_matrix(seed, n_out, n_in, bits, signed)
    limit = None if extra is None else least_depth(w) + extra
    if how == "once":
        decompose = "chain" if name.endswith("_chain") else "none"
        graph = solve_once(w, input_intervals(formats, n_in), limit, decompose, option)
    else:
        graph = solve(w, formats, max_depth=limit, effort=option)
    return w, formats, graph


@pytest.mark.parametrize("seed, case", list(enumerate(CASES)), ids=[c[0] for c in CASES])
def test_same_choices(seed, case):
    w, formats, graph = run_case(seed, case)
    rng = np.random.default_rng(1000 + seed)
    x = np.stack([rng.integers(-(1 << i) if k else 0, 1 << i, 64) for k, i, _ in formats], axis=1)
    x = np.concatenate((x, np.array([[(-(1 << i) if k else (1 << i) - 1) for k, i, _ in formats]])))
    assert np.array_equal(evaluate(graph, x), x @ w.T)
    assert graph_digest(graph) == GOLDEN[case[0]]


GOLDEN = {
    '1x8_s4_narrow': 'b67cc4bf695b99f77ed7a717588e72fce59508ab3c6d4c0d4bd0270ac9ebbed6',
    '1x8_u6_recent_chain': '55d33ac382b9d4e986325d70c39ef535837314c88ae4946430bb649d7d941ebc',
    '2x8_s8_shallow': '19e08dc318c11147d3680c105700d33de691d9d35b691f410058bec9c51e1081',
    '4x4_s3_bits_chain': '6cb63ad73b4c32f7d163b6417d06a5217baa99d68f1960f50bdc1803e4c34a5c',
    '4x6_u8_random1': '56ed5f8fa0cdd89a87cc78e2195f601310a419f3ac1c1473067db6db18fa51d6',
    '6x6_s6_recent3_chain': 'e3315656ca8fe1192e7993d5fca09c5b1099ca0b0e54d21e738f44e6d9f4277a',
    '8x1_s8_narrow_chain': '339437169d29ddb0a892dd24b35d807c469b0596f2eba84b1878a0204f9b93d2',
    '8x8_s8_narrow_chain': 'd4ac041aee98d82cd56d85fca24d61c23c6be91d3fe662ff966b572545b52856',
    '8x8_s8_recent': '29efa2341ece38122ab66ab5ed3d57ff3e22ac88a9ae3c985679e2163377a81b',
    '8x8_u4_shallow_chain': 'c99b4c14479e4672c05d8dde5baf09ddd79960abb1b81f6dad1b973e31995c71',
    '8x8_s12_bits': '4ac353c1fc744df78bf5dc7f689863ab17c7890743c8975fdbfb7dea15f9d26f',
    '8x8_s8_random7_chain': '40abcdfd8749c05fe95ef9172e0528032a27ca707d958e744f4431b86257aad8',
    '10x6_s2_recent_chain': '38e9f00177ad3533540bdfb254f0dd7c2ae80339668f1818752578084a706a3f',
    '12x12_s8_recent1_chain': '430257b4a793e715147939197462b3ba0dbd9e214468a4e3a5e59415c92d586e',
    '12x12_u8_narrow': '1ef72bbfb768afff2083b469d0e615080b0d0a1c8bf02f08411e64484332a394',
    '16x16_s6_shallow': 'c928f94c7d57d1af166a6c695f76dd34322f5edd9215a8e2ef49bbe1545c3d3e',
    '16x16_s8_bits_chain': 'd805a710d359c7b7f417a3f8dce2d112f75bb14bb529bb68c43b49271074edfd',
    '16x16_s8_random2': '94c17eb67e409b91e1901f113033e6293f3d626d794205d16bbe4721dd3db60c',
    '16x12_s4_recent_chain': '70d4b957d13f5c39195716718861a0dd4ae45cf0360da56a9ae335c50bdfff0c',
    '24x24_s8_recent_chain': '493d468e9f6271adeaf27a1f43a83f9ae569dbcd790519c5198f963d4a9b64a1',
    '24x24_u6_narrow_chain': '89848cf68413f91aef8cc111e93693f701c15292f20f47358512ff69f8cf21b5',
    '24x24_s8_shallow': 'db5248742e376e85b552422f974eaa55dca23eb0e220ec2e4439201e3ce6acdf',
    '24x24_s10_random5_chain': 'afbc720eb2235fe9b88f32f5b4ec33b84bcaadebbb59f1db9a3e17a76f49bee8',
    '24x24_s8_recent9': 'd18a04131c8f3dc39a18cd024438b32c19611e3100dca8e57503bd2d551d2bd1',
    '48x48_s8_recent_chain': '892700473f1c73b9b57a9c78650ff9b3126de55ea9c8f715de784fd865e7fa50',
    '48x48_s6_narrow': 'b03b07e35b19fe9d60b5f3bb13e0f4dd5f2e585618aadb1afc469b388c283a03',
    '6x6_s6_solve_full': '76086e178f17b0e3701653ce3625f32b547bf62166f965d44710ad6b774feca5',
    '8x8_s8_solve_medium': '575c67a151e5fa71a71a8f60a4c34d39e515e4eab85c57379c25dbfc7e56f945',
    '12x12_s8_solve_fast': '035f4856ac05d2a597863bf5872bd694185e50a80ba2868895ca78a5959f2417',
    '16x16_u6_solve_fast': 'a5e2db089868ed28e37a1541120d0e17a9506638319facdf1889487520f54b9f',
    '8x1_s10_solve_full': '8c80e0ce52e012e0b0438c7b673824c4a63235520a21cd899e0239dd139b3b74',
    '24x24_s8_solve_fast': 'ddc188f41106f36df9ce2a7074ab78b575f0ab63c570758f5fef49a4901c079d',
}

if __name__ == "__main__":
    print("GOLDEN = {")
    for s, c in enumerate(CASES):
        print(f"    {c[0]!r}: {graph_digest(run_case(s, c)[2])!r},")
    print("}")
