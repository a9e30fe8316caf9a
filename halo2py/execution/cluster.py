"""``--executor dask``: column commitments and quotient parts as tasks on a Dask cluster.

Per proof, the SRS is scattered once to every worker (broadcast); each round's columns are
scattered one per task (round-robin) and committed where they land — one MSM task per column;
the quotient's polynomials are broadcast once and every declared part is a task. Results are
gathered in submission order, so the transcript is written exactly as in process. The workers run
the same Numba kernels (their cache, ``$HALO2PY_CACHE_DIR``, should be warm: ``make warm``).

Faults: a task whose worker dies is rescheduled by Dask on another worker (the scheduler's
``allowed-failures``), and a task that raises is retried (``retries=``); the proof is the same,
since every task is a pure function of what it was sent. A cluster that cannot be reached within
``timeout`` seconds, or that has had no worker for ``timeout`` seconds while the proof waits, is
one ``ClusterUnavailable`` line instead of a hang.

This is the only module that imports Dask; ``halo2py.execution.open_executor`` imports it lazily.
"""

from __future__ import annotations

import logging
import pickle
import sys
import time
from concurrent.futures import CancelledError
from contextlib import contextmanager

import cloudpickle
import distributed
import numpy as np

from halo2py.execution.base import ClusterUnavailable, Executor, ProofTraffic, peak_rss_bytes
from halo2py.execution.local import commit_column
from halo2py.quotient.strategy import declared_parts

RETRIES = 2           # re-runs of a task that raised (a dead worker's tasks are rescheduled anyway)
POLL_SECONDS = 1.0    # how often a waiting proof checks that the cluster still has workers
PLUGIN_PREFIX = "halo2py_plugin_"  # modules halo2py.plugins loaded from a file (see below)


def quotient_part(strategy_blob: bytes, task, index: int):
    """One declared quotient part, on a worker (the strategy travels cloudpickled, see ``quotient``)."""
    return pickle.loads(strategy_blob).compute_part(task, index)


def array_bytes(obj, _seen=None) -> int:
    """The bytes of every numpy array inside ``obj`` (lists, tuples, dicts, object attributes)."""
    seen = set() if _seen is None else _seen
    if id(obj) in seen:
        return 0
    seen.add(id(obj))
    if isinstance(obj, np.ndarray):
        return obj.nbytes
    if isinstance(obj, (list, tuple)):
        return sum(array_bytes(x, seen) for x in obj)
    if isinstance(obj, dict):
        return sum(array_bytes(x, seen) for x in obj.values())
    if hasattr(obj, "__dict__"):
        return array_bytes(vars(obj), seen)
    return 0


