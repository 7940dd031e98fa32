"""The rtl interpreter: each op's bits on edge cases, random adder trees against exact
Python arithmetic (narrow and wider than 64 bits), and honest register timing."""

import numpy as np
import pytest
from xdsl.context import Context
from xdsl.parser import Parser

from fpga_opt.dialects.rtl import Rtl
from fpga_opt.errors import CompileError
from fpga_opt.interpreters.rtl import run_stream, simulate

from ..dialects.rtl.rtl_random import random_design


def parse(text: str):
    ctx = Context()
    ctx.load_dialect(Rtl)
    return Parser(ctx, text).parse_module()


def bits_of(text: str, columns):
    module = parse(text).body.block.first_op
    return [list(map(int, out)) for out in run_stream(module, [np.array(c) for c in columns])]


def test_arithmetic_wraps_modulo_width():
    out = bits_of(
        """rtl.module @m(%a: i4 fixed<0,4,0>, %b: i4 fixed<0,4,0>) -> (s: i4 fixed<0,4,0>, d: i4 fixed<0,4,0>) {
          %s = rtl.add %a, %b : i4
          %d = rtl.sub %a, %b : i4
          rtl.output %s, %d : i4, i4
        }""",
        [[15, 3, 0], [1, 5, 0]],
    )
    assert out == [[0, 8, 0], [14, 14, 0]]


def test_extension_extract_concat():
    out = bits_of(
        """rtl.module @m(%a: i3 fixed<1,2,0>, %b: i1 fixed<0,1,0>) -> (s: i6 fixed<0,6,0>, z: i6 fixed<0,6,0>, c: i5 fixed<0,5,0>, e: i2 fixed<0,2,0>, one: i4 fixed<0,4,0>) {
          %s = rtl.sext %a : i3 to i6
          %z = rtl.zext %a : i3 to i6
          %e = rtl.extract %a from 1 : i3 to i2
          %c = rtl.concat %b, %a, %b : i1, i3, i1
          %one = rtl.sext %b : i1 to i4
          rtl.output %s, %z, %c, %e, %one : i6, i6, i5, i2, i4
        }""",
        [[0b100, 0b011], [1, 0]],
    )
    assert out == [
        [0b111100, 0b000011],
        [0b000100, 0b000011],
        [0b11001, 0b00110],
        [0b10, 0b01],
        [0b1111, 0],
    ]


@pytest.mark.parametrize(
    "predicate, expected",
    [
        ("eq", [0, 1, 0]), ("ne", [1, 0, 1]),
        ("slt", [0, 0, 1]), ("sle", [0, 1, 1]), ("sgt", [1, 0, 0]), ("sge", [1, 1, 0]),
        ("ult", [1, 0, 0]), ("ule", [1, 1, 0]), ("ugt", [0, 0, 1]), ("uge", [0, 1, 1]),
    ],
)
def test_comparisons(predicate, expected):
    # a, b as 4-bit patterns: (1, 8) is 1 vs -8 signed; (5, 5); (15, 2) is -1 vs 2 signed.
    out = bits_of(
        f"""rtl.module @m(%a: i4 fixed<0,4,0>, %b: i4 fixed<0,4,0>) -> (c: i1 fixed<0,1,0>) {{
          %c = rtl.icmp {predicate} %a, %b : i4
          rtl.output %c : i1
        }}""",
        [[1, 5, 15], [8, 5, 2]],
    )
    assert out == [expected]


def test_mux_and_rom():
    out = bits_of(
        """rtl.module @m(%i: i2 fixed<0,2,0>, %c: i1 fixed<0,1,0>) -> (r: i4 fixed<1,3,0>, m: i4 fixed<1,3,0>) {
          %r = rtl.rom %i [3, -1, -8, 7] : i2 -> i4
          %k = rtl.constant 5 : i4
          %m = rtl.mux %c, %r, %k : i4
          rtl.output %r, %m : i4, i4
        }""",
        [[0, 1, 2, 3], [1, 0, 1, 0]],
    )
    assert out == [[3, 15, 8, 7], [3, 5, 8, 5]]


