"""Output files written whole or not at all, and streams written as streams.

A proof, key or params file that a Ctrl-C or a full disk cut short would look like a valid file
name holding garbage; so each goes to a temporary file beside its target (same directory, so the
rename cannot cross file systems) and is renamed over it only once every byte is out.

Two kinds of target must not be renamed over. A symlink: the rename would replace the link
itself, so the file it points to is the one replaced (the link stays). And anything that is not a
regular file — ``/dev/stdout``, ``/dev/null``, a FIFO another program reads: a rename there would
put a plain file in place of the device (``/dev`` is writable by root), so those are written in
place, as a shell's ``>`` writes them; a stream has no half-written file to leave behind.
"""

from __future__ import annotations

import os
import secrets
import stat
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def output_file(path):
    """An open binary file whose bytes end up at ``path``: renamed over it when the block
    succeeds, removed if the block raises anything (KeyboardInterrupt included); written
    straight into ``path`` when that is a device, a FIFO or a socket. OSError propagates."""
    if _is_stream(path):  # asked of the path itself: /dev/stdout's link resolves only through stat
        with open(path, "wb") as f:
            yield f
        return
    target = Path(os.path.realpath(path))
    # A random name (not mkstemp's 0600 file), so the result gets the permissions the umask gives.
    tmp = target.with_name(f".{target.name}.{secrets.token_hex(6)}.tmp")
    try:
        with open(tmp, "wb") as f:
            yield f
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _is_stream(path: Path) -> bool:
    try:
        mode = os.stat(path).st_mode
    except OSError:  # not there yet (the usual case), or not reachable: a regular file is made
        return False
    return not (stat.S_ISREG(mode) or stat.S_ISDIR(mode))
