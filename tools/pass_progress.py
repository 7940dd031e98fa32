"""What the driver does between passes: verify, ``--print-between-passes``,
``--time-passes`` (to stderr, so that it never mixes with the IR on stdout) and a progress
bar on the terminal.

The bar (tqdm, an optional dependency) appears only when standard error is a terminal,
``-q`` is not given and the run lasts more than a second; it names the pass running and,
for a pipeline run as one pass (``compile``), its stage and step as they report them
(``fpga_opt.progress``: ``compile: cmvm-optimize: matrix 2/4 of @main, 64x784``).
"""

from __future__ import annotations

import argparse
import sys
import time
from typing import Any

from dataclasses import dataclass

from xdsl.context import Context
from xdsl.dialects.builtin import ModuleOp
from xdsl.passes import ModulePass, PassPipeline
from xdsl.printer import Printer

from ..progress import Listener, listening

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


@dataclass(frozen=True)
class ReportingPipeline(PassPipeline):
    """A pipeline whose passes' progress reports go to ``listener`` while it runs."""

    listener: Listener | None = None

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        if self.listener is None:
            return super().apply(ctx, op)
        with listening(self.listener):
            return super().apply(ctx, op)


def instrumented(pipeline: PassPipeline, args: argparse.Namespace) -> PassPipeline:
    """``pipeline`` with the driver's between-pass callback (and progress listener)."""
    bar = progress_bar(len(pipeline.passes), getattr(args, "quiet", False))
    started = time.perf_counter()
    running = [""]  # the pass whose stages report

    def show_stage(stage: str, step: str) -> None:
        assert bar is not None
        bar.set_postfix_str(": ".join(part for part in (running[0], stage, step) if part))

    def callback(previous: ModulePass | None, module: ModuleOp, following: ModulePass | None) -> None:
        nonlocal started
        if previous is not None:
            if args.time_passes:
                print(f"Pass {previous.name} took {time.perf_counter() - started} seconds",
                      file=sys.stderr)
            if bar is not None:
                bar.update(1)
        if previous is not None and not args.disable_verify:  # the driver verified the input
            module.verify()
        if previous and following and args.print_between_passes:
            print(f"IR after {previous.name}:")
            Printer(stream=sys.stdout).print_op(module)
            print("\n\n\n")
        if bar is not None:
            if following is None:
                bar.close()
            else:
                running[0] = following.name
                bar.set_postfix_str(following.name)
        started = time.perf_counter()

    return ReportingPipeline(pipeline.passes, callback, None if bar is None else show_stage)
