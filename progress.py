"""Progress of a long compile: the passes say what they are doing, a listener shows it.

    with listening(show):            # the driver, around its pipeline (tools/pass_progress.py)
        ...
        report_stage("cmvm-optimize")              # transforms/compile.py, per stage
        report_step("matrix 2/4 of @main, 64x784")  # a pass, per piece of its work

A listener is called with ``(stage, step)`` (step "" when a new stage starts).  Without a
listener (a library call, ``-q``, output not to a terminal) a report costs one list test,
and ``is_listened`` lets a pass skip work done only for the listener.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

Listener = Callable[[str, str], None]

_listeners: list[Listener] = []
_stage = [""]


@contextmanager
def listening(listener: Listener) -> Iterator[None]:
    """``listener`` receives every report made inside the ``with`` block."""
    _listeners.append(listener)
    try:
        yield
    finally:
        _listeners.remove(listener)


def is_listened() -> bool:
    return bool(_listeners)


def report_stage(name: str) -> None:
    """A new stage (a pass of a pipeline run as one pass) starts."""
    _stage[0] = name
    for listener in list(_listeners):
        listener(name, "")


def report_step(text: str) -> None:
    """A step of the current stage starts."""
    for listener in list(_listeners):
        listener(_stage[0], text)
