"""fpga-opt: quantized neural networks to multiplier-free, bit-exact FPGA logic.

``fpga_opt.compile(path, ...)`` compiles an ONNX/QONNX or HGQ2 ``.keras`` model into a
``Design`` (``.verilog``, ``.stats``, ``.predict``, ``.simulate``); ``fpga_opt.sweep(models,
configs)`` compiles many on Dask; ``fpga_opt.cmvm`` holds
the constant-matrix optimizer.  The ``fpga-opt`` command is the pass-pipeline driver.
"""


def compile(path, **options):  # noqa: A001 - the name users of hls4ml expect
    """Compile a model file; see ``fpga_opt.design.compile`` for the options."""
    from .design import compile as compile_design

    return compile_design(path, **options)


def sweep(models, configs=({},), **options):
    """Compile every model with every options dict on Dask; see ``fpga_opt.tools.sweep``."""
    from .tools.sweep import sweep as sweep_designs

    return sweep_designs(models, configs, **options)