def test_register_delays_by_one_cycle():
    out = bits_of(
        """rtl.module @m(%a: i8 fixed<0,8,0>) -> (r: i8 fixed<0,8,0>, rr: i8 fixed<0,8,0>) clock "clk" {
          %r = rtl.reg %a : i8
          %rr = rtl.reg %r : i8
          rtl.output %r, %rr : i8, i8
        }""",
        [[10, 20, 30, 40]],
    )
    assert out == [[0, 10, 20, 30], [0, 0, 10, 20]]


def test_unbalanced_registers_mix_inputs_of_different_cycles():
    # One register on one path only: read one cycle late, row t is a[t] + b[t+1] (and 0
    # for the flush cycle's b), as the hardware would compute.
    module = parse(
        """rtl.module @m(%a: i8 fixed<0,8,0>, %b: i8 fixed<0,8,0>) -> (s: i8 fixed<0,8,0>) clock "clk" latency 1 {
          %r = rtl.reg %a : i8
          %s = rtl.add %r, %b : i8
          rtl.output %s : i8
        }"""
    )
    got = simulate(module, np.array([[1, 100], [2, 100], [3, 100]]))
    assert got[:, 0].tolist() == [101, 102, 3]


def test_wide_constants_and_values_use_python_integers():
    out = bits_of(
        """rtl.module @m(%a: i100 fixed<1,99,0>) -> (s: i100 fixed<1,99,0>) {
          %k = rtl.constant -1 : i100
          %s = rtl.add %a, %k : i100
          rtl.output %s : i100
        }""",
        [np.array([0, 1 << 99], dtype=object)],
    )
    assert out == [[(1 << 100) - 1, (1 << 99) - 1]]


@pytest.mark.parametrize("seed", range(12))
def test_random_adder_trees_match_exact_arithmetic(seed):
    design = random_design(seed)
    assert np.array_equal(simulate(design.module, design.inputs), design.expected)


@pytest.mark.parametrize("seed", range(4))
def test_random_ternary_adder_trees_match_exact_arithmetic(seed):
    design = random_design(seed, ternary=True)
    assert any(op.name == "rtl.add3" for op in design.module.walk())
    assert np.array_equal(simulate(design.module, design.inputs), design.expected)


@pytest.mark.parametrize("seed", range(3))
def test_wide_random_adder_trees_match_exact_arithmetic(seed):
    design = random_design(100 + seed, batch=2_000, wide=True, nonlinear=False)
    assert any(arg.type.width.data > 64 for arg in design.rtl_module.block.args)
    got = simulate(design.module, design.inputs)
    assert got.dtype == object
    assert (got == design.expected).all()


def test_inputs_outside_their_format_are_rejected():
    design = random_design(0, batch=4)
    bad = design.inputs.copy()
    bad[0, 0] = design.rtl_module.inputs[0][2].interval().hi + 1
    with pytest.raises(CompileError, match=r"input 'x0': input values must lie in \[-64, 63\]"):
        simulate(design.module, bad)
    with pytest.raises(CompileError, match="inputs must be"):
        simulate(design.module, design.inputs[:, :1])
    with pytest.raises(CompileError, match="inputs must be integer mantissas, got float64"):
        simulate(design.module, design.inputs + 0.5)


def test_streaming_in_chunks_changes_nothing():
    from xdsl.context import Context

    from fpga_opt.transforms.rtl_pipeline import RtlPipeline

    design = random_design(4, batch=8)
    RtlPipeline(cutoff=1).apply(Context(), design.module)
    module = design.rtl_module
    assert module.latency_cycles > 1
    rng = np.random.default_rng(0)
    columns = [rng.integers(0, 1 << arg.type.width.data, 300) for arg in module.block.args]
    whole = run_stream(module, columns)
    for chunk in (2, 7, 256):
        pieces = run_stream(module, columns, chunk=chunk)
        assert all(np.array_equal(a, b) for a, b in zip(whole, pieces))
