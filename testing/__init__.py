"""Helpers for testing fpga-opt at scale: random quantized networks built directly as
fixedpoint IR (``networks``) and the differential harness that runs one network through
every interpreter, pass and Verilator and compares the bits (``differential``)."""
