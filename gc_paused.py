"""The cycle collector paused while the compiler builds IR."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cycle collector off for the duration: IR is tens of thousands of small
    objects in reference cycles (op, block, use), and the collector would traverse all
    of them again and again while a compile builds more (a quarter of an HGQ2 model's
    compile time), to find little: what a compile drops is reclaimed once it is back on."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
