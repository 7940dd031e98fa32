"""The cmvm interpreter against independent references: every op, int64 and Python-int
paths, inputs checked against argument types, kernels called from several places."""

import numpy as np
import pytest

from fpga_opt.interpreters.cmvm import run_function, run_integers
from fpga_opt.interpreters.fixedpoint import Fixed
from fpga_opt.numerics import Format, Overflow, Rounding, quantize

from ..dialects.cmvm.helpers import parse

INT8 = "!cmvm.fx<fixed<1,7,0>>"
ALL_INT8 = np.arange(-128, 128)


def ints(result: Fixed) -> list[int]:
    return [int(v) for v in result.mantissas]


def test_adder_ops_and_wiring():
    m = parse(f"""
    func.func @f(%a: {INT8}, %b: !cmvm.fx<fixed<0,3,1>>) -> (!cmvm.fx<range<-512,523,2>>, !cmvm.fx<range<-143,127,0>>, !cmvm.fx<range<-127,128,0>>, !cmvm.fx<range<-128,127,-3>>, !cmvm.fx<range<-3,-3,2>>) {{
      %s = cmvm.add %a, %b shl -1 : ({INT8}, !cmvm.fx<fixed<0,3,1>>) -> !cmvm.fx<range<-512,523,2>>
      %d = cmvm.sub %a, %b shl 1 : ({INT8}, !cmvm.fx<fixed<0,3,1>>) -> !cmvm.fx<range<-143,127,0>>
      %n = cmvm.neg %a : {INT8} -> !cmvm.fx<range<-127,128,0>>
      %w = cmvm.shift %a by 3 : {INT8} -> !cmvm.fx<range<-128,127,-3>>
      %c = cmvm.constant -3 shl -2 : !cmvm.fx<range<-3,-3,2>>
      func.return %s, %d, %n, %w, %c : !cmvm.fx<range<-512,523,2>>, !cmvm.fx<range<-143,127,0>>, !cmvm.fx<range<-127,128,0>>, !cmvm.fx<range<-128,127,-3>>, !cmvm.fx<range<-3,-3,2>>
    }}""")
    a = ALL_INT8
    b = np.resize(np.arange(16), a.size)  # b = mantissa / 2
    s, d, n, w, c = run_function(m, [Fixed(a, 0), Fixed(b, 1)])
    # values as exact fractions: mantissa * 2**-f
    assert [v / 2**s.f for v in ints(s)] == [x + (y / 2) / 2 for x, y in zip(a, b)]
    assert [v / 2**d.f for v in ints(d)] == [x - (y / 2) * 2 for x, y in zip(a, b)]
    assert ints(n) == [-x for x in a] and n.f == 0
    assert [v * 2 ** -w.f for v in ints(w)] == [8 * x for x in a]
    assert ints(c) == [-3] * a.size and c.f == 2


def test_nonlinear_ops():
    m = parse(f"""
    func.func @f(%a: {INT8}, %b: !cmvm.fx<fixed<0,3,1>>) -> (!cmvm.fx<range<0,127,0>>, !cmvm.fx<range<-256,254,1>>, !cmvm.fx<range<-256,15,1>>, !cmvm.fx<fixed<1,3,2>>, !cmvm.fx<fixed<1,2,1>>, !cmvm.fx<range<-7,9,0>>) {{
      %r = cmvm.relu %a : {INT8} -> !cmvm.fx<range<0,127,0>>
      %m = cmvm.max %a, %b : ({INT8}, !cmvm.fx<fixed<0,3,1>>) -> !cmvm.fx<range<-256,254,1>>
      %n = cmvm.min %a, %b : ({INT8}, !cmvm.fx<fixed<0,3,1>>) -> !cmvm.fx<range<-256,15,1>>
      %q = cmvm.quantize %a to fixed<1,3,2> RND_CONV SAT_SYM : {INT8} -> !cmvm.fx<fixed<1,3,2>>
      %w = cmvm.shift %a by -4 : {INT8} -> !cmvm.fx<range<-128,127,4>>
      %p = cmvm.quantize %w to fixed<1,2,1> RND WRAP : !cmvm.fx<range<-128,127,4>> -> !cmvm.fx<fixed<1,2,1>>
      %l = cmvm.lookup %b over range<0,15,1> table <[9, 8, 7, 6, 5, 4, 3, 2, 1, 0, -1, -2, -3, -4, -5, -7], f=0> : !cmvm.fx<fixed<0,3,1>> -> !cmvm.fx<range<-7,9,0>>
      func.return %r, %m, %n, %q, %p, %l : !cmvm.fx<range<0,127,0>>, !cmvm.fx<range<-256,254,1>>, !cmvm.fx<range<-256,15,1>>, !cmvm.fx<fixed<1,3,2>>, !cmvm.fx<fixed<1,2,1>>, !cmvm.fx<range<-7,9,0>>
    }}""")
    a = ALL_INT8
    b = np.resize(np.arange(16), a.size)
    r, mx, mn, q, p, lk = run_function(m, [Fixed(a, 0), Fixed(b, 1)])
    assert ints(r) == [max(x, 0) for x in a]
    assert [v / 2**mx.f for v in ints(mx)] == [max(x, y / 2) for x, y in zip(a, b)]
    assert [v / 2**mn.f for v in ints(mn)] == [min(x, y / 2) for x, y in zip(a, b)]
    fmt = Format(1, 3, 2)
    assert ints(q) == [int(quantize(int(x), 0, fmt, Rounding.RND_CONV, Overflow.SAT_SYM)) for x in a]
    assert ints(p) == [int(quantize(int(x), 4, Format(1, 2, 1), Rounding.RND, Overflow.WRAP)) for x in a]
    table = [9, 8, 7, 6, 5, 4, 3, 2, 1, 0, -1, -2, -3, -4, -5, -7]
    assert ints(lk) == [table[y] for y in b]


