"""The package root's entry points (``fpga_opt.compile``, ``sweep``, ``optimize``) are the
functions they name, with their arguments passed through."""

import numpy as np

import fpga_opt
from fpga_opt.cmvm import evaluate
from fpga_opt.lowering.optimizer_ir import optimize


def test_optimize_at_the_root_is_the_bridge_optimize():
    W = np.random.default_rng(3).integers(-40, 40, (5, 6))
    formats = [(1, 5, 0)] * 6
    root = fpga_opt.optimize(W, formats, "adder_bits", None, name="m", effort="fast")
    bridge = optimize(W, formats, "adder_bits", None, name="m", effort="fast")
    assert str(root.module) == str(bridge.module)
    assert root.stats == bridge.stats
    x = np.random.default_rng(4).integers(-32, 32, (20, 6))
    assert (np.array(evaluate(root.graph, x)) == x @ W.T).all()
