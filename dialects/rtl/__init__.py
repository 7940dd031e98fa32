"""The ``rtl`` dialect: signless bit vectors of explicit width, modelled on CIRCT's
hw / comb / seq split, as the last IR before Verilog.

Values are builtin signless integers ``iN``: bags of N bits with no sign.  Signedness
lives in the operations that need it (``sext``, ``icmp slt``) and in the fixed-point
format recorded on each module port.  Every operation is strict about widths; nothing is
extended or truncated implicitly:

    rtl.module @dense(%x0: i8 fixed<1,7,0>, %x1: i8 fixed<1,7,0>)
        -> (y0: i9 fixed<1,8,0>) clock "clk" latency 1 {
      %a = rtl.sext %x0 : i8 to i9
      %b = rtl.sext %x1 : i8 to i9
      %s = rtl.add %a, %b : i9
      %r = rtl.reg %s : i9
      rtl.output %r : i9
    }

Operations: ``module`` / ``output`` (structure), ``constant``, ``add`` / ``sub`` (modulo
2^N, all three widths equal), ``extract`` (bit slice), ``concat`` (first operand is the
most significant), ``sext`` / ``zext``, ``icmp``, ``mux``, ``rom`` (a table of constants
indexed by an unsigned input) and ``reg`` (a register clocked by the module's clock).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache
from typing import ClassVar

from xdsl.dialects.builtin import (
    I1,
    I64,
    ArrayAttr,
    DenseArrayBase,
    FunctionType,
    IntAttr,
    IntegerAttr,
    IntegerType,
    Signedness,
    SignlessIntegerConstraint,
    StringAttr,
    SymbolNameConstraint,
    i64,
)
from xdsl.ir import (
    Attribute,
    Block,
    Dialect,
    Operation,
    ParametrizedAttribute,
    Region,
    SSAValue,
)
from xdsl.irdl import (
    IRDLOperation,
    VarConstraint,
    irdl_attr_definition,
    irdl_op_definition,
    operand_def,
    opt_prop_def,
    prop_def,
    region_def,
    result_def,
    traits_def,
    var_operand_def,
)
from xdsl.parser import AttrParser, Parser
from xdsl.printer import Printer
from xdsl.traits import (
    CallableOpInterface,
    HasParent,
    IsolatedFromAbove,
    IsTerminator,
    Pure,
    SymbolOpInterface,
)
from xdsl.utils.exceptions import VerifyException

from ...numerics import Format

# ---------------------------------------------------------------------------------------
# Helpers


def width_of(value: SSAValue | Attribute) -> int:
    """The bit width of an ``iN`` value or type."""
    typ = value.type if isinstance(value, SSAValue) else value
    assert isinstance(typ, IntegerType)
    return typ.width.data


@cache
def bits(width: int) -> IntegerType:
    """The type ``iN`` (one shared instance per width: attributes are immutable, and
    building one costs more than the operation that uses it)."""
    return IntegerType(width)


def _build(
    op: IRDLOperation,
    operands: Sequence[SSAValue | Operation],
    result_type: Attribute,
    properties: dict[str, Attribute] | None = None,
) -> None:
    """Initialize ``op`` with its operands, its one result and its properties.  This is
    what IRDLOperation's generic builder ends in, without its checks of which argument
    fills which operand definition: each builder below passes exactly its op's operands,
    and lowering a network builds thousands of ops, at half the cost this way."""
    Operation.__init__(
        op,
        operands=[SSAValue.get(v) for v in operands],
        result_types=[result_type],
        properties=properties or {},
    )


VERILOG_KEYWORDS = frozenset(
    """always and assign automatic begin buf bufif0 bufif1 case casex casez cell cmos config
    deassign default defparam design disable edge else end endcase endconfig endfunction
    endgenerate endmodule endprimitive endspecify endtable endtask event for force forever
    fork function generate genvar highz0 highz1 if ifnone incdir include initial inout input
    instance integer join large liblist library localparam macromodule medium module nand
    negedge nmos nor noshowcancelled not notif0 notif1 or output parameter pmos posedge
    primitive pull0 pull1 pulldown pullup pulsestyle_onevent pulsestyle_ondetect rcmos real
    realtime reg release repeat rnmos rpmos rtran rtranif0 rtranif1 scalared showcancelled
    signed small specify specparam strong0 strong1 supply0 supply1 table task time tran
    tranif0 tranif1 tri tri0 tri1 triand trior trireg unsigned use uwire vectored wait wand
    weak0 weak1 while wire wor xnor xor logic bit byte int""".split()
)
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")


def is_port_name(name: str) -> bool:
    """A name usable as a Verilog port: a simple identifier that is not a keyword."""
    return bool(_IDENTIFIER.match(name)) and name not in VERILOG_KEYWORDS


# ---------------------------------------------------------------------------------------
# Attributes


@irdl_attr_definition
class FixedFormatAttr(ParametrizedAttribute):
    """The fixed-point format ``fixed<k,i,f>`` of a port (see numerics.Format)."""

    name = "rtl.fixed"

    k: IntAttr
    i: IntAttr
    f: IntAttr

    def __init__(self, fmt: Format):
        super().__init__(IntAttr(fmt.k), IntAttr(fmt.i), IntAttr(fmt.f))

    @property
    def format(self) -> Format:
        return Format(self.k.data, self.i.data, self.f.data)

    @classmethod
    def parse_parameters(cls, parser: AttrParser) -> tuple[IntAttr, IntAttr, IntAttr]:
        pos = parser.pos
        values = parser.parse_comma_separated_list(parser.Delimiter.ANGLE, parser.parse_integer)
        if len(values) != 3:
            parser.raise_error("expected <k,i,f>", pos, parser.pos)
        return tuple(IntAttr(v) for v in values)

    def print_parameters(self, printer: Printer) -> None:
        printer.print_string(f"<{self.k.data},{self.i.data},{self.f.data}>")

    def verify(self) -> None:
        if self.k.data not in (0, 1):
            raise VerifyException(f"sign bit k must be 0 or 1 in {self.format}")
        if self.format.width < 1:
            raise VerifyException(f"a port needs at least one bit, {self.format} has none")


def _parse_port_format(parser: Parser) -> FixedFormatAttr:
    parser.parse_keyword("fixed", " (the port's fixed-point format)")
    pos = parser.pos
    values = parser.parse_comma_separated_list(parser.Delimiter.ANGLE, parser.parse_integer)
    if len(values) != 3:
        parser.raise_error("expected fixed<k,i,f>", pos, parser.pos)
    return FixedFormatAttr(Format(*values))


# ---------------------------------------------------------------------------------------
# Structure

Port = tuple[str, int | Attribute, Format | FixedFormatAttr]
"""A module port for the builder: name, width (or type) and fixed-point format."""


def _port_type(width_or_type: int | Attribute) -> Attribute:
    return bits(width_or_type) if isinstance(width_or_type, int) else width_or_type


def _port_format(fmt: Format | FixedFormatAttr) -> FixedFormatAttr:
    return fmt if isinstance(fmt, FixedFormatAttr) else FixedFormatAttr(fmt)


class ModuleCallable(CallableOpInterface):
    """Lets interpreters call a module like a function: inputs in, outputs out."""

    @classmethod
    def get_callable_region(cls, op: Operation) -> Region:
        assert isinstance(op, ModuleOp)
        return op.body

    @classmethod
    def get_argument_types(cls, op: Operation) -> tuple[Attribute, ...]:
        assert isinstance(op, ModuleOp)
        return op.function_type.inputs.data

    @classmethod
    def get_result_types(cls, op: Operation) -> tuple[Attribute, ...]:
        assert isinstance(op, ModuleOp)
        return op.function_type.outputs.data


@irdl_op_definition
class ModuleOp(IRDLOperation):
    """A hardware module: named, typed input and output ports, each with its fixed-point
    format; an optional clock (required when the body holds registers) and the pipeline
    latency in cycles (set by rtl-pipeline).  The body's arguments are the inputs; its
    ``rtl.output`` gives the outputs."""

    name = "rtl.module"

    sym_name = prop_def(SymbolNameConstraint())
    function_type = prop_def(FunctionType)
    input_names = prop_def(ArrayAttr[StringAttr])
    output_names = prop_def(ArrayAttr[StringAttr])
    input_formats = prop_def(ArrayAttr[FixedFormatAttr])
    output_formats = prop_def(ArrayAttr[FixedFormatAttr])
    clock = opt_prop_def(StringAttr)
    latency = opt_prop_def(IntegerAttr[I64])

    body = region_def("single_block")

    traits = traits_def(IsolatedFromAbove(), SymbolOpInterface(), ModuleCallable())

    def __init__(
        self,
        name: str,
        inputs: Sequence[Port],
        outputs: Sequence[Port],
        body: Region | None = None,
        clock: str | None = None,
        latency: int | None = None,
    ):
        """``inputs``/``outputs``: (port name, width or type, format).  Without ``body``,
        an empty block with the input arguments is made (append ops, then an output)."""
        input_types = [_port_type(t) for _, t, _ in inputs]
        if body is None:
            block = Block(arg_types=input_types)
            for arg, (port, _, _) in zip(block.args, inputs):
                arg.name_hint = port
            body = Region(block)
        super().__init__(
            properties={
                "sym_name": StringAttr(name),
                "function_type": FunctionType.from_lists(
                    input_types, [_port_type(t) for _, t, _ in outputs]
                ),
                "input_names": ArrayAttr([StringAttr(p) for p, _, _ in inputs]),
                "output_names": ArrayAttr([StringAttr(p) for p, _, _ in outputs]),
                "input_formats": ArrayAttr([_port_format(f) for _, _, f in inputs]),
                "output_formats": ArrayAttr([_port_format(f) for _, _, f in outputs]),
                "clock": StringAttr(clock) if clock is not None else None,
                "latency": IntegerAttr(latency, i64) if latency is not None else None,
            },
            regions=[body],
        )

    # -- accessors ---------------------------------------------------------------------

    @property
    def block(self) -> Block:
        return self.body.block

    @property
    def inputs(self) -> list[tuple[str, SSAValue, Format]]:
        return [
            (n.data, arg, fmt.format)
            for n, arg, fmt in zip(self.input_names, self.block.args, self.input_formats)
        ]

    @property
    def output_op(self) -> OutputOp:
        last = self.block.last_op
        assert isinstance(last, OutputOp)
        return last

    @property
    def outputs(self) -> list[tuple[str, SSAValue, Format]]:
        return [
            (n.data, v, fmt.format)
            for n, v, fmt in zip(
                self.output_names, self.output_op.outputs, self.output_formats
            )
        ]

    @property
    def latency_cycles(self) -> int:
        return 0 if self.latency is None else self.latency.value.data

    # -- verification ------------------------------------------------------------------

    def verify_(self) -> None:
        if not is_port_name(self.sym_name.data):
            raise VerifyException(
                f"module name '{self.sym_name.data}' is not a Verilog identifier"
            )
        ftype = self.function_type
        ins, outs = ftype.inputs.data, ftype.outputs.data
        if tuple(a.type for a in self.block.args) != tuple(ins):
            raise VerifyException("body arguments must match the module's input types")
        self._verify_ports("input", self.input_names, self.input_formats, ins)
        self._verify_ports("output", self.output_names, self.output_formats, outs)
        names = [n.data for n in (*self.input_names, *self.output_names)]
        if self.clock is not None:
            names.append(self.clock.data)
            if not is_port_name(self.clock.data):
                raise VerifyException(f"clock name '{self.clock.data}' is not a Verilog identifier")
        duplicates = sorted({n for n in names if names.count(n) > 1})
        if duplicates:
            raise VerifyException(f"port names must be unique, repeated: {', '.join(duplicates)}")
        last = self.block.last_op
        if not isinstance(last, OutputOp):
            raise VerifyException("the body must end with rtl.output")
        if tuple(v.type for v in last.outputs) != tuple(outs):
            raise VerifyException("rtl.output operand types must match the module's output types")
        for op in self.block.ops:
            if op.dialect_name() != "rtl":
                raise VerifyException(f"rtl.module holds rtl operations only, found {op.name}")
            for value in op.results:
                if isinstance(value.type, IntegerType) and value.type.width.data < 1:
                    raise VerifyException(f"{op.name} yields {value.type}: values need a bit at least")
        if self.clock is None and any(isinstance(op, RegOp) for op in self.block.ops):
            raise VerifyException("a module with registers needs a clock")
        if self.latency is not None and self.latency.value.data < 0:
            raise VerifyException("latency must be >= 0")

    @staticmethod
    def _verify_ports(kind: str, names, formats, types) -> None:
        if not (len(names) == len(formats) == len(types)):
            raise VerifyException(
                f"{len(types)} {kind} types but {len(names)} names and {len(formats)} formats"
            )
        for name, fmt, typ in zip(names, formats, types):
            if not is_port_name(name.data):
                raise VerifyException(f"{kind} name '{name.data}' is not a Verilog identifier")
            if not isinstance(typ, IntegerType) or typ.signedness.data != Signedness.SIGNLESS:
                raise VerifyException(f"{kind} '{name.data}' must be a signless integer")
            if fmt.format.width != typ.width.data:
                raise VerifyException(
                    f"{kind} '{name.data}' is {typ} but its format {fmt.format} "
                    f"has {fmt.format.width} bits"
                )

    # -- custom syntax -----------------------------------------------------------------
    #   rtl.module @name(%a: i8 fixed<1,7,0>, ...) -> (y: i9 fixed<1,8,0>, ...)
    #       [clock "clk"] [latency N] [attributes {...}] { body }

    RESERVED: ClassVar[list[str]] = (
        "sym_name function_type input_names output_names input_formats output_formats "
        "clock latency"
    ).split()

    def print(self, printer: Printer) -> None:
        printer.print_string(" ")
        printer.print_symbol_name(self.sym_name.data)
        for name, arg, _ in self.inputs:
            if is_port_name(name):
                arg.name_hint = name

        def print_input(i: int) -> None:
            printer.print_block_argument(self.block.args[i])
            printer.print_string(f" {self.input_formats.data[i].format}")

        def print_output(i: int) -> None:
            printer.print_string(f"{self.output_names.data[i].data}: ")
            printer.print_attribute(self.function_type.outputs.data[i])
            printer.print_string(f" {self.output_formats.data[i].format}")

        with printer.in_parens():
            printer.print_list(range(len(self.block.args)), print_input)
        printer.print_string(" -> ")
        with printer.in_parens():
            printer.print_list(range(len(self.output_names)), print_output)
        if self.clock is not None:
            printer.print_string(" clock ")
            printer.print_string_literal(self.clock.data)
        if self.latency is not None:
            printer.print_string(f" latency {self.latency.value.data}")
        printer.print_op_attributes(
            self.attributes, reserved_attr_names=self.RESERVED, print_keyword=True
        )
        printer.print_string(" ")
        printer.print_region(self.body, print_entry_block_args=False)

    @classmethod
    def parse(cls, parser: Parser) -> ModuleOp:
        name = parser.parse_symbol_name().data

        def parse_input() -> tuple[Parser.Argument, FixedFormatAttr]:
            return parser.parse_argument(), _parse_port_format(parser)

        def parse_output() -> tuple[str, Attribute, FixedFormatAttr]:
            port = parser.parse_identifier(" (output port name)")
            parser.parse_punctuation(":")
            return port, parser.parse_type(), _parse_port_format(parser)

        inputs = parser.parse_comma_separated_list(parser.Delimiter.PAREN, parse_input)
        parser.parse_punctuation("->")
        outputs = parser.parse_comma_separated_list(parser.Delimiter.PAREN, parse_output)
        clock = None
        if parser.parse_optional_keyword("clock"):
            clock = parser.parse_str_literal(" (clock port name)")
        latency = None
        if parser.parse_optional_keyword("latency"):
            latency = parser.parse_integer(allow_boolean=False, allow_negative=False)
        extra = parser.parse_optional_attr_dict_with_keyword(cls.RESERVED)
        body = parser.parse_region([arg for arg, _ in inputs])
        op = cls(
            name,
            [(arg.name.text[1:], arg.type, fmt) for arg, fmt in inputs],
            outputs,
            body=body,
            clock=clock,
            latency=latency,
        )
        if extra is not None:
            op.attributes |= extra.data
        return op


@irdl_op_definition
class OutputOp(IRDLOperation):
    """The module's outputs, in port order: ``rtl.output %a, %b : i8, i9``."""

    name = "rtl.output"

    outputs = var_operand_def(SignlessIntegerConstraint)

    assembly_format = "($outputs^ `:` type($outputs))? attr-dict"

    traits = traits_def(IsTerminator(), HasParent(ModuleOp), Pure())

    def __init__(self, outputs: Sequence[SSAValue | Operation]):
        super().__init__(operands=[outputs])


