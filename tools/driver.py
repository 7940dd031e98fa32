"""The ``fpga-opt`` driver: xDSL's opt driver with this project's dialects, passes, targets
and model frontends registered, and with user errors reported without a traceback.

Every xdsl-opt flag is kept (``-p``, ``-t``, ``--split-input-file``,
``--verify-diagnostics``, ``--print-between-passes``, ``-o`` ...).  Output goes to ``-o``
only when the whole run succeeded, so a failed run never leaves a partial file behind.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections.abc import Sequence
from importlib.metadata import PackageNotFoundError, version
from io import StringIO
from typing import IO, ClassVar

from xdsl.dialects.builtin import ModuleOp
from xdsl.ir import Attribute
from xdsl.utils.exceptions import (
    ArgSpecParseError,
    DiagnosticException,
    ParseError,
    VerifyException,
)
from xdsl.utils.mlir_lexer import MLIRLexer
from xdsl.xdsl_opt_main import xDSLOptMain

from ..errors import CompileError
from ..gc_paused import collector_paused
from ..importers.weight_values import with_strict_float_arithmetic
from ..registry import get_all_dialects, get_all_frontends, get_all_passes, get_all_targets
from .input_file import MAX_INPUT_BYTES, input_extension, read_input
from .interrupts import interrupts_handled
from .limits import MAX_VALUES, MAX_WEIGHT_BITS, Limits, check_limits, check_onnx_estimate
from .output_file import check_output_target, is_directory_target, write_output
from .program_checks import check_program, check_unique_symbols
from .command_line import command_line_error, help_text
from .pass_progress import instrumented
from .project_output import write_project_output
from .source_locations import LocatingParser, locate
from .surface import GENERIC_PASSES, GENERIC_TARGETS, keep_only


# xDSL 0.74 lexes string literals with a nested quantifier, ``(?:[^"...]+|escape)*"``, that
# backtracks exponentially on an unterminated string (a stray '"' in a long line hangs the
# parser).  The same language, matched one character at a time, fails in linear time.
MLIRLexer._unescaped_characters_regex = re.compile(
    r'"(?:[^"\\\n\v\f]|\\(?:["nt\\]|[0-9A-Fa-f]{2}))*"'
)


def _project_version() -> str:
    try:
        return version("fpga-opt")
    except PackageNotFoundError:
        return "unknown"


class FpgaOptMain(xDSLOptMain):
    version_format: ClassVar[str] = (
        f"fpga-opt {_project_version()} (xDSL {{xdsl_version}})"
    )

    def __init__(self, args: Sequence[str] | None = None):
        super().__init__(description=help_text(), args=args)

    def register_all_dialects(self):
        super().register_all_dialects()
        for name, factory in get_all_dialects().items():
            self.ctx.register_dialect(name, factory)

    def register_all_passes(self):
        super().register_all_passes()
        keep_only(self.available_passes, GENERIC_PASSES)
        for name, factory in get_all_passes().items():
            self.register_pass(name, factory)

    def register_all_targets(self):
        super().register_all_targets()
        keep_only(self.available_targets, GENERIC_TARGETS)
        self.available_targets.update(get_all_targets())

    def register_all_frontends(self):
        super().register_all_frontends()
        self.available_frontends["mlir"] = self._parse_mlir
        for extension, importer in get_all_frontends().items():
            self.available_frontends[extension] = self._file_frontend(with_strict_float_arithmetic(importer))

    def _parse_mlir(self, stream: IO[bytes]) -> ModuleOp:
        # Ops remember their file:line:col, so that verifier errors can name them.
        parser = LocatingParser(
            self.ctx, stream.read(), self.get_input_name(), self._chunk_line_offset
        )
        try:
            return parser.parse_module(not self.args.no_implicit_module)
        except VerifyException as e:  # an attribute or type refused while being built
            raise VerifyException(f"{parser.current_op_location()}: {e}") from None

    def parse_chunk(self, chunk: IO[bytes], file_extension: str, start_offset: int = 0):
        self._chunk_line_offset = start_offset
        if file_extension == "onnx":
            check_onnx_estimate(chunk.getvalue(), self.get_input_name(), self._limits())
        return super().parse_chunk(chunk, file_extension, start_offset)

    def get_input_stream(self):
        return read_input(self.args.input_file, self.args.max_input_bytes), ""

    def output_resulting_program(self, prog: ModuleOp) -> str:
        if self.args.disable_verify:  # names reach the target only once verified
            self._verify(prog)
        return super().output_resulting_program(prog)

    def _verify(self, prog: ModuleOp) -> None:
        check_unique_symbols(prog)
        try:
            prog.verify()
        except VerifyException as e:
            raise locate(e, prog) from None

    def _limits(self) -> Limits:
        return Limits(self.args.max_values, self.args.max_weight_bits)

    def apply_passes(self, prog: ModuleOp):
        check_limits(prog, self._limits(), self.get_input_name())  # before a long verification
        if not self.args.disable_verify:  # the whole-program checks read verified ops
            self._verify(prog)
        check_program(prog)
        try:
            super().apply_passes(prog)
        except VerifyException as e:
            raise locate(e, prog) from None

    def _file_frontend(self, importer):
        def parse(stream: IO[bytes]):
            return importer(
                stream.read(),
                self.get_input_name(),
                default_precision=self.args.default_precision,
                input_precision=self.args.input_precision,
                softmax=self.args.softmax,
                softmax_precision=self.args.softmax_precision,
                softmax_table_size=self.args.softmax_table_size,
                weights=self.args.weights,
            )

        return parse

    def register_all_arguments(self, arg_parser: argparse.ArgumentParser):
        super().register_all_arguments(arg_parser)
        arg_parser.formatter_class = argparse.RawDescriptionHelpFormatter
        arg_parser.error = command_line_error
        arg_parser.add_argument("-q", "--quiet", action="store_true",
                                help="no progress bar (it shows only on a terminal anyway)")
        arg_parser.add_argument(
            "--default-precision",
            help="precision of a float model's inputs, weights and layers, as hls4ml's "
            "'fixed<16,6>' or 'ap_fixed<16,6,AP_RND,AP_SAT>'",
        )
        arg_parser.add_argument(
            "--input-precision",
            help="hardware format of a model input that enters without a quantizer, "
            "as 'fixed<1,3,24>' (k, i, f) or an hls4ml string such as 'ap_fixed<16,6>'",
        )
        arg_parser.add_argument(
            "--softmax",
            choices=["argmax", "table"],
            help="how a Softmax is built: 'argmax' (default) drops a final Softmax and outputs "
            "its input, the logits, which keeps the ranking; 'table' computes the "
            "probabilities exactly as specified by exp and log tables (no multipliers)",
        )
        arg_parser.add_argument(
            "--softmax-precision",
            help="with --softmax table: the probabilities' precision, e.g. 'ufixed<11,1,RND,SAT>' "
            "(default: --default-precision, else ufixed<11,1,RND,SAT>)",
        )
        arg_parser.add_argument(
            "--softmax-table-size",
            type=int,
            help="with --softmax table: entries of each exp/log table, a power of two "
            "(default 1024, as hls4ml)",
        )
        arg_parser.add_argument(
            "--weights",
            help="the weights file (.h5) of a Keras 2 .json architecture (default: "
            "<stem>_weights.h5 beside it)",
        )
        arg_parser.add_argument(
            "--max-input-bytes",
            type=int,
            default=MAX_INPUT_BYTES,
            help=f"largest input file read (default {MAX_INPUT_BYTES:,} bytes)",
        )
        arg_parser.add_argument(
            "--max-values",
            type=int,
            default=MAX_VALUES,
            help=f"largest number of values (tensor elements) a program may compute (default {MAX_VALUES:,})",
        )
        arg_parser.add_argument(
            "--max-weight-bits",
            type=int,
            default=MAX_WEIGHT_BITS,
            help=f"largest total bits of constant weights (default {MAX_WEIGHT_BITS:,})",
        )
        arg_parser.add_argument(
            "--cutoff",
            type=int,
            default=0,
            help="for a model file without -p: pipeline registers every CUTOFF adder "
            "levels (0, the default: combinational)",
        )
        arg_parser.add_argument(
            "-j",
            "--jobs",
            type=int,
            help="for a model file without -p: worker processes solving the constant "
            "matrices (default: the machine's cores; the output is the same for any number)",
        )
        arg_parser.add_argument(
            "--clock-period",
            type=float,
            help="target clock period in ns: for a model file without -p, registers are placed "
            "by the delay model so that every stage fits; a project's XDC/SDC use it",
        )
        arg_parser.add_argument(
            "--top", help="with -o DIR/: the top module's name (default: after the model file)"
        )
        arg_parser.add_argument(
            "--part", help="with -o DIR/: the FPGA part of the build scripts "
            "(default xcvu13p-flga2577-2-e)"
        )
        arg_parser.add_argument(
            "--hdl", choices=["verilog", "vhdl"], default="verilog",
            help="with -o DIR/: vhdl also writes the design as VHDL-2008, <top>.vhd, beside "
            "the Verilog (which the wrapper, testbench and scripts use)",
        )
        arg_parser.add_argument(
            "--arch", choices=["generic", "xc7", "xcu"], default="generic",
            help="xc7 / xcu: three-input adders (cmvm-fuse-ternary), printed as Xilinx "
            "7-series / UltraScale LUT6_2 + CARRY4 / CARRY8 primitives by -t verilog and stats",
        )

    def prepare_input(self):
        self.args.frontend = input_extension(self.args.input_file, self.args.frontend,
                                             list(self.available_frontends))
        if self.args.output_file is not None:
            check_output_target(self.args.output_file, [self.args.input_file or "-"])
        return super().prepare_input()

    def setup_pipeline(self):
        """A model file given without ``-p`` runs the whole ``compile`` pipeline as one
        pass, or with ``--print-between-passes`` one stage per pass so that it shows each
        (for ``-t equivalence``, which compiles what it proves, only the precision
        inference)."""
        if not self.args.passes and self._input_is_model():
            from ..transforms.compile import Compile

            compile_pass = Compile(cutoff=self.args.cutoff, jobs=self.args.jobs,
                                   clock_period=self.args.clock_period or 0,
                                   ternary=self.args.arch != "generic")
            # one pass, verified before and after (as fpga_opt.compile): verifying a big
            # module between every stage took a third of a compile
            if self.args.target.startswith("equivalence"):
                self.args.passes = "fixedpoint-infer-precision"
            elif self.args.print_between_passes:
                self.args.passes = compile_pass.pipeline_spec()
            else:
                self.args.passes = str(compile_pass.pipeline_pass_spec())
        target, _, options = self.args.target.partition("{")
        if self.args.arch != "generic" and target in ("verilog", "stats") and "arch=" not in options:
            options = options.rstrip("}")
            self.args.target = f"{target}{{{options}{' ' if options else ''}arch={self.args.arch}}}"
        try:
            super().setup_pipeline()
        except ValueError as e:  # xDSL's pipeline parser: unknown pass, bad option
            raise CompileError(f"-p '{self.args.passes}'", str(e)) from None
        self.pipeline = instrumented(self.pipeline, self.args)

    def _input_is_model(self) -> bool:
        name = self.args.input_file or ""
        extension = os.path.splitext(name)[1].lstrip(".")
        return (self.args.frontend or extension) in get_all_frontends()

    def prepare_output(self) -> IO[str]:
        # Standard output is written as it comes, so that diagnostics printed by
        # --verify-diagnostics stay in order with the IR; a file is collected in memory
        # and written by `run` only once everything succeeded.
        if self.args.output_file is None:
            return sys.stdout
        self._output = _Unclosable()
        return self._output

    def run(self):
        try:
            super().run()
        except IsADirectoryError:
            raise CompileError(self.args.input_file, "is a directory, not a file") from None
        except RecursionError:
            raise CompileError(self.get_input_name(), "is nested too deeply to compile "
                               "(Python's recursion limit)") from None
        except UnicodeDecodeError as e:
            raise CompileError(self.args.input_file, f"is not UTF-8 text IR (byte {e.start}); "
                               "a model file needs its extension (.onnx, .keras)") from None
        except ValueError as e:
            if "integer string conversion" not in str(e):
                raise
            raise CompileError(self.get_input_name(), "has a number of more than 4,300 digits "
                               "(Python's limit for reading and printing integers)") from None
        if self.args.output_file is not None and is_directory_target(self.args.output_file):
            write_project_output(self.args.output_file, self._output.getvalue(), self.ctx, self.args)
        elif self.args.output_file is not None:
            write_output(self.args.output_file, self._output.getvalue())


class _Unclosable(StringIO):
    """The run's output buffer; xDSL closes its output stream, but we still read it."""

    def close(self) -> None:
        pass


