"""Reading the driver's input: a regular file (or ``-``/nothing for standard input), at
most ``--max-input-bytes`` of it, and a file type the driver knows.

A FIFO, a character device (``/dev/zero``, ``/dev/urandom``), a directory or a socket is
refused before it is read (opening a FIFO without a writer would block; a device never
ends).  The file is opened without blocking and checked with ``fstat`` on the open
descriptor, so a name swapped between a check and the open is checked as what was opened.
"""

from __future__ import annotations

import os
import stat
import sys
from io import BytesIO

from ..errors import CompileError

MAX_INPUT_BYTES = 1 << 30
"""Default largest input (``--max-input-bytes``): above any model that fits in logic."""

STDIN_NAMES = (None, "-")


def read_input(path: str | None, limit: int) -> BytesIO:
    """The bytes of the input, refused when it is not a regular file or is over ``limit``."""
    if path in STDIN_NAMES:
        return BytesIO(_read_bounded(sys.stdin.buffer, "stdin", limit))
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except FileNotFoundError:
        raise CompileError(path, "no such file") from None
    except OSError as e:
        raise CompileError(path, f"cannot open: {e.strerror}") from None
    with os.fdopen(fd, "rb") as stream:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise CompileError(path, f"is {_file_kind(mode)}, not a regular file")
        size = os.fstat(fd).st_size
        if size > limit:
            raise CompileError(path, f"is {size:,} bytes; the limit is {limit:,} (--max-input-bytes)")
        return BytesIO(_read_bounded(stream, path, limit))


def _read_bounded(stream, name: str, limit: int) -> bytes:
    try:
        data = stream.read(limit + 1)
    except OSError as e:  # /proc/self/mem and other files that refuse a plain read
        raise CompileError(name, f"cannot read: {e.strerror}") from None
    if data is None or len(data) > limit:
        raise CompileError(name, f"is longer than {limit:,} bytes (--max-input-bytes)")
    return data


def _file_kind(mode: int) -> str:
    kinds = [(stat.S_ISDIR, "a directory"), (stat.S_ISFIFO, "a FIFO"),
             (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
             (stat.S_ISSOCK, "a socket")]
    return next((kind for test, kind in kinds if test(mode)), "not a regular file")


def input_extension(path: str | None, frontend: str | None, known: list[str]) -> str:
    """The frontend for the input: ``-f``, else the file's extension (standard input is
    IR text); an unknown or missing extension is a user error naming the known ones."""
    if frontend:
        return frontend
    if path in STDIN_NAMES:
        return "mlir"
    extension = os.path.splitext(path)[1].lstrip(".")
    if extension not in known:
        listed = ", ".join(f".{e}" for e in known)
        what = f"unknown file type '.{extension}'" if extension else "no file extension"
        raise CompileError(path, f"{what} (known: {listed}; or name the type with -f)")
    return extension