# ---------------------------------------------------------------------------------------
# Combinational logic


@irdl_op_definition
class ConstantOp(IRDLOperation):
    """A constant bit vector: ``rtl.constant -3 : i8`` (the bits of -3 mod 2^8, 0xfd).
    The value may be written signed or unsigned; both denote the same bits."""

    name = "rtl.constant"

    value = prop_def(IntegerAttr[IntegerType])
    result = result_def(SignlessIntegerConstraint)

    traits = traits_def(Pure())

    def __init__(self, value: int, width: int):
        typ = bits(width)
        _build(self, [], typ, {"value": IntegerAttr(value, typ)})

    @property
    def bits_value(self) -> int:
        """The constant as an unsigned bit pattern in [0, 2^width)."""
        return self.value.value.data % (1 << width_of(self.result))

    def verify_(self) -> None:
        if self.value.type != self.result.type:
            raise VerifyException(
                f"value type {self.value.type} must equal the result type {self.result.type}"
            )

    def print(self, printer: Printer) -> None:
        printer.print_string(f" {self.value.value.data}")
        printer.print_op_attributes(self.attributes)
        printer.print_string(" : ")
        printer.print_attribute(self.result.type)

    @classmethod
    def parse(cls, parser: Parser) -> ConstantOp:
        pos = parser.pos
        value = parser.parse_integer(allow_boolean=False)
        attrs = parser.parse_optional_attr_dict()
        parser.parse_punctuation(":")
        typ = parser.parse_type()
        if not isinstance(typ, IntegerType):
            parser.raise_error("rtl.constant needs an integer type", pos, parser.pos)
        w = typ.width.data
        if w < 1 or not -(1 << (w - 1)) <= value < (1 << w):
            parser.raise_error(f"{value} does not fit in {w} bits", pos, parser.pos)
        op = cls(value, w)
        op.attributes |= attrs
        return op


