"""Constant-matrix-vector multiplication: from an integer matrix to a multiplier-free adder graph."""
