"""Where the prover's parallel work runs: in this process (the default) or on a Dask cluster.

The prover hands an executor two kinds of independent work — each round's column commitments
(one MSM per column) and the quotient strategy's declared parts — and writes the results to the
transcript in its own order, so the executor decides only *where* they run, never the proof bytes.
``open_executor`` is the one entry point; the Dask backend is imported only when asked for, so
halo2py runs without Dask installed.
"""

from __future__ import annotations

import os

from halo2py.errors import InputError
from halo2py.execution.base import COEFF, LAGRANGE, ClusterUnavailable, Executor, ProofTraffic
from halo2py.execution.local import InProcessExecutor

EXECUTORS = ("in-process", "dask")
DEFAULT_TIMEOUT = 30.0
# A local cluster of more processes than this per core only competes with itself (and 10^5 of
# them would never start); a wait of more than a day overflows the event loop's clock.
WORKERS_PER_CORE = 4
MAX_TIMEOUT = 86400.0

__all__ = ["COEFF", "DEFAULT_TIMEOUT", "EXECUTORS", "LAGRANGE", "ClusterUnavailable", "Executor",
           "InProcessExecutor", "ProofTraffic", "open_executor"]


def open_executor(name: str = "in-process", scheduler: str | None = None, workers: int | None = None,
                  threads_per_worker: int = 1, timeout: float = DEFAULT_TIMEOUT) -> Executor:
    """An executor, not yet started (use it as a context manager around the proofs it serves).

    ``dask``: the cluster at ``scheduler`` (tcp://HOST:PORT), or a LocalCluster of ``workers``
    process workers (default 2) with ``threads_per_worker`` threads each. ``timeout``: seconds to
    reach the cluster, and to wait for a worker when the cluster has none.
    """
    if name not in EXECUTORS:
        raise InputError(f"unknown --executor {name!r} (choose {' or '.join(EXECUTORS)})")
    if name == "in-process":
        if scheduler is not None or workers is not None:
            raise InputError("--scheduler and --workers need --executor dask")
        return InProcessExecutor()
    if scheduler is not None and workers is not None:
        raise InputError("give --scheduler (a running cluster) or --workers (a local one), not both")
    if (workers is not None and workers < 1) or threads_per_worker < 1:
        raise InputError("--workers and --threads-per-worker must be at least 1")
    cores = os.cpu_count() or 1
    if scheduler is None:  # a local cluster: processes and threads of this machine
        if workers is not None and workers > WORKERS_PER_CORE * cores:
            raise InputError(f"--workers must be between 1 and {WORKERS_PER_CORE * cores} on this machine "
                             f"({WORKERS_PER_CORE} per core), got {workers}")
        if threads_per_worker > cores:
            raise InputError(f"--threads-per-worker must be between 1 and {cores} on this machine, "
                             f"got {threads_per_worker}")
    if not timeout > 0:
        raise InputError(f"--timeout must be positive, got {timeout}")
    if timeout > MAX_TIMEOUT:
        raise InputError(f"--timeout must be at most {MAX_TIMEOUT:g} seconds (a day), got {timeout:g}")
    try:
        from halo2py.execution.cluster import DaskExecutor
    except ImportError as exc:
        if (exc.name or "").split(".")[0] not in ("dask", "distributed"):
            raise
        raise InputError("--executor dask needs Dask on this machine: install halo2py[dask] "
                         "(pip install 'halo2py[dask]')") from None
    return DaskExecutor(scheduler, workers or 2, threads_per_worker, timeout)
