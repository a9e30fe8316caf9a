"""Consoles: humans read stderr (rich tables, progress), programs read stdout (``--json``)."""

from __future__ import annotations

import json
import sys

# soft_wrap: never break a line at the terminal width — digests, paths and messages are grepped,
# and a log is not a terminal. Off a terminal there is no width to fit either: rich would assume
# 80 columns and fold (or cut with "…") every wider table, so tables get the width they need.
LOG_WIDTH = 10_000


def _width(stream) -> int | None:
    try:
        return None if stream.isatty() else LOG_WIDTH
    except (AttributeError, ValueError):  # a replaced or closed stream: no terminal either
        return LOG_WIDTH


def escape(text: str) -> str:
    """rich's markup escape, imported when a message is first printed."""
    from rich.markup import escape as rich_escape

    return rich_escape(text)


class LazyConsole:
    """A rich ``Console`` made at its first use: a command that prints nothing to it — ``prove
    --json`` — never imports rich (30 ms of every start-up). ``console`` is the real one."""

    def __init__(self, stderr: bool):
        self.stderr = stderr
        self._console = None

    @property
    def console(self):
        if self._console is None:
            from rich.console import Console

            # the stream is looked up at each print (tests swap it), the width once
            stream = sys.stderr if self.stderr else sys.stdout
            self._console = Console(stderr=self.stderr, soft_wrap=True, width=_width(stream))
        return self._console

    def __getattr__(self, name):
        return getattr(self.console, name)


def _real(console):
    """The rich Console behind ``console`` (rich's live display draws on the console itself)."""
    return console.console if isinstance(console, LazyConsole) else console


err = LazyConsole(stderr=True)
out = LazyConsole(stderr=False)  # results a user pipes (`halo2py circuits | grep …`)


# The warnings this command has printed. A process runs one command (``main`` clears it for the
# tests, which run many); several layers may warn about the same thing, the user reads it once.
printed_warnings: set[str] = set()


def warn(text: str) -> None:
    """A warning (UNSAFE notices) on stderr, each distinct text at most once per command. Commands
    call it after their argument checks, so a typo is reported alone, not after a banner."""
    if text in printed_warnings:
        return
    printed_warnings.add(text)
    err.print(f"[bold yellow]{escape(text)}[/]", highlight=False, soft_wrap=True)


def emit_json(obj) -> None:
    """One JSON object on stdout, nothing else."""
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


class PhaseProgress:
    """The proof's phases as they happen, on stderr (a ``halo2py.timing.PhaseTimer`` listener).

    On an interactive terminal (or when rich is told stderr is one: ``TTY_COMPATIBLE=1``) a live
    display: a spinner on the current phase with its elapsed time, the finished phases with
    theirs; it is transient, since the phase table printed afterwards is the record. Anywhere else
    (a log, a pipe, a test capturing output) one plain line per phase the first time it starts —
    no control characters, nothing rewritten. A context manager, so the live display is stopped
    however the proof ends (an error, Ctrl-C).
    """

    def __init__(self, console=err):
        self.console = console
        self.seen: set[str] = set()
        self.progress = None
        self.tasks: dict = {}

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        if self.progress is not None:
            self.progress.stop()

    def enter(self, name: str) -> None:
        # Each phase is shown once, at its first start (a PhaseTimer phase may recur; its seconds add up).
        if name in self.seen:
            return
        self.seen.add(name)
        if not (self.console.is_terminal and self.console.is_interactive):  # a live display needs both
            self.console.print(f"[dim]… {escape(name)}[/]", highlight=False)
            return
        if self.progress is None:  # started at the first phase: a listener never attached draws nothing
            from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

            self.progress = Progress(SpinnerColumn(finished_text="[green]✓[/]"), TextColumn("{task.description}"),
                                     TimeElapsedColumn(), console=_real(self.console), transient=True)
            self.progress.start()
        self.tasks[name] = self.progress.add_task(name, total=1)

    def leave(self, name: str) -> None:
        if self.progress is not None:
            self.progress.update(self.tasks[name], completed=1)  # stops its clock, shows ✓
