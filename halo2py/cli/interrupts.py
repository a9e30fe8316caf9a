"""Ctrl-C that never lands inside Numba's compiler.

Loading a kernel from Numba's cache runs Python callbacks from LLVM's object cache (through
llvmlite's ctypes). A KeyboardInterrupt raised in one of them cannot propagate: ctypes prints
"Exception ignored" and returns garbage to LLVM, and the process then dies of SIGSEGV instead of
exiting 130 with its partial files removed. Every such callback runs under Numba's global
compiler lock, so the CLI's SIGINT handler raises KeyboardInterrupt only when this thread does
not hold that lock; otherwise it asks again a moment later, until the compiler is done.
"""

from __future__ import annotations

import signal
import sys
import threading

RETRY_SECONDS = 0.02


def install() -> bool:
    """Use this module's SIGINT handler if Python's default one is in place (a SIGINT ignored,
    as in a background job, or a host program's own handler is left alone); whether it is."""
    current = signal.getsignal(signal.SIGINT)
    if current is _on_interrupt:
        return True
    if current is not signal.default_int_handler:
        return False
    signal.signal(signal.SIGINT, _on_interrupt)
    return True


def _on_interrupt(signum, frame) -> None:
    if _compiling():
        timer = threading.Timer(RETRY_SECONDS, signal.raise_signal, (signal.SIGINT,))
        timer.daemon = True
        timer.start()
        return
    raise KeyboardInterrupt


def _compiling() -> bool:
    """Whether this thread holds Numba's compiler lock (compiling, or loading from the cache)."""
    lock_module = sys.modules.get("numba.core.compiler_lock")
    return lock_module is not None and lock_module.global_compiler_lock.is_locked()
