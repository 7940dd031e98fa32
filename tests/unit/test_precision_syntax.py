"""hls4ml precision strings: every spelling, every width, and malformed input."""

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fpga_opt.errors import CompileError
from fpga_opt.numerics import Format, Overflow, Rounding
from fpga_opt.precision_syntax import (
    MAX_WIDTH,
    ParsedPrecision,
    format_precision_string,
    parse_precision_string,
)


def ap_fixed_range(signed: bool, width: int, integer: int) -> tuple[Fraction, Fraction, Fraction]:
    """(min, max, lsb) of ap_fixed<W,I> / ap_ufixed<W,I>, from the Vivado HLS definition."""
    lsb = Fraction(2) ** (integer - width)
    if signed:
        return -Fraction(2) ** (integer - 1), Fraction(2) ** (integer - 1) - lsb, lsb
    return Fraction(0), Fraction(2) ** integer - lsb, lsb


def format_range(fmt: Format) -> tuple[Fraction, Fraction, Fraction]:
    bounds = fmt.interval()
    lsb = Fraction(2) ** -fmt.f
    return bounds.lo * lsb, bounds.hi * lsb, lsb


@pytest.mark.parametrize("signed", [True, False])
def test_every_width_and_integer_count_has_the_ap_fixed_value_set(signed):
    kinds = ("fixed", "ap_fixed") if signed else ("ufixed", "ap_ufixed")
    for width in range(1, MAX_WIDTH + 1):
        for integer in range(-3, width + 4):
            expected = ap_fixed_range(signed, width, integer)
            for kind in kinds:
                parsed = parse_precision_string(f"{kind}<{width},{integer}>")
                assert parsed.format.width == width
                assert format_range(parsed.format) == expected
                assert (parsed.rounding, parsed.overflow) == (Rounding.TRN, Overflow.WRAP)


@pytest.mark.parametrize("width", range(1, MAX_WIDTH + 1))
def test_integer_types_are_fixed_with_all_bits_integer(width):
    assert parse_precision_string(f"int<{width}>").format == Format(1, width - 1, 0)
    assert parse_precision_string(f"ap_int<{width}>").format == Format(1, width - 1, 0)
    assert parse_precision_string(f"uint<{width}>").format == Format(0, width, 0)
    assert parse_precision_string(f"ap_uint<{width}>").format == Format(0, width, 0)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("fixed<16,6>", (Format(1, 5, 10), Rounding.TRN, Overflow.WRAP)),
        ("ufixed<8,3>", (Format(0, 3, 5), Rounding.TRN, Overflow.WRAP)),
        ("ap_fixed<16,6>", (Format(1, 5, 10), Rounding.TRN, Overflow.WRAP)),
        ("ap_ufixed<8,0,AP_RND,AP_SAT>", (Format(0, 0, 8), Rounding.RND, Overflow.SAT)),
        ("ap_fixed<18,8,AP_RND_CONV,AP_SAT_SYM>",
         (Format(1, 7, 10), Rounding.RND_CONV, Overflow.SAT_SYM)),
        ("fixed<8,3,RND>", (Format(1, 2, 5), Rounding.RND, Overflow.WRAP)),
        ("fixed<8, 3, rnd_conv, sat, 0>", (Format(1, 2, 5), Rounding.RND_CONV, Overflow.SAT)),
        (" ap_fixed < 6 , -2 > ", (Format(1, -3, 8), Rounding.TRN, Overflow.WRAP)),
        ("fixed<4,9>", (Format(1, 8, -5), Rounding.TRN, Overflow.WRAP)),
        ("int<8>", (Format(1, 7, 0), Rounding.TRN, Overflow.WRAP)),
        ("uint<4>", (Format(0, 4, 0), Rounding.TRN, Overflow.WRAP)),
        ("ap_int<8>", (Format(1, 7, 0), Rounding.TRN, Overflow.WRAP)),
        # three numbers: this project's own (k, i, f), rounded to nearest and saturated
        ("fixed<1,5,10>", (Format(1, 5, 10), Rounding.RND_CONV, Overflow.SAT)),
        ("fixed<0, -2, 6>", (Format(0, -2, 6), Rounding.RND_CONV, Overflow.SAT)),
    ],
)
def test_examples(text, expected):
    assert parse_precision_string(text) == ParsedPrecision(*expected)


@pytest.mark.parametrize(
    "text, column",
    [
        ("fixed<16,,6>", 10),
        ("fixed<16,6", 11),
        ("fixd<16,6>", 1),
        ("", 1),
        ("int<8,2>", 6),
        ("fixed<16,6>x", 12),
        ("fixed<16.5,6>", 9),
        ("fixed<16,6,RND,SAT,0,1>", 21),
    ],
)
def test_malformed_strings_name_the_column(text, column):
    with pytest.raises(CompileError, match=rf"column {column}\b") as info:
        parse_precision_string(text, where="layer dense_1")
    assert info.value.where == "layer dense_1"


@pytest.mark.parametrize(
    "text, message",
    [
        (f"fixed<{MAX_WIDTH + 1},6>", "width 65 is outside the supported 1..64 bits"),
        ("ap_int<0>", "width 0 is outside"),
        ("fixed<-3,1>", "width -3 is outside"),
        ("fixed<16,6,AP_RND_ZERO>", "unsupported rounding mode 'RND_ZERO'"),
        ("fixed<16,6,RND,AP_WRAP_SM>", "unsupported overflow mode 'WRAP_SM'"),
        ("fixed<16,6,SAT,RND>", "unsupported rounding mode 'SAT'"),
        ("fixed<16,6,RND,SAT,3>", "saturation bits 3 are not supported"),
        ("ufixed<1,3,4>", "three numbers spell this project's format"),
        ("fixed<2,3,4>", "needs k in"),
        ("fixed<1,-3,1>", "width k\\+i\\+f of 1..64 bits, got k=1, width -1"),
    ],
)
def test_unsupported_values_are_reported(text, message):
    with pytest.raises(CompileError, match=message):
        parse_precision_string(text)


signed_formats = st.builds(
    lambda k, width, integer: Format(k, integer - k, width - integer),
    st.integers(0, 1), st.integers(1, MAX_WIDTH), st.integers(-80, 80),
)


@given(signed_formats, st.sampled_from(list(Rounding)), st.sampled_from(list(Overflow)))
def test_format_and_parse_are_inverse(fmt, rounding, overflow):
    precision = ParsedPrecision(fmt, rounding, overflow)
    assert parse_precision_string(format_precision_string(precision)) == precision


@settings(max_examples=300)
@given(st.text(alphabet="apfixedunt_<>,0123456789-+ RNDSATWCOV", max_size=30))
def test_arbitrary_text_parses_or_raises_compile_error(text):
    try:
        parsed = parse_precision_string(text)
    except CompileError as e:
        assert e.where == "precision"
        return
    assert 1 <= parsed.format.width <= MAX_WIDTH
