"""Run one fuzz case through the fpga-opt driver in this process and judge the outcome.

A case passes when the driver either succeeds (exit 0, the -o file written) or fails
cleanly: a non-zero exit, a message ``fpga-opt: error: ...`` on stderr, no Python traceback
and no 'internal error', and no -o file left behind.  A case that runs longer than its
time limit is a hang.
"""

from __future__ import annotations

import contextlib
import io
import signal
import sys
from dataclasses import dataclass
from pathlib import Path

from fpga_opt.tools.driver import main

from .fuzz_corpus import Case


class Hang(BaseException):
    """Raised by the alarm; a BaseException so that the driver's catch-all cannot eat it."""


@dataclass
class Outcome:
    code: int
    stdout: str
    stderr: str
    output_exists: bool

    def problem(self, expects_output: bool) -> str | None:
        """Why this outcome is not acceptable, or None."""
        if "Traceback" in self.stderr or "internal error" in self.stderr:
            return "traceback or internal error"
        if self.code == 0:
            if expects_output and not self.output_exists:
                return "exit 0 but no -o file"
            return None
        if "fpga-opt: error:" not in self.stderr:
            return "non-zero exit without an 'fpga-opt: error:' message"
        if self.output_exists:
            return "a failed run left its -o file behind"
        return None


def _on_alarm(signum, frame):
    raise Hang()


def run_case(case: Case, folder: Path, timeout: int = 60) -> Outcome:
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in case.files.items():
        (folder / name).write_bytes(content)
    out, err = io.StringIO(), io.StringIO()
    previous = signal.signal(signal.SIGALRM, _on_alarm)
    argv0, sys.argv[0] = sys.argv[0], "fpga-opt"
    signal.alarm(timeout)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = main(case.argv(folder))
            except SystemExit as e:  # argparse rejects the command line
                code = e.code if isinstance(e.code, int) else 1
    except Hang:
        raise AssertionError(f"{case.name}: no result after {timeout} s (hang)") from None
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
        sys.argv[0] = argv0
    exists = case.output is not None and (folder / case.output).exists()
    return Outcome(code, out.getvalue(), err.getvalue(), exists)
