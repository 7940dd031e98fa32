"""SIGINT and SIGTERM during a run: temporary output files are removed and the driver
exits 130 (SIGINT) or 143 (SIGTERM) with one line, instead of dying with a traceback or
by the signal.  SIGXFSZ (a file-size limit reached while writing) is ignored, so the write
fails with EFBIG and is reported as a user error instead of killing the process."""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator

from .output_file import TEMPORARIES, remove_temporary

HANDLED = (signal.SIGINT, signal.SIGTERM)


class Interrupted(BaseException):
    """Raised by the handler; a BaseException so that no ``except Exception`` eats it."""

    def __init__(self, signum: int):
        super().__init__(signal.Signals(signum).name)
        self.exit_code = 128 + signum


def _on_signal(signum, frame):
    for temporary in list(TEMPORARIES):
        remove_temporary(temporary)
    raise Interrupted(signum)


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
