"""OpenMP's idle policy for the CLI: threads that sleep between parallel loops instead of spinning.

Numba's ``omp`` threading layer (libgomp here) keeps a worker thread spinning for a while after
each parallel loop, so that the next loop starts without a wake-up. A proof runs hundreds of
short loops (an NTT's stages, a column's scaling), and between them the spinning thread burns a
core that the main thread's serial work, another process or a Dask worker could use.
``OMP_WAIT_POLICY=PASSIVE`` makes idle threads sleep at once. Measured on the benchmark VM
(session 6, stress in ezkl's shape, `prove --pk`, 3 + 3 alternating runs): the same wall time at
k = 14, 16 and 18, and 15 % (k = 14) and 5 % (k = 16) less CPU (k = 18: within noise).

libgomp reads the variable once, when Numba first loads it (the first parallel kernel's launch),
so ``main`` sets it before any kernel runs; a user's own ``OMP_WAIT_POLICY`` wins.
"""

from __future__ import annotations

import os

WAIT_POLICY = "OMP_WAIT_POLICY"


def prefer_passive_waits() -> bool:
    """Ask for passive OpenMP waits unless the user chose a policy; whether this call set it."""
    if WAIT_POLICY in os.environ:
        return False
    os.environ[WAIT_POLICY] = "PASSIVE"
    return True