class _BinaryOp(IRDLOperation):
    T: ClassVar = VarConstraint("T", SignlessIntegerConstraint)

    lhs = operand_def(T)
    rhs = operand_def(T)
    result = result_def(T)

    assembly_format = "$lhs `,` $rhs attr-dict `:` type($result)"

    traits = traits_def(Pure())

    def __init__(self, lhs: SSAValue | Operation, rhs: SSAValue | Operation):
        _build(self, [lhs, rhs], SSAValue.get(lhs).type)


@irdl_op_definition
class AddOp(_BinaryOp):
    """Sum modulo 2^N of two N-bit vectors (extend the operands first for a full sum)."""

    name = "rtl.add"


@irdl_op_definition
class SubOp(_BinaryOp):
    """Difference modulo 2^N of two N-bit vectors."""

    name = "rtl.sub"


@irdl_op_definition
class TernaryAddOp(IRDLOperation):
    """``a ± b ± c`` modulo 2^N of three N-bit vectors, one three-input adder (one LUT per
    bit on Xilinx, see backends/xilinx_primitives.py).  ``signs`` holds one ``+`` or ``-``
    per operand, the first a ``+``: ``rtl.add3 %a, %b, %c signs "+-+" : i8``."""

    name = "rtl.add3"

    T: ClassVar = VarConstraint("T", SignlessIntegerConstraint)

    a = operand_def(T)
    b = operand_def(T)
    c = operand_def(T)
    signs = prop_def(StringAttr)
    result = result_def(T)

    assembly_format = "$a `,` $b `,` $c `signs` $signs attr-dict `:` type($result)"

    traits = traits_def(Pure())

    def __init__(self, a: SSAValue | Operation, b: SSAValue | Operation, c: SSAValue | Operation,
                 signs: str):
        _build(self, [a, b, c], SSAValue.get(a).type, {"signs": StringAttr(signs)})

    @property
    def negated(self) -> tuple[bool, bool, bool]:
        """Whether each operand is subtracted."""
        return tuple(s == "-" for s in self.signs.data)

    def verify_(self) -> None:
        signs = self.signs.data
        if len(signs) != 3 or set(signs) - {"+", "-"} or signs[0] != "+":
            raise VerifyException(f'rtl.add3 signs must be three of "+" and "-", the first "+"; got "{signs}"')


