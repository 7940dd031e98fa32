"""What the driver does between passes: verify, ``--print-between-passes``,
``--time-passes`` (to stderr, so that it never mixes with the IR on stdout) and a progress
bar on the terminal.

The bar (tqdm, an optional dependency) appears only when standard error is a terminal,
``-q`` is not given and the run lasts more than a second; it names the pass running.
"""

from __future__ import annotations

import argparse
import sys
import time
from typing import Any

from xdsl.dialects.builtin import ModuleOp
from xdsl.passes import ModulePass, PassPipeline
from xdsl.printer import Printer

PROGRESS_DELAY_S = 1.0


def progress_bar(total: int, quiet: bool, description: str = "compile") -> Any | None:
    """A tqdm bar on stderr, or None when quiet, not on a terminal or tqdm is missing."""
    if quiet or not sys.stderr.isatty():
        return None
    try:
        from tqdm import tqdm
    except ImportError:
        return None
    return tqdm(total=total, desc=description, unit="pass", delay=PROGRESS_DELAY_S,
                file=sys.stderr, leave=False)


def instrumented(pipeline: PassPipeline, args: argparse.Namespace) -> PassPipeline:
    """``pipeline`` with the driver's between-pass callback."""
    bar = progress_bar(len(pipeline.passes), getattr(args, "quiet", False))
    started = time.perf_counter()

    def callback(previous: ModulePass | None, module: ModuleOp, following: ModulePass | None) -> None:
        nonlocal started
        if previous is not None:
            if args.time_passes:
                print(f"Pass {previous.name} took {time.perf_counter() - started} seconds",
                      file=sys.stderr)
            if bar is not None:
                bar.update(1)
        if not args.disable_verify:
            module.verify()
        if previous and following and args.print_between_passes:
            print(f"IR after {previous.name}:")
            Printer(stream=sys.stdout).print_op(module)
            print("\n\n\n")
        if bar is not None:
            if following is None:
                bar.close()
            else:
                bar.set_postfix_str(following.name)
        started = time.perf_counter()

    return PassPipeline(pipeline.passes, callback)
