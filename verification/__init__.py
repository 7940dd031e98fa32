"""Tools that check compiled designs against outside references (not part of compiling)."""
