"""Consoles: humans read stderr (rich tables, progress), programs read stdout (``--json``)."""

import json
import sys

from rich.console import Console
from rich.markup import escape

# soft_wrap: never break a line at the terminal width — digests, paths and messages are grepped,
# and a log is not a terminal.
err = Console(stderr=True, soft_wrap=True)
out = Console(soft_wrap=True)  # results a user pipes (`halo2py circuits | grep …`)


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
