"""Tools that check compiled designs rather than compile them: running the emitted Verilog
in Verilator, proving the optimized design equal to a plain reference with Yosys, and
comparing a compiled model with the reference outputs of its own runtime."""
