"""The process's memory policy for proofs: glibc's mmap threshold pinned, numpy's huge pages off;
and, for a process that proves again and again, freed memory kept.

**The mmap threshold.** glibc serves a request of at least ``M_MMAP_THRESHOLD`` bytes (128 KiB at
start) with its own mmap, returned to the kernel by ``free``; smaller ones come from the brk heap,
whose free space is given back only from its top. The threshold is *dynamic*: freeing an mmapped
chunk raises it to that chunk's size (up to 32 MiB on 64-bit). A proof frees its first column (n
field elements: 8 MiB at k = 18) early, so from then on every column comes from the brk heap, where
the holes the freed ones leave below a live column stay resident: peak RSS ran ~45 MiB above the
heap's peak at k = 18. Setting the threshold explicitly turns the adjustment off (glibc's
``mallopt``). 1 MiB keeps the small allocations — Python objects, a kernel's scratch, columns
below k = 15 — on the brk heap, where reusing them costs no page faults. Linux with glibc only:
elsewhere (or under musl, whose mallopt does nothing) this is a no-op.

**Huge pages.** numpy asks for transparent huge pages (``madvise(MADV_HUGEPAGE)``) on every array
of 4 MiB or more. With the kernel's usual ``defrag = madvise``, that makes the first touch of each
2 MiB of a new column *compact memory synchronously* until a free huge page exists. On a machine
whose free memory is fragmented — any that has run for a while, or a VM whose free pages go back
to the host — that costs more than the TLB misses it saves: on the benchmark VM, writing a fresh
256 MiB array took 2.6 s with the advice and 0.18 s without, and a k = 18 stress proof went from
17.7–18.3 s (6.1–6.6 s of it system time) to 13.2–14.4 s (1.6–1.9 s), peak RSS unchanged. A proof
frees and allocates columns all the time, so it touches fresh pages all the time; the policy
turns numpy's advice off, unless ``NUMPY_MADVISE_HUGEPAGE`` is set, which numpy itself honours and
which then wins.

**Keeping freed memory** (``retain_freed_memory``: Dask workers, and a Dask coordinator while its
executor is open, until ``release_retained_memory``). A worker proves one proof
after another, each allocating the columns the last one freed. With the policy above every
column is its own mmap, given back by ``free``, and the next proof faults each of its pages in
again (on a VM whose free pages go back to the host, ~2–12 µs per 4 KiB page). So a worker raises
the threshold to glibc's maximum (32 MiB: a column up to k = 20) and the trim threshold to 1 GiB:
freed columns stay in malloc's heaps and the next ones reuse their pages. Measured at k = 18,
second proofs on one cluster (the distributed phases): 15.3 → 14.1 s with one worker, 9.9 →
9.0 s with two. The cost is peak RSS where one worker holds every column (843 → 1 033 MiB: the
heap keeps the holes between live columns); two workers' peaks did not move (≈ 840 MiB). A
Dask coordinator keeps its freed memory too, while its executor is open: on a cluster its own
work (the lookup sorts, the running products, the draws) is what the workers wait for, and it
allocates the same scratch again every round and every proof (k = 18, two workers, second
proofs, on the EPYC VM of session 11: its CPU in the distributed phases 1.6–1.9 → 0.9–1.0 s,
those phases 6.5–7.1 → 5.9–6.7 s, its peak RSS 598 → 656 MiB). The in-process prover gains
nothing from this and pays the higher peak (session 6 measured 884 → 1 060 MiB at k = 18), so
it keeps the threshold pinned low. (Dask's nanny asks
for the opposite, ``MALLOC_TRIM_THRESHOLD_=65536``: mallopt, called after it, wins.)
"""

from __future__ import annotations

import ctypes
import os
import sys

M_TRIM_THRESHOLD, M_MMAP_THRESHOLD = -1, -3  # glibc's malloc.h
MMAP_THRESHOLD = 1 << 20
RETAINED_MMAP_THRESHOLD = 32 << 20  # glibc's largest (DEFAULT_MMAP_THRESHOLD_MAX on 64-bit)
RETAINED_TRIM_THRESHOLD = 1 << 30
GLIBC_TRIM_THRESHOLD = 128 << 10  # M_TRIM_THRESHOLD's default (DEFAULT_TRIM_THRESHOLD)
HUGE_PAGE_VARIABLE = "NUMPY_MADVISE_HUGEPAGE"  # numpy's own switch, read when numpy is imported


def apply_memory_policy() -> None:
    """What a proving process runs first: the CLI's ``main`` and each Dask worker."""
    pin_mmap_threshold()
    avoid_huge_pages()


def pin_mmap_threshold(threshold: int = MMAP_THRESHOLD) -> bool:
    """Set glibc's mmap threshold to ``threshold`` bytes; whether it was set."""
    return _mallopt(M_MMAP_THRESHOLD, threshold)


def retain_freed_memory() -> bool:
    """Keep freed columns in malloc's heaps for the next proof (see the module docstring): the
    mmap threshold at its maximum, the trim threshold at 1 GiB; whether both were set."""
    return _mallopt(M_MMAP_THRESHOLD, RETAINED_MMAP_THRESHOLD) & _mallopt(M_TRIM_THRESHOLD, RETAINED_TRIM_THRESHOLD)


def release_retained_memory() -> bool:
    """End ``retain_freed_memory``: the proving policy's pinned mmap threshold and glibc's default
    trim threshold again, and the free memory kept so far given back now (``malloc_trim``);
    whether all of it took."""
    pinned = _mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD) & _mallopt(M_TRIM_THRESHOLD, GLIBC_TRIM_THRESHOLD)
    if not pinned:
        return False
    trim = ctypes.CDLL(None).malloc_trim
    trim.argtypes, trim.restype = (ctypes.c_size_t,), ctypes.c_int
    trim(0)
    return True


def _mallopt(param: int, value: int) -> bool:
    """glibc's ``mallopt(param, value)``; whether it took (False off Linux or without glibc)."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):
        return False
    mallopt.argtypes, mallopt.restype = (ctypes.c_int, ctypes.c_int), ctypes.c_int
    return mallopt(param, value) == 1


def avoid_huge_pages() -> bool:
    """Stop numpy advising huge pages for new arrays (see the module docstring); whether this
    call turned the advice off. A user's ``NUMPY_MADVISE_HUGEPAGE`` is left to numpy."""
    multiarray = _advising_multiarray()
    if HUGE_PAGE_VARIABLE in os.environ or multiarray is None:
        return False
    multiarray._set_madvise_hugepage(False)
    return True


def huge_page_advice() -> bool | None:
    """Whether numpy now advises huge pages for new arrays (None: this numpy cannot say)."""
    multiarray = _advising_multiarray()
    return None if multiarray is None else bool(multiarray._get_madvise_hugepage())


def _advising_multiarray():
    """numpy's multiarray module if it has the huge-page switch (``_get_`` / ``_set_madvise_hugepage``:
    private, but what numpy's own import calls with ``NUMPY_MADVISE_HUGEPAGE``), else None. It
    lives under numpy.core before numpy 2."""
    try:
        from numpy._core import multiarray
    except ImportError:
        try:
            from numpy.core import multiarray
        except ImportError:
            return None
    has_switch = hasattr(multiarray, "_get_madvise_hugepage") and hasattr(multiarray, "_set_madvise_hugepage")
    return multiarray if has_switch else None
