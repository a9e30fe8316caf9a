"""Where a proof keeps its columns: on the heap (the default), or spilled to memory-mapped files.

Every column a proof holds for more than a moment — the table's advice, fixed and instance columns,
the proving key's polynomials, committed A′, S′ and products, the strategy's scratch — goes through
a column store: ``empty(shape)`` for a new (…, 4) uint64 array, ``keep(array)`` for one computed
elsewhere. ``HEAP`` returns plain arrays and the array itself, so a proof without ``--spill``
behaves exactly as before. ``SpillColumns`` gives each array its own file in a private directory,
maps it shared and writable, and returns the mapping: the pages belong to the page cache, which the
kernel writes back and evicts under pressure, so the heap holds only what is being computed.
Mappings are ndarrays, so kernels and strategies read and write them unchanged.

Each file is reserved in full with ``posix_fallocate`` when it is created, so a full disk is one
``SpillFull`` error then — not a SIGBUS when a page of a sparse file is written back later — and
it is unlinked at once: the mapping keeps the space alive exactly as long as the array lives, and
the kernel reclaims it when the process ends however it ends (SIGKILL and OOM included). The
directory itself is removed by ``spilling`` on success, on any exception and on Ctrl-C.
"""

from __future__ import annotations

import errno
import mmap
import os
import shutil
import tempfile
from contextlib import contextmanager
from math import prod
from pathlib import Path

import numpy as np

from halo2py.errors import InputError, ResourceError

SPILL_PREFIX = "halo2py-spill-"


class SpillFull(ResourceError):
    """The spill directory's file system has no room for the next column (exit 2)."""


class HeapColumns:
    """The default store: arrays on the heap, ``keep`` is the identity."""

    spilled = False

    def empty(self, shape) -> np.ndarray:
        return np.empty(shape, dtype=np.uint64)

    def zeros(self, shape) -> np.ndarray:
        return np.zeros(shape, dtype=np.uint64)

    def keep(self, array: np.ndarray) -> np.ndarray:
        return array


HEAP = HeapColumns()


class SpillColumns:
    """Arrays backed by unlinked, preallocated files in ``directory`` (see the module docstring)."""

    spilled = True

    def __init__(self, directory: Path):
        self.directory = Path(directory)
        self.created = 0

    def empty(self, shape) -> np.ndarray:
        shape = tuple(shape) if isinstance(shape, (tuple, list)) else (shape,)
        nbytes = 8 * prod(shape)
        if nbytes == 0:
            return np.empty(shape, dtype=np.uint64)
        path = self.directory / f"column-{self.created:05d}"
        self.created += 1
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600)
            try:
                os.posix_fallocate(fd, 0, nbytes)
                mapping = mmap.mmap(fd, nbytes, flags=mmap.MAP_SHARED, prot=mmap.PROT_READ | mmap.PROT_WRITE)
            finally:
                os.close(fd)  # the mapping holds its own reference to the file
                path.unlink()
        except OSError as exc:
            if exc.errno in (errno.ENOSPC, errno.EDQUOT):
                raise SpillFull(self._full_message(nbytes)) from None
            raise ResourceError(f"cannot make a spill file in {self.directory.parent}: {exc.strerror or exc}") from None
        return np.frombuffer(mapping, dtype=np.uint64).reshape(shape)

    def zeros(self, shape) -> np.ndarray:
        """A zero-filled spilled array: a freshly reserved file reads as zeros, so this is free."""
        return self.empty(shape)

    def keep(self, array: np.ndarray) -> np.ndarray:
        """A spilled copy of ``array`` (the caller drops the original, which frees its heap)."""
        if is_mapped(array):
            return array  # already file-backed: spilled, or a proving key's file mapping
        out = self.empty(array.shape)
        out[...] = array
        return out

    def _full_message(self, nbytes: int) -> str:
        free = shutil.disk_usage(self.directory).free
        return (f"the spill directory {self.directory.parent} is full: a column needs {_size(nbytes)}, "
                f"{_size(free)} are free (free space, or pass another --spill DIR)")


def _size(nbytes: int) -> str:
    return f"{nbytes / 2**20:,.0f} MiB" if nbytes >= 2**20 else f"{nbytes / 2**10:,.0f} KiB"


def is_mapped(array: np.ndarray) -> bool:
    """Whether ``array`` views a memory mapping (a spilled column, a pk file's polynomial)."""
    base = array
    while isinstance(base, (np.ndarray, memoryview)):
        base = base.obj if isinstance(base, memoryview) else base.base
    return isinstance(base, mmap.mmap)


def check_spill_dir(directory) -> Path:
    """``directory`` as a Path, after failing (one line) if a proof could not spill there — so a
    typo is reported before any work, not after synthesis."""
    path = Path(directory)
    if not path.is_dir():
        raise InputError(f"--spill {path}: no such directory")
    if not os.access(path, os.W_OK | os.X_OK):
        raise InputError(f"--spill {path}: the directory is not writable")
    return path


@contextmanager
def spilling(directory):
    """Yield the column store for a proof: ``HEAP`` if ``directory`` is None, else a
    ``SpillColumns`` in a fresh private directory under it, removed when the block ends —
    whether it returns, raises, or is interrupted."""
    if directory is None:
        yield HEAP
        return
    parent = check_spill_dir(directory)
    try:
        private = Path(tempfile.mkdtemp(prefix=SPILL_PREFIX, dir=parent))
    except OSError as exc:
        raise InputError(f"--spill {parent}: cannot create a directory there: {exc.strerror or exc}") from None
    try:
        yield SpillColumns(private)
    finally:
        shutil.rmtree(private, ignore_errors=True)