def test_matrix_int64_and_python_int_paths_agree():
    text = """
    func.func @f(%a: !cmvm.fx<fixed<1,7,0>>, %b: !cmvm.fx<fixed<1,60,0>>) -> (!cmvm.fx<fixed<1,140,0>>, !cmvm.fx<fixed<1,140,0>>) {
      %y:2 = cmvm.matrix [[W00, 3], [-5, 1]] (%a, %b) row_shifts [0, 1] col_shifts [2, 0] : (!cmvm.fx<fixed<1,7,0>>, !cmvm.fx<fixed<1,60,0>>) -> (!cmvm.fx<fixed<1,140,0>>, !cmvm.fx<fixed<1,140,0>>)
      func.return %y#0, %y#1 : !cmvm.fx<fixed<1,140,0>>, !cmvm.fx<fixed<1,140,0>>
    }"""
    rng = np.random.default_rng(5)
    a = rng.integers(-128, 128, size=50)
    b = np.array([int(v) for v in rng.integers(-(1 << 60), (1 << 60) - 1, size=50)], dtype=object)
    for w00 in (7, (1 << 75) + 1):
        y0, y1 = run_function(parse(text.replace("W00", str(w00))), [Fixed(a, 0), Fixed(b, 0)])
        assert ints(y0) == [w00 * 4 * int(x) + 3 * int(z) for x, z in zip(a, b)]
        assert ints(y1) == [2 * (-5 * 4 * int(x) + int(z)) for x, z in zip(a, b)]
    small = parse(text.replace("W00", "7").replace("fixed<1,60,0>", "fixed<1,7,0>"))
    y0, _ = run_function(small, [Fixed(a, 0), Fixed(np.resize(a, 50), 0)])
    assert y0.mantissas.dtype == np.int64


def test_a_kernel_called_at_several_places():
    m = parse(f"""
    func.func private @kernel(%x0: {INT8}, %x1: {INT8}) -> !cmvm.fx<range<-384,381,0>> {{
      %y = cmvm.add %x0, %x1 shl 1 : ({INT8}, {INT8}) -> !cmvm.fx<range<-384,381,0>>
      func.return %y : !cmvm.fx<range<-384,381,0>>
    }}
    func.func @main(%p: {INT8}, %q: {INT8}, %r: {INT8}) -> (!cmvm.fx<range<-384,381,0>>, !cmvm.fx<range<-384,381,0>>) {{
      %0 = func.call @kernel(%p, %q) : ({INT8}, {INT8}) -> !cmvm.fx<range<-384,381,0>>
      %1 = func.call @kernel(%q, %r) : ({INT8}, {INT8}) -> !cmvm.fx<range<-384,381,0>>
      func.return %0, %1 : !cmvm.fx<range<-384,381,0>>, !cmvm.fx<range<-384,381,0>>
    }}""")
    x = np.stack([ALL_INT8, ALL_INT8[::-1], np.roll(ALL_INT8, 7)], axis=1)
    y0, y1 = run_integers(m, x, name="main")
    assert ints(y0) == [int(p + 2 * q) for p, q, _ in x]
    assert ints(y1) == [int(q + 2 * r) for _, q, r in x]


def test_inputs_are_checked_against_argument_types():
    m = parse(f"""
    func.func @f(%a: {INT8}) -> {INT8} {{
      func.return %a : {INT8}
    }}""")
    with pytest.raises(ValueError, match="outside"):
        run_function(m, [Fixed(np.array([128]), 0)])
    with pytest.raises(ValueError, match="finer"):
        run_function(m, [Fixed(np.array([1]), 1)])
    (y,) = run_function(m, [Fixed(np.array([4, -6]), 1)])  # 2 and -3, exact at f=0
    assert ints(y) == [2, -3] and y.f == 0
