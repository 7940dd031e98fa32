"""SIGINT and SIGTERM during a run: temporary output files are removed and the driver
exits 130 (SIGINT) or 143 (SIGTERM) with one line, instead of dying with a traceback or
by the signal.  The handler ends the process itself (``os._exit``): an exception raised
from a handler can land in code that swallows it (a weakref callback, a ``__del__``) and
the run would go on.  The output is only ever written at the end, through a temporary
file, so nothing else is left to clean up.  SIGXFSZ (a file-size limit reached while
writing) is ignored, so the write fails with EFBIG and is reported as a user error
instead of killing the process."""

from __future__ import annotations

import contextlib
import os
import signal
import threading
from collections.abc import Iterator

from .output_file import TEMPORARIES, remove_temporary

HANDLED = (signal.SIGINT, signal.SIGTERM)


def _on_signal(signum, frame):
    for temporary in list(TEMPORARIES):
        remove_temporary(temporary)
    name = signal.Signals(signum).name
    os.write(2, f"fpga-opt: error: interrupted by {name}; no output written\n".encode())
    os._exit(128 + signum)


@contextlib.contextmanager
def interrupts_handled() -> Iterator[None]:
    """Install the handlers for the duration of a run (main thread only; elsewhere,
    signals cannot be handled and nothing changes)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    wanted = {signum: _on_signal for signum in HANDLED}
    if hasattr(signal, "SIGXFSZ"):
        wanted[signal.SIGXFSZ] = signal.SIG_IGN
    previous = {signum: signal.signal(signum, handler) for signum, handler in wanted.items()}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
