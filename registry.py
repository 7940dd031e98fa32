"""Lazy registries of this project's dialects, passes and targets, as xDSL keeps its own.

Each entry maps a name to a function that imports and returns the class, so the driver
starts without importing every dialect and pass.  A new dialect, pass or target adds one
function and one dictionary entry here.
"""

from collections.abc import Callable

from xdsl.context import Context

from xdsl.dialects.builtin import ModuleOp
from xdsl.ir import Dialect
from xdsl.passes import ModulePass
from xdsl.utils.target import Target


def get_all_dialects() -> dict[str, Callable[[], Dialect]]:
    def get_fixedpoint():
        from .dialects.fixedpoint import FixedPoint

        return FixedPoint

    def get_cmvm():
        from .dialects.cmvm import Cmvm

        return Cmvm

    def get_rtl():
        from .dialects.rtl import Rtl

        return Rtl

    return {
        "fixedpoint": get_fixedpoint,
        "cmvm": get_cmvm,
        "rtl": get_rtl,
    }


def get_all_passes() -> dict[str, Callable[[], type[ModulePass]]]:
    def get_infer_precision():
        from .transforms.fixedpoint_infer_precision import FixedPointInferPrecision

        return FixedPointInferPrecision

    def get_rtl_pipeline():
        from .transforms.rtl_pipeline import RtlPipeline

        return RtlPipeline

    def get_rtl_cse():
        from .transforms.rtl_cse import RtlCse

        return RtlCse

    def get_cmvm_csd():
        from .transforms.cmvm_csd import CmvmCsd

        return CmvmCsd

    def get_cmvm_decompose():
        from .transforms.cmvm_decompose import CmvmDecompose

        return CmvmDecompose

    def get_cmvm_cse():
        from .transforms.cmvm_cse import CmvmCse

        return CmvmCse

    def get_cmvm_optimize():
        from .transforms.cmvm_optimize import CmvmOptimize

        return CmvmOptimize

    def get_cmvm_fold_negations():
        from .transforms.cmvm_fold_negations import CmvmFoldNegations

        return CmvmFoldNegations

    def get_cmvm_fuse_ternary():
        from .transforms.cmvm_fuse_ternary import CmvmFuseTernary

        return CmvmFuseTernary

    def get_rtl_pack_luts():
        from .transforms.rtl_pack_luts import RtlPackLuts

        return RtlPackLuts

    def get_cmvm_sink_constants():
        from .transforms.cmvm_sink_constants import CmvmSinkConstants

        return CmvmSinkConstants

    def get_fixedpoint_to_cmvm():
        from .lowering.fixedpoint_to_cmvm import FixedPointToCmvm

        return FixedPointToCmvm

    def get_cmvm_to_rtl():
        from .lowering.cmvm_to_rtl import CmvmToRtl

        return CmvmToRtl

    def get_rtl_to_circt():
        from .lowering.rtl_to_circt import RtlToCirct

        return RtlToCirct

    def get_compile():
        from .transforms.compile import Compile

        return Compile

    def get_fold_rounding():
        from .transforms.fixedpoint_fold_rounding import FixedPointFoldRounding

        return FixedPointFoldRounding

    return {
        "compile": get_compile,
        "fixedpoint-fold-rounding": get_fold_rounding,
        "fixedpoint-to-cmvm": get_fixedpoint_to_cmvm,
        "cmvm-to-rtl": get_cmvm_to_rtl,
        "rtl-to-circt": get_rtl_to_circt,
        "cmvm-csd": get_cmvm_csd,
        "cmvm-decompose": get_cmvm_decompose,
        "cmvm-cse": get_cmvm_cse,
        "cmvm-optimize": get_cmvm_optimize,
        "cmvm-fold-negations": get_cmvm_fold_negations,
        "cmvm-sink-constants": get_cmvm_sink_constants,
        "cmvm-fuse-ternary": get_cmvm_fuse_ternary,
        "rtl-pack-luts": get_rtl_pack_luts,
        "fixedpoint-infer-precision": get_infer_precision,
        "rtl-pipeline": get_rtl_pipeline,
        "rtl-cse": get_rtl_cse,
    }


def get_all_targets() -> dict[str, Callable[[], type[Target]]]:
    def get_verilog():
        from .backends.verilog import VerilogTarget

        return VerilogTarget

    def get_stats():
        from .backends.stats import StatsTarget

        return StatsTarget

    def get_equivalence():
        from .verification.equivalence import EquivalenceTarget

        return EquivalenceTarget

    def get_report():
        from .backends.report import ReportTarget

        return ReportTarget

    def get_vhdl():
        from .backends.vhdl import VhdlTarget

        return VhdlTarget

    def get_circt():
        from .backends.circt import CirctTarget

        return CirctTarget

    return {
        "verilog": get_verilog,
        "vhdl": get_vhdl,
        "circt": get_circt,
        "report": get_report,
        "stats": get_stats,
        "equivalence": get_equivalence,
    }


def get_all_frontends() -> dict[str, Callable[..., ModuleOp]]:
    """Model importers by file extension: each takes the file's bytes, its name and the
    driver's import options (``default_precision``, ``input_precision``, ``softmax``,
    ``softmax_precision``, ``softmax_table_size``; None when not given)."""

    def import_keras(data: bytes, filename: str, **options) -> ModuleOp:
        from .errors import CompileError
        from .importers.keras import import_keras
        from .importers.keras2 import is_qkeras_archive

        if is_qkeras_archive(data, filename):
            return import_keras2(data, filename, **options)
        given = sorted(k for k, v in options.items() if v is not None)
        if given:
            raise CompileError(filename, f"an HGQ2 model carries its own precisions and "
                               f"takes no import options (got {', '.join(given)})")
        return import_keras(data, filename)

    def import_onnx(data: bytes, filename: str, **options) -> ModuleOp:
        from .importers.onnx import import_onnx

        return import_onnx(data, filename, **{k: v for k, v in options.items() if v is not None})

    def import_keras2(data: bytes, filename: str, **options) -> ModuleOp:
        from .importers.keras2 import import_keras2

        return import_keras2(data, filename, **options)

    return {
        "keras": import_keras,
        "onnx": import_onnx,
        **dict.fromkeys(("h5", "json"), import_keras2),
    }


def make_context() -> Context:
    """A context that knows builtin, func and every dialect of this project."""
    from xdsl.dialects.builtin import Builtin
    from xdsl.dialects.func import Func

    ctx = Context()
    ctx.load_dialect(Builtin)
    ctx.load_dialect(Func)
    for name, factory in get_all_dialects().items():
        ctx.register_dialect(name, factory)
    return ctx
