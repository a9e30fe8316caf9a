"""Input files read whole, never beyond a ceiling.

A proof, a vk, a raw transcript or a JSON file is read into memory at once — but ``/dev/zero``,
a FIFO that never ends or a multi-gigabyte file given by mistake would be read until memory runs
out (a ``MemoryError`` traceback at best). Each reader names a ceiling far above any real file of
its kind; a regular file over it is refused from its size alone, a stream after ceiling + 1 bytes.
"""

from __future__ import annotations

import os
import stat

MIB = 1 << 20
# Ceilings, each far above any real file of its kind: a proof is a few KiB plus 32 bytes per
# public input (8 M of them fit), a vk a few KiB per column, inputs and instances JSON text.
LIMITS = {"proof": 256 * MIB, "key": 64 * MIB, "json": 1024 * MIB}


class TooLarge(OSError):
    """A file over its reader's ceiling; ``strerror`` says so in words (for 'cannot read …: …')."""


def read_bounded(path, kind: str) -> bytes:
    """The bytes of ``path``, or TooLarge if it holds more than ``LIMITS[kind]``; other OSErrors
    pass."""
    limit = LIMITS[kind]
    with open(path, "rb") as f:
        mode = os.fstat(f.fileno())
        if stat.S_ISREG(mode.st_mode) and mode.st_size > limit:
            raise TooLarge(0, f"{mode.st_size} bytes, more than the {_size(limit)} such a file may hold")
        data = f.read(limit + 1)
    if len(data) > limit:
        raise TooLarge(0, f"more than the {_size(limit)} such a file may hold (an endless stream?)")
    return data


def read_bounded_text(path, kind: str) -> str:
    """``read_bounded`` decoded as UTF-8 (UnicodeDecodeError passes)."""
    return read_bounded(path, kind).decode()


def _size(limit: int) -> str:
    return f"{limit // MIB} MiB" if limit >= MIB else f"{limit} bytes"