@cache
def _i64_attr(value: int) -> IntegerAttr:
    """``value : i64``, one shared instance per value (bit positions repeat thousands
    of times in a lowered network; see ``bits``)."""
    return IntegerAttr(value, i64)


@irdl_op_definition
class ExtractOp(IRDLOperation):
    """Bits ``[low, low + M)`` of the input: ``rtl.extract %x from 2 : i8 to i4``."""

    name = "rtl.extract"

    input = operand_def(SignlessIntegerConstraint)
    low_bit = prop_def(IntegerAttr[I64])
    result = result_def(SignlessIntegerConstraint)

    assembly_format = "$input `from` $low_bit attr-dict `:` type($input) `to` type($result)"

    traits = traits_def(Pure())

    def __init__(self, value: SSAValue | Operation, low_bit: int, width: int):
        _build(self, [value], bits(width), {"low_bit": _i64_attr(low_bit)})

    @property
    def low(self) -> int:
        return self.low_bit.value.data

    def verify_(self) -> None:
        low, w, n = self.low, width_of(self.result), width_of(self.input)
        if low < 0 or low + w > n:
            raise VerifyException(f"bits [{low}, {low + w}) are outside the {n}-bit input")


@irdl_op_definition
class ConcatOp(IRDLOperation):
    """Concatenation, first operand most significant: ``rtl.concat %hi, %lo : i4, i3``
    gives an i7."""

    name = "rtl.concat"

    inputs = var_operand_def(SignlessIntegerConstraint)
    result = result_def(SignlessIntegerConstraint)

    traits = traits_def(Pure())

    def __init__(self, inputs: Sequence[SSAValue | Operation]):
        width = sum(width_of(SSAValue.get(v)) for v in inputs)
        _build(self, inputs, bits(width))

    def verify_(self) -> None:
        if not self.inputs:
            raise VerifyException("rtl.concat needs at least one operand")
        total = sum(width_of(v) for v in self.inputs)
        if total != width_of(self.result):
            raise VerifyException(
                f"result has {width_of(self.result)} bits, the operands sum to {total}"
            )

    def print(self, printer: Printer) -> None:
        printer.print_string(" ")
        printer.print_list(self.inputs, printer.print_operand)
        printer.print_op_attributes(self.attributes)
        printer.print_string(" : ")
        printer.print_list([v.type for v in self.inputs], printer.print_attribute)

    @classmethod
    def parse(cls, parser: Parser) -> ConcatOp:
        pos = parser.pos
        operands = parser.parse_comma_separated_list(
            parser.Delimiter.NONE, parser.parse_unresolved_operand
        )
        attrs = parser.parse_optional_attr_dict()
        parser.parse_punctuation(":")
        types = parser.parse_comma_separated_list(parser.Delimiter.NONE, parser.parse_type)
        op = cls(parser.resolve_operands(operands, types, pos))
        op.attributes |= attrs
        return op


