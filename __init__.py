"""fpga-opt: quantized neural networks to multiplier-free, bit-exact FPGA logic.

``fpga_opt.compile(path, ...)`` compiles an ONNX/QONNX or HGQ2 ``.keras`` model into a
``Design`` (``.verilog``, ``.stats``, ``.predict``, ``.simulate``); ``fpga_opt.sweep(models,
configs)`` compiles many on Dask; ``fpga_opt.optimize(W, formats)`` gives one constant
matrix's adder graph as cmvm IR; ``fpga_opt.cmvm`` holds the optimizer itself (numpy, no IR).  The ``fpga-opt`` command is the pass-pipeline driver.
"""


def compile(path, **options):  # noqa: A001 - the name users of hls4ml expect
    """Compile a model file; see ``fpga_opt.design.compile`` for the options."""
    from .design import compile as compile_design

    return compile_design(path, **options)


def sweep(models, configs=({},), **options):
    """Compile every model with every options dict on Dask; see ``fpga_opt.tools.sweep``."""
    from .tools.sweep import sweep as sweep_designs

    return sweep_designs(models, configs, **options)


def optimize(W, input_formats, objective="adders", max_depth=None, **options):
    """One constant matrix's adder graph as cmvm IR; see ``fpga_opt.lowering.optimizer_ir.optimize``
    (the optimizer alone, without IR, is ``fpga_opt.cmvm.solve_graph``)."""
    from .lowering.optimizer_ir import optimize as optimize_matrix

    return optimize_matrix(W, input_formats, objective, max_depth, **options)
