"""The CLI and Python's cyclic garbage collector: no full passes over what start-up builds.

A command's start-up — importing NumPy, Numba and halo2py, Numba's first use of its typing
registries, reading the key and the params — makes a few hundred thousand objects that live until
the process ends. The collector's full passes over them (three before a proof, 0.15 s) find
nothing to free, and Python's shutdown repeats them once more. So a heavy command starts with the
collector paused (``paused_until_work``), freezes what start-up built when the work begins
(``work_begins``: the proof's own collections skip those objects), and the process skips the
passes at exit (``skip_final_collection``). Reference counting still frees everything as usual;
only cycles made during start-up wait, and they are few.
"""

from __future__ import annotations

import functools
import gc

_resume = True  # whether the collector was running when the paused command started


def paused_until_work(command):
    """Run ``command`` with the collector paused until it calls ``work_begins()``; afterwards
    (success or failure) the frozen objects are handed back and the collector's state restored,
    so commands that tests run one after another in a process leave nothing behind."""

    @functools.wraps(command)  # Typer reads the parameters through __wrapped__
    def run(*args, **kwargs):
        global _resume
        _resume = gc.isenabled()
        gc.disable()
        try:
            return command(*args, **kwargs)
        finally:
            gc.unfreeze()
            if _resume:
                gc.enable()

    return run


def work_begins() -> None:
    """Start-up is over: freeze the objects it made, then let the collector run again."""
    gc.freeze()
    if _resume:
        gc.enable()


def skip_final_collection() -> None:
    """An atexit handler: freeze everything, so the collections of Python's shutdown skip it.

    After a proof that is 0.1–0.2 s of full passes over memory the OS takes back anyway. The
    atexit handlers, stream flushes and module finalisation still run as before; being an atexit
    handler, it fires only when the process ends, never between commands run in one process."""
    gc.freeze()