def _report(message: str) -> int:
    print(f"fpga-opt: error: {message}", file=sys.stderr)
    return 1


def main(args: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if args is None else args)
    attribute_post_init = Attribute.__post_init__  # --disable-verify replaces it for one run
    try:
        if argv[:1] == ["sweep"]:  # ``fpga-opt sweep``: tools/sweep.py
            from .sweep import main as sweep_main

            return sweep_main(argv[1:])
        with interrupts_handled(), collector_paused():
            FpgaOptMain(args).run()
    except CompileError as e:
        return _report(str(e))
    except ParseError as e:
        return _report(f"parse error\n{e}")
    except (DiagnosticException, ArgSpecParseError) as e:
        return _report(str(e))
    except FileNotFoundError as e:
        return _report(f"{e.filename}: no such file")
    except KeyboardInterrupt:
        return _report("interrupted")
    except Exception as e:  # noqa: BLE001 - a compiler bug must still not dump a traceback
        if os.environ.get("FPGA_OPT_TRACEBACK"):
            raise
        return _report(
            f"internal error ({type(e).__name__}: {e}); "
            "set FPGA_OPT_TRACEBACK=1 to see where, and please report it"
        )
    finally:
        Attribute.__post_init__ = attribute_post_init
    return 0


if __name__ == "__main__":
    sys.exit(main())
