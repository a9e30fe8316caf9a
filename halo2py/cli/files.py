"""Output files of the CLI: checked before the slow work, written whole or not at all
(``halo2py._output``: a temporary file renamed over the target; a device or FIFO written in place).
"""

from __future__ import annotations

from pathlib import Path

from halo2py._output import output_file
from halo2py.errors import InputError


def check_output(path: Path, what: str) -> None:
    """Fail before the slow work when the output cannot be written there, not after it."""
    if path.is_dir():
        raise InputError(f"cannot write {what} {path}: it is a directory (give a file name)")
    if not path.parent.is_dir():
        raise InputError(f"cannot write {what} {path}: no such directory {path.parent}")


def write_output(path: Path, data: bytes, what: str) -> None:
    """Write ``data`` to ``path`` atomically; an OS error is bad input (one line, exit 2)."""
    try:
        with output_file(path) as f:
            f.write(data)
    except OSError as exc:
        raise InputError(f"cannot write {what} {path}: {exc.strerror or exc}") from None
