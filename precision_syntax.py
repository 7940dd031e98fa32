"""hls4ml / Vivado HLS precision strings -> exact fixed-point formats.

The strings a user writes in an hls4ml configuration (``Precision: fixed<16,6>``) and the
C++ types they stand for::

    fixed<16,6>                      ap_fixed<16,6>            signed, 16 bits, 6 integer
    ufixed<8,3>                      ap_ufixed<8,3>            unsigned
    ap_ufixed<8,0,AP_RND,AP_SAT>     rounding and overflow modes (AP_ prefix optional)
    ap_fixed<18,8,AP_RND_CONV,AP_SAT_SYM>
    int<8>  uint<4>  ap_int<8>  ap_uint<4>                     integers
    fixed<1,5,10>                    this project's (k, i, f) format, as the IR spells it

Three integers are this project's own format ``fixed<k,i,f>`` (sign bit, integer bits
without the sign, fractional bits), and values are brought into it by rounding half to
even and saturating (``RND_CONV``, ``SAT``).

Semantics are those of ``ap_fixed<W, I, Q, O>``: ``W`` bits in all, ``I`` of them above the
binary point *including the sign bit* for signed types.  So a signed type is
``Format(k=1, i=I-1, f=W-I)`` and an unsigned one ``Format(k=0, i=I, f=W-I)``; ``I`` may be
negative or larger than ``W``.  Without modes the defaults of ap_fixed apply: truncation
(``TRN``, towards minus infinity) and two's-complement wrap-around (``WRAP``).  The fifth
template parameter of ap_fixed (saturation bits) is accepted only as 0.

    parse_precision_string("ap_fixed<18,8,AP_RND_CONV,AP_SAT_SYM>")
        == ParsedPrecision(Format(k=1, i=7, f=10), Rounding.RND_CONV, Overflow.SAT_SYM)

Malformed strings and widths past ``MAX_WIDTH`` raise ``CompileError`` naming the column.
"""

from __future__ import annotations

from functools import cache
from typing import NamedTuple

from lark import Lark, Transformer, UnexpectedCharacters, UnexpectedEOF, UnexpectedInput

from .errors import CompileError
from .numerics import Format, Overflow, Rounding

MAX_WIDTH = 64
"""The widest type a user may ask for (hls4ml's activations and weights rarely pass 32)."""

_GRAMMAR = r"""
    start: FIXED_KIND "<" INT "," INT modes? ">"   -> fixed
         | FIXED_KIND "<" INT "," INT "," INT ">"   -> kif
         | INT_KIND "<" INT ">"                     -> integer

    modes: "," MODE ("," MODE ("," INT)?)?

    FIXED_KIND: /(ap_)?u?fixed/
    INT_KIND: /(ap_)?u?int/
    MODE: /(AP_)?[A-Z][A-Z_]*/i
    INT: /[+-]?[0-9]+/

    %import common.WS
    %ignore WS
"""

_ROUNDINGS = {"TRN": Rounding.TRN, "RND": Rounding.RND, "RND_CONV": Rounding.RND_CONV}
_OVERFLOWS = {"WRAP": Overflow.WRAP, "SAT": Overflow.SAT, "SAT_SYM": Overflow.SAT_SYM}


class ParsedPrecision(NamedTuple):
    """A precision string's meaning: the exact format and how values are brought into it."""

    format: Format
    rounding: Rounding
    overflow: Overflow


class _Spec(NamedTuple):
    signed: bool
    width: int
    integer: int
    modes: tuple[str, ...]  # the raw mode names and saturation-bit count, as written
    mode_columns: tuple[int, ...]


class _Kif(NamedTuple):
    kind: str
    format: Format


class _ToSpec(Transformer):
    def kif(self, items):
        kind, k, i, f = items
        return _Kif(str(kind), Format(int(k), int(i), int(f)))

    def fixed(self, items):
        kind, width, integer, *rest = items
        modes = rest[0] if rest else ((), ())
        return _Spec(not kind.endswith("ufixed"), int(width), int(integer), *modes)

    def integer(self, items):
        kind, width = items
        return _Spec(not kind.endswith("uint"), int(width), int(width), (), ())

    def modes(self, items):
        return tuple(str(t) for t in items), tuple(t.column for t in items)


