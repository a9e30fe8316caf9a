"""Shared by the ``bench`` subcommands: thread selection and medians over repeated runs.

Numba is imported inside the functions so that merely loading the CLI stays fast.
"""

import statistics
import time
from dataclasses import dataclass
from typing import Callable

from halo2py.errors import InputError


@dataclass(frozen=True)
class Timing:
    """Wall-clock seconds of each measured run (the warm-up run is not among them)."""

    samples: list

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    @property
    def best(self) -> float:
        return min(self.samples)


def measure(fn: Callable[[], object], runs: int, warmup: int = 1) -> Timing:
    """Call ``fn`` ``warmup`` times untimed (JIT/cache load, twiddles), then ``runs`` times timed."""
    check_runs(runs)
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - t0)
    return Timing(samples)


def check_runs(runs: int) -> None:
    if runs < 1:
        raise InputError(f"--runs must be at least 1, got {runs}")


def use_threads(threads: int | None) -> int:
    """Set Numba's worker count (None: all it was started with) and return the count in use."""
    import numba

    available = numba.config.NUMBA_NUM_THREADS
    if threads is None:
        threads = available
    if not 1 <= threads <= available:
        raise InputError(f"--threads must be between 1 and {available} on this machine, got {threads}")
    numba.set_num_threads(threads)
    return threads