class DaskExecutor(Executor):
    name = "dask"

    def __init__(self, scheduler: str | None, workers: int, threads_per_worker: int, timeout: float):
        self.scheduler, self.workers, self.threads = scheduler, workers, threads_per_worker
        self.timeout = timeout
        self._cluster = self._client = self._srs = None

    # --- the cluster's lifetime ----------------------------------------------------------------
    def __enter__(self):
        if self.scheduler is None:
            # Numba's threads are the worker's threads: without the cap every worker would start
            # one Numba thread per core and the workers would fight over the cores.
            self._cluster = distributed.LocalCluster(
                n_workers=self.workers, threads_per_worker=self.threads, processes=True, dashboard_address=None,
                worker_dashboard_address=None,
                silence_logs=logging.CRITICAL, env={"NUMBA_NUM_THREADS": str(self.threads)})
        where = self.scheduler or self._cluster.scheduler_address
        try:
            self._client = distributed.Client(self._cluster or self.scheduler, timeout=self.timeout,
                                              set_as_default=False)
        except (OSError, TimeoutError) as exc:
            self.__exit__()
            raise ClusterUnavailable(f"cannot reach the Dask scheduler at {where} within {self.timeout:g} s "
                                     f"({type(exc).__name__}); is `dask scheduler` running there?") from None
        self._await_workers()
        return self

    def __exit__(self, *exc) -> None:
        for part in (self._client, self._cluster):
            if part is not None:
                part.close()
        self._client = self._cluster = None

    def _await_workers(self) -> int:
        try:
            self._client.wait_for_workers(1, timeout=self.timeout)
        except (OSError, TimeoutError):
            raise ClusterUnavailable(f"the Dask scheduler at {self._client.scheduler.address} has no worker "
                                     f"(none joined within {self.timeout:g} s); start `dask worker` there") from None
        return len(self._client.nthreads())

    # --- one proof -------------------------------------------------------------------------------
    @contextmanager
    def proof(self, params):
        self.traffic = ProofTraffic(workers=self._await_workers())
        self._srs = self._broadcast(params)
        try:
            yield self
            self.traffic.worker_peak_rss = self._client.run(peak_rss_bytes)
        finally:
            self._srs.release()
            self._srs = None

    def commit(self, params, columns: list) -> list:
        """The columns' commitments, with the SRS ``proof(params)`` scattered (``params`` is that one)."""
        if not columns:
            return []
        data = self._scatter([values for _, values in columns])  # one column to one worker, round-robin
        self.traffic.submitted += sum(values.nbytes for _, values in columns)
        futures = [self._client.submit(commit_column, self._srs, basis, values, pure=False, retries=RETRIES)
                   for (basis, _), values in zip(columns, data)]
        points = self._results(futures)
        self.traffic.gathered += sum(point.nbytes for point in points)
        return points

    def quotient(self, strategy, task):
        count = declared_parts(strategy, task)
        if not count:  # a strategy without declared parts runs whole, here
            return strategy.compute(task)
        # Strategies loaded from a file live in a module the workers cannot import: send them by value.
        for name in [m for m in sys.modules if m.startswith(PLUGIN_PREFIX)]:
            cloudpickle.register_pickle_by_value(sys.modules[name])
        blob = cloudpickle.dumps(strategy)
        shared = self._broadcast(task)
        try:
            futures = [self._client.submit(quotient_part, blob, shared, i, pure=False, retries=RETRIES)
                       for i in range(count)]
            results = self._results(futures)
        finally:
            shared.release()
        self.traffic.gathered += array_bytes(results)
        return strategy.combine(task, results)

    # --- helpers ---------------------------------------------------------------------------------
    def _broadcast(self, obj):
        """``obj`` on every worker, as one future (counted once per worker)."""
        workers = self._await_workers()
        future = self._scatter(obj, broadcast=True)
        self.traffic.scattered += array_bytes(obj) * workers
        return future

    def _scatter(self, data, broadcast: bool = False):
        try:
            return self._client.scatter(data, broadcast=broadcast, hash=False, timeout=self.timeout)
        except (OSError, TimeoutError):
            raise ClusterUnavailable(f"could not send the proof's data to the Dask workers within {self.timeout:g} s "
                                     "(a slow network or huge k: raise --timeout)") from None

    def _results(self, futures: list) -> list:
        """The futures' results in order; a cluster without workers for ``timeout`` seconds, a task
        lost on every worker that tried it, or a lost scheduler is ClusterUnavailable."""
        alone_since = None
        results = []
        try:
            for future in futures:
                while True:
                    try:
                        results.append(future.result(timeout=POLL_SECONDS))
                        break
                    except TimeoutError:
                        alone_since = self._check_alone(alone_since)
        except distributed.KilledWorker as exc:
            raise ClusterUnavailable(f"a task died with every worker that ran it ({exc.args[0]}): "
                                     "out of memory, or a crash in the kernels") from None
        except (CancelledError, OSError) as exc:
            raise ClusterUnavailable(f"the Dask cluster lost this proof's data (every worker holding it died) or "
                                     f"the connection to it ({type(exc).__name__})") from None
        return results

    def _check_alone(self, since: float | None) -> float | None:
        """When the cluster first had no worker (None while it has some); past ``timeout`` seconds
        alone, ClusterUnavailable."""
        try:
            workers = len(self._client.nthreads())
        except OSError:
            raise ClusterUnavailable("lost the connection to the Dask scheduler mid-proof") from None
        if workers:
            return None
        if since is None:
            return time.monotonic()
        if time.monotonic() - since > self.timeout:
            raise ClusterUnavailable(f"the Dask cluster lost every worker and none came back within "
                                     f"{self.timeout:g} s")
        return since