class _ExtendOp(IRDLOperation):
    input = operand_def(SignlessIntegerConstraint)
    result = result_def(SignlessIntegerConstraint)

    assembly_format = "$input attr-dict `:` type($input) `to` type($result)"

    traits = traits_def(Pure())

    def __init__(self, value: SSAValue | Operation, width: int):
        _build(self, [value], bits(width))

    def verify_(self) -> None:
        if width_of(self.result) < width_of(self.input):
            raise VerifyException(
                f"cannot extend {self.input.type} to the narrower {self.result.type}"
            )


@irdl_op_definition
class SExtOp(_ExtendOp):
    """Sign extension (replicate the top bit): ``rtl.sext %x : i8 to i10``."""

    name = "rtl.sext"


@irdl_op_definition
class ZExtOp(_ExtendOp):
    """Zero extension: ``rtl.zext %x : i8 to i10``."""

    name = "rtl.zext"


ICMP_PREDICATES = ("eq", "ne", "slt", "sle", "sgt", "sge", "ult", "ule", "ugt", "uge")


@irdl_op_definition
class ICmpOp(IRDLOperation):
    """Comparison giving an i1: ``rtl.icmp slt %a, %b : i8``; s* predicates read the
    operands as two's complement, u* as unsigned."""

    name = "rtl.icmp"

    T: ClassVar = VarConstraint("T", SignlessIntegerConstraint)

    predicate = prop_def(StringAttr)
    lhs = operand_def(T)
    rhs = operand_def(T)
    result = result_def(I1)

    traits = traits_def(Pure())

    def __init__(self, predicate: str, lhs: SSAValue | Operation, rhs: SSAValue | Operation):
        _build(self, [lhs, rhs], bits(1), {"predicate": StringAttr(predicate)})

    def verify_(self) -> None:
        if self.predicate.data not in ICMP_PREDICATES:
            raise VerifyException(
                f"unknown predicate '{self.predicate.data}', expected one of "
                + ", ".join(ICMP_PREDICATES)
            )

    def print(self, printer: Printer) -> None:
        printer.print_string(f" {self.predicate.data} ")
        printer.print_list((self.lhs, self.rhs), printer.print_operand)
        printer.print_op_attributes(self.attributes)
        printer.print_string(" : ")
        printer.print_attribute(self.lhs.type)

    @classmethod
    def parse(cls, parser: Parser) -> ICmpOp:
        pos = parser.pos
        predicate = parser.parse_identifier(" (comparison predicate)")
        if predicate not in ICMP_PREDICATES:
            parser.raise_error(
                f"unknown predicate '{predicate}', expected one of " + ", ".join(ICMP_PREDICATES),
                pos,
                parser.pos,
            )
        lhs = parser.parse_unresolved_operand()
        parser.parse_punctuation(",")
        rhs = parser.parse_unresolved_operand()
        attrs = parser.parse_optional_attr_dict()
        parser.parse_punctuation(":")
        typ = parser.parse_type()
        lhs_v, rhs_v = parser.resolve_operands([lhs, rhs], [typ, typ], pos)
        op = cls(predicate, lhs_v, rhs_v)
        op.attributes |= attrs
        return op


