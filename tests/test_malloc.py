"""``halo2py._malloc``: the CLI pins glibc's mmap threshold so freed columns leave the RSS, and
turns numpy's huge-page advice off."""

import ctypes
import platform
import sys

import numpy as np
import pytest

from halo2py._malloc import (HUGE_PAGE_VARIABLE, MMAP_THRESHOLD, avoid_huge_pages, huge_page_advice,
                             pin_mmap_threshold)


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
