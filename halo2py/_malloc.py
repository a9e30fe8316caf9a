"""Pinning glibc's mmap threshold, so that a freed column goes back to the kernel.

glibc serves a request of at least ``M_MMAP_THRESHOLD`` bytes (128 KiB at start) with its own
mmap, returned to the kernel by ``free``; smaller ones come from the brk heap, whose free space
is given back only from its top. The threshold is *dynamic*: freeing an mmapped chunk raises it
to that chunk's size (up to 32 MiB on 64-bit). A proof frees its first column (n field elements:
8 MiB at k = 18) early, so from then on every column comes from the brk heap, where the holes the
freed ones leave below a live column stay resident: peak RSS ran ~45 MiB above the heap's peak
at k = 18. Setting the threshold explicitly turns the adjustment off (glibc's ``mallopt``).

1 MiB keeps the small allocations — Python objects, a kernel's scratch, columns below k = 15 —
on the brk heap, where reusing them costs no page faults. Linux with glibc only: elsewhere (or
under musl, whose mallopt does nothing) this is a no-op.
"""

from __future__ import annotations

import ctypes
import sys

M_MMAP_THRESHOLD = -3  # glibc's malloc.h
MMAP_THRESHOLD = 1 << 20


def pin_mmap_threshold(threshold: int = MMAP_THRESHOLD) -> bool:
    """Set glibc's mmap threshold to ``threshold`` bytes; whether it was set."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):
        return False
    mallopt.argtypes, mallopt.restype = (ctypes.c_int, ctypes.c_int), ctypes.c_int
    return mallopt(M_MMAP_THRESHOLD, threshold) == 1
