"""compile: the whole pipeline, from a fixedpoint network to pipelined rtl.

    fixedpoint-fold-rounding     round-to-nearest folded into the bias before it
    fixedpoint-infer-precision   exact ranges for every value
    fixedpoint-to-cmvm           scalarize; each weight matrix becomes one cmvm.matrix
    cmvm-optimize                CSD, graph decomposition and CSE -> adder graphs
    cmvm-fold-negations          each adder computes its value or its negative, the cheaper
    cmvm-sink-constants          a bias joins the adder tree where it has slack, not on top
    cmvm-fuse-ternary            (ternary=true) an adder fused into its only user adder
    cmvm-to-rtl                  bit vectors sized by their ranges
    rtl-pack-luts                (pack_luts=true) adder cones over <= 6 bits become ROMs
    rtl-cse                      one copy of identical logic, none that nothing reads
    rtl-pipeline{cutoff=...}     registers every `cutoff` adder levels (0: combinational),
                                 or by estimated delay: `clock_period` in ns

``fpga-opt model.onnx -t verilog`` runs it when no ``-p`` is given; ``-p 'compile{cutoff=2}'``
sets its options; ``--print-between-passes`` shows every stage (the stages then run as
separate passes, see ``stages``).

Before:  func.func @main(%x: !fixedpoint.tensor<16xfixed<1,5,2>>) ... fixedpoint.dense ...
After:   rtl.module @main(%x_0: i8 fixed<1,5,2>, ...) -> (out0: ...) { rtl.add ... }
"""

from dataclasses import dataclass

from xdsl.context import Context
from xdsl.dialects.builtin import ModuleOp
from xdsl.passes import ModulePass

from ..progress import report_stage


@dataclass(frozen=True)
class Compile(ModulePass):
    name = "compile"

    cutoff: int = 0
    """Most adder levels between pipeline registers; 0 = combinational."""

    objective: str = "adders"
    """What the CMVM optimizer minimises: ``adders`` or ``adder_bits``."""

    max_depth: int | None = None
    """Most adder levels in any one constant matrix (exact); None: the least possible."""

    jobs: int | None = None
    """Worker processes for the matrix solves (cmvm-optimize); None: the machine's cores."""
    clock_period: float = 0
    """Target clock period in ns: registers placed by the delay model; 0: by cutoff only."""
    ternary: bool = False
    """Fuse adder pairs into three-input adders (cmvm-fuse-ternary): one LUT per bit on
    Xilinx with the ``xc7``/``xcu`` Verilog flavour; Yosys maps the generic ``a + b + c``
    as two adders, so it is off unless asked for (``--arch xc7`` turns it on)."""

    pack_luts: bool = False
    """Adder cones over at most six input bits become LUT ROMs (rtl-pack-luts), where the
    LUT estimate says it is cheaper."""

    def stages(self) -> list[ModulePass]:
        from ..lowering.cmvm_to_rtl import CmvmToRtl
        from ..lowering.fixedpoint_to_cmvm import FixedPointToCmvm
        from .cmvm_fold_negations import CmvmFoldNegations
        from .cmvm_fuse_ternary import CmvmFuseTernary
        from .cmvm_optimize import CmvmOptimize
        from .cmvm_sink_constants import CmvmSinkConstants
        from .fixedpoint_fold_rounding import FixedPointFoldRounding
        from .fixedpoint_infer_precision import FixedPointInferPrecision
        from .rtl_cse import RtlCse
        from .rtl_pack_luts import RtlPackLuts
        from .rtl_pipeline import RtlPipeline

        return [
            FixedPointFoldRounding(),
            FixedPointInferPrecision(),
            FixedPointToCmvm(),
            CmvmOptimize(objective=self.objective, max_depth=self.max_depth, jobs=self.jobs),
            CmvmFoldNegations(),
            CmvmSinkConstants(),
            *([CmvmFuseTernary()] if self.ternary else []),
            CmvmToRtl(),
            *([RtlPackLuts()] if self.pack_luts else []),
            RtlCse(),
            RtlPipeline(cutoff=self.cutoff, clock_period=self.clock_period),
        ]

    def pipeline_spec(self) -> str:
        return ",".join(str(stage.pipeline_pass_spec()) for stage in self.stages())

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        for stage in self.stages():
            report_stage(stage.name)
            stage.apply(ctx, op)
