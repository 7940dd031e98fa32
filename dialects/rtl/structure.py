"""Structure ops of the rtl dialect: ``rtl.module`` (ports with formats, clock, latency) and
``rtl.output``."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import ClassVar

from xdsl.dialects.builtin import (
    I64,
    ArrayAttr,
    FunctionType,
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
    Operation,
    Region,
    SSAValue,
)
from xdsl.irdl import (
    IRDLOperation,
    irdl_op_definition,
    opt_prop_def,
    prop_def,
    region_def,
    traits_def,
    var_operand_def,
)
from xdsl.parser import Parser
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
from .attributes import FixedFormatAttr, parse_port_format
from .bitvectors import bits, is_port_name
from .sequential import RegOp

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
        duplicates = sorted(n for n, count in Counter(names).items() if count > 1)  # linear time
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
            return parser.parse_argument(), parse_port_format(parser)

        def parse_output() -> tuple[str, Attribute, FixedFormatAttr]:
            port = parser.parse_identifier(" (output port name)")
            parser.parse_punctuation(":")
            return port, parser.parse_type(), parse_port_format(parser)

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
