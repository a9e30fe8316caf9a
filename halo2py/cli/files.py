"""Output files are written whole or not at all.

A proof, key or params file that a Ctrl-C or a full disk cut short would look like a valid file
name holding garbage; so each is written to a temporary file beside it (same directory, so the
rename cannot cross file systems) and renamed over the target only once every byte is out.
"""

from __future__ import annotations

import os
import secrets
from contextlib import contextmanager
from pathlib import Path

from halo2py.errors import InputError


@contextmanager
def replacing(path: Path):
    """Yield a temporary path beside ``path``; rename it to ``path`` if the block succeeds, remove
    it if the block raises anything (KeyboardInterrupt included)."""
    # A random name (not mkstemp's 0600 file), so the result gets the permissions the umask gives.
    tmp = path.parent / f".{path.name}.{secrets.token_hex(6)}.tmp"
    try:
        yield tmp
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def check_output(path: Path, what: str) -> None:
    """Fail before the slow work when the output cannot be written there, not after it."""
    if path.is_dir():
        raise InputError(f"cannot write {what} {path}: it is a directory (give a file name)")
    if not path.parent.is_dir():
        raise InputError(f"cannot write {what} {path}: no such directory {path.parent}")


def write_output(path: Path, data: bytes, what: str) -> None:
    """Write ``data`` to ``path`` atomically; an OS error is bad input (one line, exit 2)."""
    try:
        with replacing(path) as tmp:
            tmp.write_bytes(data)
    except OSError as exc:
        raise InputError(f"cannot write {what} {path}: {exc.strerror or exc}") from None