@cache
def _parser() -> Lark:
    """The grammar's parser, built on first use (50 ms: most compiles parse no string)."""
    return Lark(_GRAMMAR, parser="lalr", transformer=_ToSpec())


def parse_precision_string(text: str, where: str = "precision") -> ParsedPrecision:
    """Parse an hls4ml precision string; ``where`` names its origin in error messages."""
    try:
        spec: _Spec | _Kif = _parser().parse(text)
    except UnexpectedInput as e:
        raise CompileError(where, _syntax_message(text, e)) from None
    if isinstance(spec, _Kif):
        return _kif_precision(text, spec.kind, spec.format, where)
    if not 1 <= spec.width <= MAX_WIDTH:
        raise CompileError(
            where,
            f"'{text}': width {spec.width} is outside the supported 1..{MAX_WIDTH} bits",
        )
    rounding, overflow = _modes(text, spec, where)
    fractional = spec.width - spec.integer
    if spec.signed:
        fmt = Format(1, spec.integer - 1, fractional)
    else:
        fmt = Format(0, spec.integer, fractional)
    return ParsedPrecision(fmt, rounding, overflow)


def _kif_precision(text: str, kind: str, fmt: Format, where: str) -> ParsedPrecision:
    if kind != "fixed":
        raise CompileError(where, f"'{text}': three numbers spell this project's format "
                                  f"fixed<k,i,f>; '{kind}' takes <width,integer[,modes]>")
    if fmt.k not in (0, 1) or not 1 <= fmt.width <= MAX_WIDTH:
        raise CompileError(where, f"'{text}': fixed<k,i,f> needs k in {{0, 1}} and a width "
                                  f"k+i+f of 1..{MAX_WIDTH} bits, got k={fmt.k}, width {fmt.width}")
    return ParsedPrecision(fmt, Rounding.RND_CONV, Overflow.SAT)


def format_precision_string(precision: ParsedPrecision) -> str:
    """The hls4ml spelling of a precision (``parse_precision_string`` inverts it)."""
    fmt = precision.format
    kind = "fixed" if fmt.k else "ufixed"
    integer = fmt.i + fmt.k
    return f"{kind}<{fmt.width},{integer},{precision.rounding.value},{precision.overflow.value}>"


def _modes(text: str, spec: _Spec, where: str) -> tuple[Rounding, Overflow]:
    names = [m.upper().removeprefix("AP_") for m in spec.modes]
    rounding, overflow = Rounding.TRN, Overflow.WRAP
    if names:
        rounding = _lookup(_ROUNDINGS, names[0], "rounding", text, spec.mode_columns[0], where)
    if len(names) > 1:
        overflow = _lookup(_OVERFLOWS, names[1], "overflow", text, spec.mode_columns[1], where)
    if len(names) > 2 and int(names[2]) != 0:
        raise CompileError(
            where,
            f"'{text}' column {spec.mode_columns[2]}: saturation bits {names[2]} are not "
            "supported (only 0)",
        )
    return rounding, overflow


def _lookup(table: dict, name: str, role: str, text: str, column: int, where: str):
    if name not in table:
        known = ", ".join(f"AP_{n}" for n in table)
        raise CompileError(
            where,
            f"'{text}' column {column}: unsupported {role} mode '{name}' (supported: {known})",
        )
    return table[name]


def _syntax_message(text: str, error: UnexpectedInput) -> str:
    token = getattr(error, "token", None)
    if isinstance(error, UnexpectedEOF) or (token is not None and token.type == "$END"):
        column = len(text) + 1
        what = "unexpected end of the string"
    elif isinstance(error, UnexpectedCharacters):
        column = error.column
        what = f"unexpected character {text[error.pos_in_stream]!r}"
    else:
        column = error.column
        what = f"unexpected {str(token)!r}" if token is not None else "unexpected input"
    pointer = " " * (column - 1) + "^"
    return (
        f"malformed precision at column {column}: {what}; expected e.g. 'fixed<16,6>', "
        f"'ap_ufixed<8,0,AP_RND,AP_SAT>' or 'int<8>'\n  {text}\n  {pointer}"
    )