@irdl_op_definition
class MuxOp(IRDLOperation):
    """``rtl.mux %c, %t, %f : i8`` is %t where %c is 1, else %f."""

    name = "rtl.mux"

    T: ClassVar = VarConstraint("T", SignlessIntegerConstraint)

    cond = operand_def(I1)
    true_value = operand_def(T)
    false_value = operand_def(T)
    result = result_def(T)

    assembly_format = "$cond `,` $true_value `,` $false_value attr-dict `:` type($result)"

    traits = traits_def(Pure())

    def __init__(
        self,
        cond: SSAValue | Operation,
        true_value: SSAValue | Operation,
        false_value: SSAValue | Operation,
    ):
        _build(self, [cond, true_value, false_value], SSAValue.get(true_value).type)


MAX_ROM_INDEX_BITS = 16


@irdl_op_definition
class RomOp(IRDLOperation):
    """A lookup table: entry ``table[index]`` for an unsigned M-bit index, 2^M entries.
    ``rtl.rom %i [0, 1, 4, 9] : i2 -> i4``.  Entries may be written signed or unsigned
    (their low N bits are the output); outputs are at most 64 bits wide."""

    name = "rtl.rom"

    index = operand_def(SignlessIntegerConstraint)
    table = prop_def(DenseArrayBase[I64])
    result = result_def(SignlessIntegerConstraint)

    traits = traits_def(Pure())

    def __init__(self, index: SSAValue | Operation, table: Sequence[int], width: int):
        _build(self, [index], bits(width), {"table": DenseArrayBase.from_list(i64, list(table))})

    @property
    def entries(self) -> tuple[int, ...]:
        return self.table.get_values()

    def verify_(self) -> None:
        m, n = width_of(self.index), width_of(self.result)
        if m > MAX_ROM_INDEX_BITS:
            raise VerifyException(
                f"a {m}-bit index is too wide for a ROM (at most {MAX_ROM_INDEX_BITS})"
            )
        if n > 64:
            raise VerifyException(f"ROM outputs are at most 64 bits, got {n}")
        entries = self.entries
        if len(entries) != 1 << m:
            raise VerifyException(
                f"a {m}-bit index needs {1 << m} table entries, got {len(entries)}"
            )
        lo, hi = -(1 << (n - 1)), (1 << n) - 1
        for pos, e in enumerate(entries):
            if not lo <= e <= hi:
                raise VerifyException(f"entry {pos} ({e}) does not fit in {n} bits")

    def print(self, printer: Printer) -> None:
        printer.print_string(" ")
        printer.print_operand(self.index)
        printer.print_string(" [")
        printer.print_list(self.entries, lambda e: printer.print_string(str(e)))
        printer.print_string("]")
        printer.print_op_attributes(self.attributes)
        printer.print_string(" : ")
        printer.print_attribute(self.index.type)
        printer.print_string(" -> ")
        printer.print_attribute(self.result.type)

    @classmethod
    def parse(cls, parser: Parser) -> RomOp:
        pos = parser.pos
        index = parser.parse_unresolved_operand()
        table = parser.parse_comma_separated_list(
            parser.Delimiter.SQUARE, lambda: parser.parse_integer(allow_boolean=False)
        )
        attrs = parser.parse_optional_attr_dict()
        parser.parse_punctuation(":")
        index_type = parser.parse_type()
        parser.parse_punctuation("->")
        result_type = parser.parse_type()
        if not isinstance(result_type, IntegerType):
            parser.raise_error("rtl.rom needs an integer result type", pos, parser.pos)
        if any(not -(1 << 63) <= e < (1 << 63) for e in table):
            parser.raise_error("ROM entries must fit in 64-bit signed integers", pos, parser.pos)
        (index_v,) = parser.resolve_operands([index], [index_type], pos)
        op = cls(index_v, table, result_type.width.data)
        op.attributes |= attrs
        return op


# ---------------------------------------------------------------------------------------
# Sequential logic


@irdl_op_definition
class RegOp(IRDLOperation):
    """A register on the module's clock: its value in cycle t is the input's value in
    cycle t-1.  ``rtl.reg %x : i8``."""

    name = "rtl.reg"

    T: ClassVar = VarConstraint("T", SignlessIntegerConstraint)

    input = operand_def(T)
    result = result_def(T)

    assembly_format = "$input attr-dict `:` type($result)"

    def __init__(self, value: SSAValue | Operation):
        _build(self, [value], SSAValue.get(value).type)


ARITHMETIC_OPS = (AddOp, SubOp)

Rtl = Dialect(
    "rtl",
    [
        ModuleOp,
        OutputOp,
        ConstantOp,
        AddOp,
        SubOp,
        TernaryAddOp,
        ExtractOp,
        ConcatOp,
        SExtOp,
        ZExtOp,
        ICmpOp,
        MuxOp,
        RomOp,
        RegOp,
    ],
    [FixedFormatAttr],
)
