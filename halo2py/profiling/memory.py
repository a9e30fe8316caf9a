"""Exact per-phase heap peaks of a proof, measured with memray.

memray records every allocation and deallocation of the process (malloc family, mmap, and the
data of numpy arrays and Numba's runtime). At each phase boundary the prover's ``PhaseTimer``
calls ``MemrayPhases``, which allocates and frees a *marker* buffer of a size that encodes the
boundary. Replaying the capture in order — live bytes up on an allocation, down on a free — gives
the heap at every instant, and the markers cut that sequence into phases: the peak of each phase
is exact, not sampled. The capture file is kept so ``memray flamegraph`` can show where the peak
comes from.

"Heap" means anonymous memory: memray also records *file-backed* mappings (a spilled column, a pk
file's polynomials), whose pages are page cache that the kernel writes back and evicts under
pressure; those are recognised by the Python frame that mapped them and left out of the heap (a
proof's peak RSS, which counts their resident pages, is reported beside it).
"""

from __future__ import annotations

import time
from contextlib import contextmanager
from dataclasses import dataclass, field

import numpy as np

from halo2py.plonk import columns as _columns

MARKER_BASE = 3_333_331  # marker buffer bytes = MARKER_BASE + 2·phase_code + (0 enter | 1 leave)
_ALLOC = {"MALLOC", "CALLOC", "REALLOC", "POSIX_MEMALIGN", "ALIGNED_ALLOC", "MEMALIGN", "VALLOC",
          "PVALLOC", "MMAP", "PYMALLOC_MALLOC", "PYMALLOC_CALLOC", "PYMALLOC_REALLOC"}
_FREE = {"FREE", "MUNMAP", "PYMALLOC_FREE"}
_FILE_MAPPERS = {_columns.__file__, np.memmap.__new__.__code__.co_filename}  # modules whose mmap calls map files


def _file_backed(record) -> bool:
    """Whether an MMAP record maps a file (by the Python frame that called mmap)."""
    return any(filename in _FILE_MAPPERS for _, filename, _ in record.stack_trace(max_stacks=1))


class MemrayPhases:
    """A PhaseTimer listener that writes phase boundaries into the memray capture."""

    def __init__(self):
        self.codes: dict[str, int] = {}
        self.boundaries: list = []  # (wall time, phase, "enter" | "leave")

    def _code(self, name: str) -> int:
        return self.codes.setdefault(name, len(self.codes))

    def _mark(self, name: str, leave: int) -> None:
        marker = np.empty(MARKER_BASE + 2 * self._code(name) + leave, dtype=np.uint8)
        del marker
        self.boundaries.append((time.time(), name, "leave" if leave else "enter"))

    def enter(self, name: str) -> None:
        self._mark(name, 0)

    def leave(self, name: str) -> None:
        self._mark(name, 1)


@dataclass
class HeapProfile:
    """Peak heap per phase (bytes, absolute: everything live in the process at that instant),
    the heap when each phase started, and the peak of the whole capture."""

    peak_bytes: int = 0
    phase_peak: dict = field(default_factory=dict)
    phase_start: dict = field(default_factory=dict)


def replay(capture_path, codes: dict) -> HeapProfile:
    """Replay a memray capture (FileFormat.ALL_ALLOCATIONS) into per-phase peaks."""
    import memray

    names = {v: k for k, v in codes.items()}
    kinds = {a.value: a.name for a in memray.AllocatorType}
    marker_limit = MARKER_BASE + 2 * len(codes)
    live: dict[int, int] = {}
    current = 0
    profile = HeapProfile()
    open_phases: list = []
    with memray.FileReader(str(capture_path)) as reader:
        for record in reader.get_allocation_records():
            kind = kinds[record.allocator]
            if kind in _ALLOC:
                size = record.size
                if MARKER_BASE <= size < marker_limit:
                    code, leave = divmod(size - MARKER_BASE, 2)
                    name = names[code]
                    if leave:
                        open_phases.remove(name)
                    else:
                        open_phases.append(name)
                        profile.phase_start.setdefault(name, current)
                        profile.phase_peak[name] = max(profile.phase_peak.get(name, 0), current)
                    live[record.address] = 0  # the marker itself is not the program's memory
                    continue
                if kind == "MMAP" and _file_backed(record):
                    live[record.address] = 0  # page cache, not heap (see the module docstring)
                    continue
                if kind == "MMAP" or record.address not in live:
                    live[record.address] = size
                else:  # an address reused before we saw its free (should not happen) — replace
                    current -= live[record.address]
                    live[record.address] = size
                current += size
            elif kind in _FREE:
                current -= live.pop(record.address, 0)
            else:
                continue
            if current > profile.peak_bytes:
                profile.peak_bytes = current
            for name in open_phases:
                if current > profile.phase_peak[name]:
                    profile.phase_peak[name] = current
    return profile


@contextmanager
def tracking(capture_path):
    """Run the body under a memray Tracker writing every allocation to ``capture_path``."""
    import memray

    with memray.Tracker(str(capture_path), file_format=memray.FileFormat.ALL_ALLOCATIONS,
                        memory_interval_ms=10):
        yield
