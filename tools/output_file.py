"""Writing the driver's ``-o`` output: whole or not at all, and only where it was asked.

- a regular file (or a new name) is written to a temporary file in the same directory and
  renamed over it, so a failed run (an error, a full disk, a signal) leaves the old file or
  nothing, never half a file; the new file keeps the old one's permissions;
- a symlink is followed: its final target is replaced, the link stays;
- a character device or a FIFO (``/dev/null``, ``/dev/stdout``, a pipe) is written
  through, never replaced by a regular file; so is anything under ``/dev`` or ``/proc``;
- ``-o`` naming an input file, or the empty string, is refused before the compile;
- ``-o`` naming a directory (or ending in ``/``) is a project directory, written by
  tools/project_output.py.

Temporaries live in ``TEMPORARIES`` while they exist, so that the signal handler of
``interrupts.py`` removes them too.
"""

from __future__ import annotations

import os
import stat
import tempfile

from ..errors import CompileError

TEMPORARIES: set[str] = set()
"""Temporary output files not yet renamed into place."""

WRITE_THROUGH_PREFIXES = ("/dev/", "/proc/")


def check_output_target(path: str, inputs: list[str]) -> None:
    """Refuse, before any work, an empty ``-o`` and one that names an input file."""
    if path == "":
        raise CompileError("-o ''", "the output file name is empty")
    try:
        target = os.stat(path)
    except OSError:
        return
    if not stat.S_ISREG(target.st_mode):
        return
    for name in inputs:
        try:
            source = os.stat(name)
        except OSError:
            continue
        if (source.st_dev, source.st_ino) == (target.st_dev, target.st_ino):
            raise CompileError(path, f"-o names the input file {name}; refusing to overwrite it")


def is_directory_target(path: str) -> bool:
    """Whether ``-o`` names a directory: an existing one, or a name ending in '/'."""
    return path.endswith(("/", os.sep)) or os.path.isdir(path)


def write_output(path: str, text: str) -> None:
    """Write ``text`` to the file ``path`` as the module docstring says (a directory target
    is a project: tools/project_output.py); errors are CompileErrors."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        mode = None  # a new file (or a dangling link: its target is created)
    except OSError as e:
        raise CompileError(path, f"cannot write the output: {e.strerror}") from None
    resolved = os.path.realpath(path)
    if mode is not None and (stat.S_ISCHR(mode) or stat.S_ISFIFO(mode)) or \
            path.startswith(WRITE_THROUGH_PREFIXES) or resolved.startswith(WRITE_THROUGH_PREFIXES):
        _write_through(path, text)
    elif mode is None or stat.S_ISREG(mode):
        _write_atomically(resolved, text, None if mode is None else stat.S_IMODE(mode))
    else:
        raise CompileError(path, "is neither a regular file nor a device; not written")


def _write_through(path: str, text: str) -> None:
    try:
        with open(path, "w") as out:
            out.write(text)
    except OSError as e:
        raise CompileError(path, f"cannot write the output: {e.strerror}") from None


def _write_atomically(path: str, text: str, mode: int | None) -> None:
    directory = os.path.dirname(path) or "."
    try:
        fd, temporary = tempfile.mkstemp(dir=directory, prefix=".fpga-opt-")
    except OSError as e:
        raise CompileError(path, f"cannot write the output: {e.strerror}") from None
    TEMPORARIES.add(temporary)
    try:
        with os.fdopen(fd, "w") as out:
            out.write(text)
        os.chmod(temporary, mode if mode is not None else 0o666 & ~_umask())
        os.replace(temporary, path)
    except OSError as e:
        raise CompileError(path, f"cannot write the output: {e.strerror}") from None
    finally:
        remove_temporary(temporary)


def remove_temporary(temporary: str) -> None:
    """Delete a temporary output file if it is still there."""
    TEMPORARIES.discard(temporary)
    try:
        os.unlink(temporary)
    except FileNotFoundError:
        pass


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
