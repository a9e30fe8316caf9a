"""Consoles: humans read stderr (rich tables, progress), programs read stdout (``--json``)."""

import json
import sys

from rich.console import Console

err = Console(stderr=True)


def emit_json(obj) -> None:
    """One JSON object on stdout, nothing else."""
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()
