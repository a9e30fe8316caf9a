"""Input files read whole, never beyond a ceiling; JSON from outside parsed into one kind of error.

A proof, a vk, a raw transcript or a JSON file is read into memory at once — but ``/dev/zero``,
a FIFO that never ends or a multi-gigabyte file given by mistake would be read until memory runs
out (a ``MemoryError`` traceback at best). Each reader names a ceiling far above any real file of
its kind; a regular file over it is refused from its size alone, a stream after ceiling + 1 bytes.
"""

from __future__ import annotations

import json
import os
import stat
import sys

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


class BadJSON(ValueError):
    """JSON text that does not parse; ``str`` says why in one phrase."""


# json's C parser recurses once per nesting level, checked against Python's recursion limit;
# above CPython's default of 1000 the C stack can run out first (a segfault, not an error), and
# libraries may raise the limit process-wide (py_ecc sets 100 000), so parsing caps it.
JSON_DEPTH = 1000


def loads_json(text):
    """``json.loads``, every way it can fail on hostile text as BadJSON: malformed text, nesting
    deep enough to exhaust the recursion limit (a proof file's settings, an instances file), a
    number longer than Python converts to int."""
    limit = sys.getrecursionlimit()
    try:
        sys.setrecursionlimit(min(limit, JSON_DEPTH))
    except RecursionError:  # already deeper than the cap (a deep caller): parse under its own limit
        pass
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise BadJSON(f"{exc.msg} (line {exc.lineno}, column {exc.colno})") from None
    except RecursionError:
        raise BadJSON("nested too deeply") from None
    except ValueError as exc:  # "Exceeds the limit (4300 digits) for integer string conversion…"
        raise BadJSON(str(exc).split(";")[0]) from None
    finally:
        sys.setrecursionlimit(limit)
