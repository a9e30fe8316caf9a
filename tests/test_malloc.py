"""``halo2py._malloc``: the CLI pins glibc's mmap threshold so freed columns leave the RSS, and
turns numpy's huge-page advice off; a Dask worker keeps what it frees for its next proof."""

import ctypes
import platform
import resource
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from halo2py._malloc import (HUGE_PAGE_VARIABLE, MMAP_THRESHOLD, avoid_huge_pages, huge_page_advice,
                             pin_mmap_threshold, release_retained_memory, retain_freed_memory)


@pytest.mark.skipif(not sys.platform.startswith("linux") or platform.libc_ver()[0] != "glibc",
                    reason="mallopt's M_MMAP_THRESHOLD is glibc's")
def test_a_pinned_threshold_returns_a_freed_column_to_the_kernel():
    """After the pin, a column past the threshold is its own mapping: freeing one allocated after
    a larger one was freed (which, unpinned, raises the threshold past it) shrinks the RSS."""
    assert pin_mmap_threshold()
    np.ones(16 * MMAP_THRESHOLD, dtype=np.uint8)  # freed at once: unpinned, it would raise the threshold
    column = np.ones(8 * MMAP_THRESHOLD, dtype=np.uint8)
    before = _rss()
    del column
    assert before - _rss() >= 7 * MMAP_THRESHOLD


def test_elsewhere_it_is_a_no_op(monkeypatch):
    monkeypatch.setattr(sys, "platform", "darwin")
    assert pin_mmap_threshold() is False
    assert retain_freed_memory() is False
    assert release_retained_memory() is False


def refaulted_pages(nbytes: int = 8 << 20) -> tuple:
    """(pages, page faults) of touching a column of ``nbytes`` allocated right after an equal one
    was touched and freed: every page is faulted in again if the freed one went back to the
    kernel, hardly any if its pages were kept for reuse."""
    who = getattr(resource, "RUSAGE_THREAD", resource.RUSAGE_SELF)
    np.ones(nbytes, dtype=np.uint8)  # touched, then freed at once
    before = resource.getrusage(who).ru_minflt
    column = np.ones(nbytes, dtype=np.uint8)
    faults = resource.getrusage(who).ru_minflt - before
    del column
    return nbytes // ctypes.CDLL(None).getpagesize(), faults


@pytest.mark.skipif(not sys.platform.startswith("linux") or platform.libc_ver()[0] != "glibc",
                    reason="mallopt's thresholds are glibc's")
@pytest.mark.parametrize("retain", [False, True])
def test_a_retaining_process_reuses_a_freed_columns_pages(retain):
    """In a fresh process under the proving policy: as the CLI runs (pinned threshold), a freed
    8 MiB column is given back and the next one faults every page in; retaining, as a Dask
    worker does, the next one reuses its pages."""
    code = ("from halo2py._malloc import apply_memory_policy, retain_freed_memory; apply_memory_policy(); "
            f"assert {retain} is False or retain_freed_memory(); "
            "from test_malloc import refaulted_pages; print(*refaulted_pages())")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                          cwd=Path(__file__).parent)
    pages, faults = map(int, done.stdout.split())
    assert faults < pages // 8 if retain else faults >= pages


@pytest.mark.skipif(not sys.platform.startswith("linux") or platform.libc_ver()[0] != "glibc",
                    reason="mallopt's thresholds are glibc's")
def test_releasing_gives_the_kept_memory_back_and_pins_the_threshold_again():
    """A process that retained (a Dask coordinator while its executor is open) gives the columns
    it freed back when it releases, and from then on faults a new column's pages in again, as
    under the CLI's policy."""
    code = ("import numpy as np; from halo2py._malloc import apply_memory_policy, retain_freed_memory, "
            "release_retained_memory; apply_memory_policy(); assert retain_freed_memory(); "
            "from test_malloc import _rss, refaulted_pages; "
            "columns = [np.ones(16 << 20, dtype=np.uint8) for _ in range(4)]; del columns; kept = _rss(); "
            "assert release_retained_memory(); print(kept - _rss(), *refaulted_pages())")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                          cwd=Path(__file__).parent)
    given_back, pages, faults = map(int, done.stdout.split())
    assert given_back >= 56 << 20  # of the 64 MiB kept
    assert faults >= pages


def _rss() -> int:
    """The resident set now (Linux: /proc/self/statm, in pages)."""
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * ctypes.CDLL(None).getpagesize()


def test_the_policy_turns_numpys_huge_page_advice_off(monkeypatch):
    """numpy advises huge pages by default; after the policy it does not, so a fresh column's
    first touch never waits for memory compaction (halo2py._malloc)."""
    monkeypatch.delenv(HUGE_PAGE_VARIABLE, raising=False)
    before = huge_page_advice()
    try:
        _set_advice(True)
        assert huge_page_advice() is True
        assert avoid_huge_pages() is True
        assert huge_page_advice() is False
    finally:
        _set_advice(before)


def test_a_users_huge_page_choice_is_left_to_numpy(monkeypatch):
    monkeypatch.setenv(HUGE_PAGE_VARIABLE, "1")
    before = huge_page_advice()
    try:
        _set_advice(True)
        assert avoid_huge_pages() is False
        assert huge_page_advice() is True
    finally:
        _set_advice(before)


def _set_advice(on: bool) -> None:
    from halo2py._malloc import _advising_multiarray

    _advising_multiarray()._set_madvise_hugepage(on)
