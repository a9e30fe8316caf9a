"""Consoles: humans read stderr (rich tables, progress), programs read stdout (``--json``)."""

import json
import sys

from rich.console import Console

# soft_wrap: never break a line at the terminal width — digests, paths and messages are grepped,
# and a log is not a terminal.
err = Console(stderr=True, soft_wrap=True)
out = Console(soft_wrap=True)  # results a user pipes (`halo2py circuits | grep …`)


def emit_json(obj) -> None:
    """One JSON object on stdout, nothing else."""
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()
