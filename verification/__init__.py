"""Verification tools: running the emitted Verilog in Verilator, and proving the optimized
design equal to a plain reference with Yosys."""
