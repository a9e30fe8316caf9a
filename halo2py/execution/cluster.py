"""``--executor dask``: column commitments, basis changes and quotient parts as tasks on a Dask
cluster.

Per proof, the SRS is scattered once to every worker (broadcast). Every Lagrange-form column is
sent once, to one worker (round-robin), as soon as the prover has it: committed columns with
their MSM task, the instance and key columns when the first advice commitments are under way.
The worker that holds a column also interpolates it (a low-priority task, so it fills the time
the workers would wait for the coordinator's own work — lookup permutations, grand products);
the coefficient form stays there and is copied, in the background too, to every other worker
that runs quotient parts (each part reads every polynomial), and is gathered once into the
coordinator's array, which it overwrites (the coordinator needs it for the evaluations and the
opening) while the parts run. So a column crosses the network from the coordinator in one basis
only, the coordinator interpolates nothing, and the parts start without fetching. The client
talks to the workers directly, not through the scheduler. Results are gathered in submission
order, so the transcript is written exactly as in process. The workers run the same Numba
kernels (their cache, ``$HALO2PY_CACHE_DIR``, should be warm: ``make warm``).

Faults: a task whose worker dies is rescheduled by Dask on another worker (the scheduler's
``allowed-failures``), and a task that raises is retried (``retries=``); the proof is the same,
since every task is a pure function of what it was sent. A cluster that cannot be reached within
``timeout`` seconds, or that has had no worker for ``timeout`` seconds while the proof waits, is
one ``ClusterUnavailable`` line instead of a hang.

This is the only module that imports Dask; ``halo2py.execution.open_executor`` imports it lazily.
"""

from __future__ import annotations

import collections
import dataclasses
import logging
import math
import mmap
import os
import pickle
import socket
import sys
import threading
import time
import uuid
from concurrent.futures import CancelledError
from contextlib import contextmanager

import cloudpickle
import dask
import distributed
import numba
import numpy as np

from halo2py._malloc import apply_memory_policy, release_retained_memory, retain_freed_memory
from halo2py.curve.msm import msm, scalar_weight
from halo2py.curve.points import G1
from halo2py.execution.base import (
    LAGRANGE, ClusterUnavailable, Executor, ProofTraffic, kernels_compiled, peak_rss_bytes,
)
from halo2py.execution.local import commit_column
from halo2py.quotient.strategy import declared_part_buffers, declared_parts

RETRIES = 2           # re-runs of a task that raised (a dead worker's tasks are rescheduled anyway)
RESENDS = 2           # times a step starts again after its data died with a worker (see _again)
POLL_SECONDS = 1.0    # how often a waiting proof checks that the cluster still has workers
PLUGIN_PREFIX = "halo2py_plugin_"  # modules halo2py.plugins loaded from a file (see below)
# a local cluster's event-loop health checks and system monitors, every 1 s and 5 s (not 20 ms
# and 0.5 s): see DaskExecutor.__enter__
QUIET = {"distributed.admin.tick.interval": "1s", "distributed.admin.system-monitor.interval": "5s"}
BACKGROUND = -1       # the priority of interpolations: after any commitment or quotient part


def quotient_part(strategy_blob: bytes, task, index: int, proof: str, *polys):
    """One declared quotient part, on a worker: the task arrives without its polynomials, which
    Dask hands over as the futures they are (the strategy travels cloudpickled, see ``quotient``).
    Its scratch comes from this worker's buffers for ``proof`` (``PartBuffers``)."""
    numba_threads()
    buffers = PartBuffers(proof)
    result = pickle.loads(strategy_blob).compute_part(
        dataclasses.replace(task, polys=list(polys), allocate=buffers.allocate), index)
    buffers.give_back(result)
    return result


class _Pool:
    """A worker's part buffers: every buffer it ``owns`` for one list of ``shapes``, and those
    of them no part holds now (``free``)."""

    def __init__(self, shapes: tuple, buffers: list):
        self.shapes, self.owned, self.free = shapes, list(buffers), list(buffers)


_POOL: list = []  # on a worker: [] or [the _Pool]
_STARTED: collections.deque = collections.deque(maxlen=16)  # on a worker: proofs whose parts began here
_POOL_LOCK = threading.Lock()


def reserve_part_buffers(proof: str, shapes: list) -> None:
    """Have this worker own the part buffers ``shapes`` and fault every page in, now, in a gap
    of the rounds: a part that first touches a fresh buffer of every polynomial (280 MiB at
    k = 18) pays its page faults inside the quotient, and on a VM whose free pages go back to
    the host, two workers faulting at once took twice as long per transform (part 1 s → 2 s).

    The buffers stay with the worker after the proof, for the next proof of the same shape (a
    cluster proves one circuit again and again: faulting them in again cost each worker
    0.1–1.3 CPU s per proof at k = 18, in the lookup rounds, where the coordinator's own work
    is the critical path); the worker's memory between proofs stays at the quotient's. A
    reservation of other shapes drops them (another circuit or k), and so does the executor's
    end (``release_part_buffers``). A reservation that comes after ``proof``'s parts started
    here does nothing: they have allocated their own."""
    shapes = tuple(tuple(int(d) for d in shape) for shape in shapes)
    with _POOL_LOCK:
        if proof in _STARTED:
            return
        if not _POOL or _POOL[0].shapes != shapes:
            _POOL[:] = [_Pool(shapes, [])]  # another shape's go (those a part holds, when it gives them back)
        pool = _POOL[0]
        missing = list(shapes)  # those not owned: all, or one a part's result kept
        for buffer in pool.owned:
            missing.remove(buffer.shape)
    if not missing:
        return
    buffers = []
    for shape in missing:
        buffer = np.empty(shape, dtype=np.uint64)
        buffer.reshape(-1).view(np.uint8)[::mmap.PAGESIZE] = 0
        buffers.append(buffer)
    with _POOL_LOCK:
        if _POOL and _POOL[0] is pool:
            pool.owned += buffers
            pool.free += buffers


def release_part_buffers() -> None:
    """Drop this worker's part buffers (their executor is done proving)."""
    with _POOL_LOCK:
        _POOL.clear()


class PartBuffers:
    """One part's allocator: a free buffer of the worker's pool of the shape asked for if there is
    one, else a new one; ``give_back`` returns the pool's to it for the next part (or proof),
    unless the part's result is a view of one (that one stays with the result and leaves the
    pool)."""

    def __init__(self, proof: str):
        with _POOL_LOCK:
            if proof not in _STARTED:
                _STARTED.append(proof)  # from now on, a late reservation for this proof does nothing
        self.taken: list = []

    def allocate(self, shape) -> np.ndarray:
        shape = tuple(int(d) for d in np.atleast_1d(shape))
        with _POOL_LOCK:  # a worker of several threads runs parts side by side
            free = _POOL[0].free if _POOL else []
            for i, buffer in enumerate(free):
                if buffer.shape == shape:
                    self.taken.append((_POOL[0], free.pop(i)))
                    return self.taken[-1][1]
        return np.empty(shape, dtype=np.uint64)

    def give_back(self, result) -> None:
        kept = _arrays(result)
        with _POOL_LOCK:
            for pool, buffer in self.taken:
                if any(np.may_share_memory(buffer, a) for a in kept):
                    pool.owned = [b for b in pool.owned if b is not buffer]
                elif _POOL and pool is _POOL[0]:  # not dropped meanwhile
                    pool.free.append(buffer)
        self.taken = []


def interpolate(domain, values):
    """A column's coefficient form, on the worker that holds its values (a new array: the values
    are Dask's, and a retried task must find them unchanged)."""
    numba_threads()
    return domain.lagrange_to_coeff(values)


def hold(*coeffs) -> None:
    """Nothing: pinned to a worker, it has that worker fetch coefficient forms (which it then
    keeps), so that every worker holds every polynomial before the quotient parts need them."""


# A Dask scheduler opens every connection by writing its handshake: one message, a little-endian
# u64 byte count and then that many bytes of frames (a small msgpack dict). No real handshake is
# anywhere near this size; a claim beyond it is some other protocol's bytes read as a length.
HANDSHAKE_MAX_BYTES = 1 << 20


def _scheduler_refusal(address: str, timeout: float) -> str | None:
    """Why a TCP scheduler address (``tcp://HOST:PORT`` or ``HOST:PORT``) is not a Dask scheduler
    we can use — no connection within ``timeout`` seconds, or a first message that is not a
    scheduler's handshake — or None. Asked before Dask's ``Client``, whose constructor, when it
    cannot connect, raises and leaves its event-loop thread running, and which trusts the length
    a peer's first eight bytes claim (an HTTP server's reply read so asks for 3 EiB). Other
    schemes are left to Dask."""
    scheme, _, rest = address.rpartition("://")
    host, colon, port = rest.rpartition(":")
    if scheme not in ("", "tcp") or not colon or not port.isdigit():
        return None
    try:
        with socket.create_connection((host.strip("[]"), int(port)), timeout=timeout) as conn:
            header = conn.recv(8, socket.MSG_WAITALL)  # fewer bytes only if the peer closed first
    except OSError:
        return "no connection"
    if len(header) < 8:
        return "not a Dask scheduler: it closed the connection without a handshake"
    claimed = int.from_bytes(header, "little")
    if not 0 < claimed <= HANDSHAKE_MAX_BYTES:
        return f"not a Dask scheduler: its first message claims {claimed} bytes"
    return None


def worker_counters(dask_worker) -> tuple:
    """(bytes sent to others — peers and clients — by its own count, CPU seconds, kernels
    compiled, peak RSS) of this worker's process so far: read once before and once after a
    proof, in one round trip each."""
    return (dask_worker.transfer_outgoing_bytes_total, time.process_time(), kernels_compiled(),
            peak_rss_bytes())


def array_bytes(obj) -> int:
    """The bytes of every numpy array inside ``obj`` (lists, tuples, dicts, object attributes)."""
    return sum(a.nbytes for a in _arrays(obj))


def _arrays(obj, _seen=None) -> list:
    """Every numpy array inside ``obj`` (lists, tuples, dicts, object attributes), once each."""
    seen = set() if _seen is None else _seen
    if id(obj) in seen:
        return []
    seen.add(id(obj))
    if isinstance(obj, np.ndarray):
        return [obj]
    if isinstance(obj, (list, tuple)):
        return [a for x in obj for a in _arrays(x, seen)]
    if isinstance(obj, dict):
        return [a for x in obj.values() for a in _arrays(x, seen)]
    if hasattr(obj, "__dict__"):
        return _arrays(vars(obj), seen)
    return []


class _DataLost(Exception):
    """A future was cancelled because the only copy of one of its inputs died with its worker."""


class WorkerSetup(distributed.WorkerPlugin):
    """What each worker does when it joins, before any task.

    - Numba reads ``NUMBA_NUM_THREADS`` again. A local cluster's nanny sets the variable only
      after the spawned process has imported Numba, which then sized its thread pool for every
      core; without the reload, a kernel's first call after the pool started fails on the
      mismatch, and ``numba_threads`` could not lower the count.
    - The CLI's memory policy (``halo2py._malloc``): a worker allocates and frees columns as the
      coordinator does, and without it pays the same huge-page stalls on every fresh column.
    - Then it keeps the memory it frees (``retain_freed_memory``): a worker proves again and
      again, and a column it frees is one the next proof allocates again; given back to the
      kernel, every page of it is faulted in again (k = 18, second proofs: distributed phases
      15.3 → 14.1 s with one worker, 9.9 → 9.0 s with two).
    """

    def setup(self, worker) -> None:
        numba.config.reload_config()
        apply_memory_policy()
        retain_freed_memory()


def numba_threads() -> None:
    """Run this task's kernels on the worker's ``NUMBA_NUM_THREADS`` threads (a per-thread
    setting; the pool may have been started bigger, see ``WorkerSetup``)."""
    numba.set_num_threads(numba.config.NUMBA_NUM_THREADS)


def commit_task(params, basis: str, values):
    """One column's commitment, on a worker."""
    numba_threads()
    return commit_column(params, basis, values)


def partial_commit(params, start: int, coeffs):
    """Σ coeffs[j]·g[start + j], on a worker: one slice of a coefficient-form commitment, as a
    Jacobian point (the slices' points add up to the commitment)."""
    numba_threads()
    return msm(params.g[start:start + coeffs.shape[0]], coeffs)


_OPEN = [0]  # this process's open Dask executors
_OPEN_LOCK = threading.Lock()


def _coordinating(change: int) -> None:
    """Count this process's open executors: from the first one's start to the last one's end it
    keeps the memory it frees, as its workers do (``halo2py._malloc``) — a coordinator's own
    rounds allocate the same scratch (sort keys, ratio columns, draws) again and again, and on a
    cluster that work is what the workers wait for."""
    with _OPEN_LOCK:
        _OPEN[0] += change
        if change > 0 and _OPEN[0] == 1:
            retain_freed_memory()
        elif change < 0 and _OPEN[0] == 0:
            release_retained_memory()


class _Client(distributed.Client):
    """Dask's client, cleaned up when its constructor fails. Dask's own, failing to connect (a
    peer that opened like a scheduler and then sent something else), leaves its event-loop
    thread running, and its ``__del__`` at interpreter exit waits 6 s to close a connection that
    never was and prints a traceback. Marking it closed makes ``close``/``__del__`` no-ops, and
    its loop runner is stopped here (``_loop_runner``: absent in some other Dask, nothing to do)."""

    def __init__(self, *args, **kwargs):
        try:
            super().__init__(*args, **kwargs)
        except BaseException:
            self.status = "closed"
            runner = getattr(self, "_loop_runner", None)
            if runner is not None:
                runner.stop()
            raise


class DaskExecutor(Executor):
    name = "dask"

    def __init__(self, scheduler: str | None, workers: int, threads_per_worker: int, timeout: float):
        self.scheduler, self.workers, self.threads = scheduler, workers, threads_per_worker
        self.timeout = timeout
        self._cluster = self._client = self._srs = None
        self._params = None
        self._values: dict = {}  # id(array) → (array, future of its values on a worker), this proof
        self._coeffs: dict = {}  # id(array) → (array, future of its coefficient form on a worker)
        self._holds: list = []   # the hold tasks copying the coefficient forms to every worker
        self._unheld: list = []  # coefficient-form futures not yet in a hold (they go with the round's points)
        self._hold_on: list = []  # the workers that run quotient parts, which hold every coefficient form
        self._workers: list = []  # the cluster's workers, sorted: asked at the proof's start and after a loss
        self._own_threads = 0    # this process's Numba threads outside the workers' phases
        self._unfilled: dict = {}  # id(array) → array: given to ``coefficients``, not yet written over
        self._filled: dict = {}  # id(array) → array: coordinator arrays that hold their coefficients
        self._proof_key = ""     # this proof's name for its part buffers on the workers
        self._reserved: set = set()  # the workers asked to reserve them (kept there across proofs)
        self._retaining = False  # counted among this process's open executors (_coordinating)
        self._queued: list = []  # (future, worker, scalar_weight) of the commitments placed, until done

    # --- the cluster's lifetime ----------------------------------------------------------------
    def __enter__(self):
        if self.scheduler is None:
            # Numba's threads are the worker's threads: without the cap every worker would start
            # one Numba thread per core and the workers would fight over the cores.
            # Dask's active memory manager would trim the broadcast SRS to one copy between rounds
            # (no task waiting for it elsewhere), to be fetched again by the next round's tasks.
            # The workers' statistical profiler (a stack sample every 10 ms), the servers' 20 ms
            # event-loop ticks and 0.5 s system monitors run on the event loops of the workers
            # and of this process (scheduler, nannies), on the cores the tasks need: ≈ 0.5 CPU s
            # per worker and as much here per proof at k = 18, for dashboards nobody watches.
            # Work stealing would move a column's interpolation away from its values (and fetch
            # them): every task is placed already, where its data is or pinned.
            # (The workers' settings go with their nannies, which start a replaced worker with them.)
            with dask.config.set({"distributed.scheduler.active-memory-manager.start": False,
                                  "distributed.scheduler.work-stealing": False, **QUIET}):
                self._cluster = distributed.LocalCluster(
                    n_workers=self.workers, threads_per_worker=self.threads, processes=True, dashboard_address=None,
                    worker_dashboard_address=None, silence_logs=logging.CRITICAL,
                    env={"NUMBA_NUM_THREADS": str(self.threads)},
                    config={**QUIET, "distributed.worker.profile.enabled": False})
        where = self.scheduler or self._cluster.scheduler_address
        unreachable = (f"cannot reach the Dask scheduler at {where} within {self.timeout:g} s ({{}}); "
                       "is `dask scheduler` running there?")
        refusal = None if self.scheduler is None else _scheduler_refusal(self.scheduler, self.timeout)
        if refusal == "no connection":
            raise ClusterUnavailable(unreachable.format(refusal))
        if refusal is not None:
            raise ClusterUnavailable(f"the server at {where} is {refusal}")
        try:
            self._client = _Client(self._cluster or self.scheduler, timeout=self.timeout,
                                   set_as_default=False, direct_to_workers=True)
        except Exception as exc:  # whatever a peer that is not quite a scheduler made Dask raise: one line
            self.__exit__()
            detail = (f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__)[:160]
            if isinstance(exc, (OSError, TimeoutError)):
                raise ClusterUnavailable(unreachable.format(detail)) from None
            raise ClusterUnavailable(f"the server at {where} is not a Dask scheduler: its handshake failed "
                                     f"({detail})") from None
        try:
            self._client.register_plugin(WorkerSetup(), name="halo2py-worker-setup")
            self._await_workers()
        except BaseException:
            self.__exit__()  # a `with` whose __enter__ raised calls no __exit__: the client would live on
            raise
        self._retaining = True
        _coordinating(+1)
        return self

    def __exit__(self, *exc) -> None:
        if self._client is not None and self._reserved and self._cluster is None:
            self._release_part_buffers()  # a local cluster's workers end with it
        for part in (self._client, self._cluster):
            if part is not None:
                part.close()
        self._client = self._cluster = None
        if self._retaining:
            self._retaining = False
            _coordinating(-1)

    def _await_workers(self) -> int:
        try:
            self._client.wait_for_workers(1, timeout=self.timeout)
        except (OSError, TimeoutError):
            raise ClusterUnavailable(f"the Dask scheduler at {self._client.scheduler.address} has no worker "
                                     f"(none joined within {self.timeout:g} s); start `dask worker` there") from None
        self._workers = sorted(self._client.nthreads())
        return len(self._workers)

    # --- one proof -------------------------------------------------------------------------------
    @contextmanager
    def proof(self, params):
        self.traffic = ProofTraffic(workers=self._await_workers())
        before = self._client.run(worker_counters)
        self._params, self._srs = params, self._broadcast(params)
        self._proof_key = uuid.uuid4().hex
        self._own_threads = numba.get_num_threads()
        numba.set_num_threads(self._threads_beside_workers())
        try:
            yield self
            after = self._client.run(worker_counters)
            since = {w: [now - then for now, then in zip(after[w], before.get(w, (0, 0.0, 0, 0)))] for w in after}
            self.traffic.worker_cpu_seconds = {w: d[1] for w, d in since.items()}
            self.traffic.worker_kernels_compiled = {w: d[2] for w, d in since.items()}
            # what the workers sent, less what this process gathered: what they sent each other
            self.traffic.between_workers = max(0, sum(d[0] for d in since.values()) - self.traffic.gathered)
            self.traffic.worker_peak_rss = {w: counters[3] for w, counters in after.items()}
        finally:
            numba.set_num_threads(self._own_threads)
            self._srs.release()
            self._params = self._srs = None
            self._values.clear()
            self._coeffs.clear()
            self._holds.clear()
            self._unheld.clear()
            self._hold_on = []
            self._unfilled.clear()
            self._filled.clear()
            self._queued.clear()

    def _threads_beside_workers(self) -> int:
        """The Numba threads of this process's own kernels while the workers compute: on a local
        cluster, the cores its workers leave (at least one) — a second thread on a core a worker
        runs on takes that worker's time, and OpenMP's threads spin between the coordinator's
        short parallel loops (on 2 cores and 2 workers, ≈ 1 CPU s per proof at k = 18 for
        ≈ 0.2 s of work); on a remote cluster, all of its own."""
        if self._cluster is None:
            return self._own_threads
        cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
        return max(1, min(self._own_threads, cores - self.workers * self.threads))

    def start_commits(self, params, columns: list) -> tuple:
        """Submit the columns' commitments (with the SRS ``proof(params)`` scattered: ``params``
        is that one); a Lagrange-form column's values stay on its worker for ``prepare_coefficients``.

        A round of coefficient-form columns that would leave workers idle (the random polynomial
        alone, d − 1 pieces on W workers) commits whole columns W at a time and each of the last
        r = columns mod W in W / gcd(r, W) slices, one task each (a slice's MSM costs more than
        its share of the whole one: the fewer slices, the less work): the coordinator adds the
        slices' points, which is the whole MSM's point. The round's slice j runs on worker j mod W
        (another if that one dies), its rows sent there: left to the scheduler, two slices could
        queue on the worker that is idle when they arrive while the other finishes a background
        task and then waits, idle, for the round's points (the random polynomial's halves did).
        Whole columns go where the MSMs already queued end first (``_place``)."""
        self._workers = sorted(self._client.nthreads())  # the columns' and slices' workers must be alive
        workers = max(1, len(self._workers))
        rest = len(columns) % workers
        ways = workers // math.gcd(rest, workers)
        whole, slices = [], []  # (column index, its rows); (column index, first row, its rows, worker)
        for i, (basis, values) in enumerate(columns):
            if basis == LAGRANGE or ways <= 1 or i < len(columns) - rest:
                whole.append((i, values))
            else:
                step = -(-values.shape[0] // ways)
                slices += [(i, start, values[start:start + step], self._workers[(len(slices) + j) % workers])
                           for j, start in enumerate(range(0, values.shape[0], step))]
        placed, weights = self._place([(columns[i][0], values) for i, values in whole])
        data = [None] * len(whole)
        for worker in dict.fromkeys(placed):
            mine = [j for j, w in enumerate(placed) if w == worker]
            for j, future in zip(mine, self._send([whole[j][1] for j in mine], worker)):
                data[j] = future
        sent = [self._send([rows], worker)[0] for _, _, rows, worker in slices]
        futures = [self._client.submit(commit_task, self._srs, columns[i][0], rows, pure=False, retries=RETRIES,
                                       workers=[worker], allow_other_workers=True)
                   for (i, _), rows, worker in zip(whole, data, placed)]
        self._queued += zip(futures, placed, weights)
        futures += [self._client.submit(partial_commit, self._srs, start, rows, pure=False, retries=RETRIES,
                                        workers=[worker], allow_other_workers=True)
                    for (_, start, _, worker), rows in zip(slices, sent)]
        for (i, values), future in zip(whole, data):
            if columns[i][0] == LAGRANGE:
                self._values[id(values)] = (values, future)
        return columns, [(i, None) for i, _ in whole] + [(i, start) for i, start, _, _ in slices], futures

    def _place(self, columns: list) -> tuple:
        """(workers, weights) for whole columns' commitments: each on the worker whose queued MSMs
        (``scalar_weight``) end first, the heaviest column first. Round-robin would put a lookup's
        A′ columns (dense) on one worker and its S′ (half of it table padding, nearly free) on
        the other, which then waits: a commitment costs what its scalars do, not its length."""
        workers = self._workers
        self._queued = [(f, w, c) for f, w, c in self._queued if not f.done() and w in workers]
        load = dict.fromkeys(workers, 0.0)
        for _, worker, weight in self._queued:
            load[worker] += weight
        weights = [scalar_weight(values) if basis == LAGRANGE else float(values.shape[0]) for basis, values in columns]
        placed = [None] * len(columns)
        for j in sorted(range(len(columns)), key=lambda j: -weights[j]):
            worker = min(workers, key=load.__getitem__)  # the first of equals: the sorted order
            placed[j] = worker
            load[worker] += weights[j]
        return placed, weights

    def finish_commits(self, handle) -> list:
        self._hold()

        def points(attempt: int) -> list:
            columns, owners, futures = handle if attempt == 0 else self.start_commits(self._params, handle[0])
            results = self._results(futures)
            self.traffic.gathered += sum(point.nbytes for point in results)
            points, sums = [None] * len(columns), {}
            for (i, start), point in zip(owners, results):
                if start is None:  # a whole column: its affine point
                    points[i] = point
                else:  # a slice: its Jacobian point, added to the column's other slices
                    sums[i] = G1.add(sums[i], point) if i in sums else point
            for i, point in sums.items():
                points[i] = G1.to_affine(point)
            return points

        return self._again(points)

    def prepare_coefficients(self, domain, arrays: list) -> None:
        """Interpolate each array on the worker that holds its values (sending it to one first if
        none does), in the background; with several workers, each other worker that will run a
        quotient part then fetches the coefficient form too (a background ``hold``, submitted with
        the round's points, see ``_hold``): the parts — each reads every polynomial — find them all
        in place, and the copying fills the rounds' gaps (the coordinator's permutations and grand
        products) instead of delaying the parts."""
        todo = [a for a in arrays if id(a) not in self._coeffs and id(a) not in self._filled]  # values only
        unsent = [a for a in todo if id(a) not in self._values]
        for values, future in zip(unsent, self._send(unsent)):
            self._values[id(values)] = (values, future)
        # the workers that run the quotient parts (part i on worker i mod W; chunked declares e)
        self._hold_on = self._workers[:domain.e]
        for values in todo:
            _, source = self._values.pop(id(values))  # the worker drops the values once interpolated
            coeffs = self._client.submit(interpolate, domain, source, pure=False, retries=RETRIES,
                                         priority=BACKGROUND)
            self._coeffs[id(values)] = (values, coeffs)
            self._unheld.append(coeffs)

    def prepare_polynomials(self, arrays: list) -> None:
        """Send the coefficient-form arrays to one worker each now, and copy them to every other
        worker that runs quotient parts with the next round's ``hold``s: in the rounds' gaps, not
        when the parts need them (a kept key's fixed and σ polynomials at k = 18 are 18 × 8 MiB:
        sent at the quotient, both workers idled ≈ 1 s before its parts could start)."""
        unsent = [a for a in arrays if id(a) not in self._coeffs]
        for poly, future in zip(unsent, self._send(unsent)):
            self._coeffs[id(poly)] = (poly, future)
            self._unheld.append(future)

    def prepare_quotient(self, strategy, shape) -> None:
        """Have every worker that will run quotient parts own the strategy's part buffers
        (``reserve_part_buffers``: allocated and faulted in, unless an earlier proof of this shape
        left them there), in the background: ahead of the parts, in the gaps the coordinator's
        own work leaves the workers."""
        shapes = declared_part_buffers(strategy, shape)
        if shapes:
            workers = self._workers[:shape.e]
            self._reserved.update(workers)
            distributed.fire_and_forget([
                self._client.submit(reserve_part_buffers, self._proof_key, shapes, pure=False, workers=[worker],
                                    allow_other_workers=True, priority=BACKGROUND) for worker in workers])

    def _release_part_buffers(self) -> None:
        """Have the workers that reserved part buffers drop them, now (a worker that has gone took
        them along; one that cannot be reached drops them at its next reservation of another
        shape)."""
        try:
            self._client.run(release_part_buffers, workers=sorted(self._reserved), on_error="ignore")
        except (OSError, TimeoutError):
            pass
        self._reserved.clear()

    def _hold(self) -> None:
        """Copy the coefficient forms interpolated since the last call to every worker that runs
        quotient parts: one background ``hold`` per worker for all of them (a task per column and
        worker costs the scheduler, the coordinator and the workers a few ms each; the worker
        that interpolated a form fetches nothing)."""
        if len(self._hold_on) > 1 and self._unheld:
            self._holds += [self._client.submit(hold, *self._unheld, pure=False, workers=[w],
                                                allow_other_workers=False, priority=BACKGROUND)
                            for w in self._hold_on]
        self._unheld = []

    def coefficients(self, domain, arrays: list) -> list:
        """The arrays, to be written over with their coefficient forms by the time ``quotient``
        returns: the quotient parts start first (on the workers' copies), and the coordinator
        gathers the coefficient forms while they run."""
        self.prepare_coefficients(domain, arrays)
        self._unfilled.update((id(a), a) for a in arrays if id(a) not in self._filled)
        return arrays

    def _fill(self, domain) -> None:
        """Gather the coefficient forms ``coefficients`` promised, one at a time over the arrays
        they came from (so the coordinator never holds a column in both bases at once)."""
        todo = list(self._unfilled.values())
        self.prepare_coefficients(domain, todo)  # after lost data: re-sent from the values, still here

        def overwrite(i: int, coeffs) -> None:
            todo[i][...] = coeffs
            self._filled[id(todo[i])] = self._unfilled.pop(id(todo[i]))
            self.traffic.gathered += coeffs.nbytes

        self._results([self._coeffs[id(a)][1] for a in todo], overwrite)

    def quotient(self, strategy, task):
        count = declared_parts(strategy, task)
        if not count:  # a strategy without declared parts runs whole, here, on every core
            self._again(lambda attempt: self._fill(task.domain))
            numba.set_num_threads(self._own_threads)
            return strategy.compute(task)
        # Strategies loaded from a file live in a module the workers cannot import: send them by value.
        for name in [m for m in sys.modules if m.startswith(PLUGIN_PREFIX)]:
            cloudpickle.register_pickle_by_value(sys.modules[name])
        blob = cloudpickle.dumps(strategy)
        bare = dataclasses.replace(task, polys=[])  # a few KB: the program, the challenges

        def parts(attempt: int) -> list:
            if attempt:  # data died with a worker: the coordinator's arrays must hold every polynomial first
                self._fill(task.domain)
            self._hold()
            # the polynomials the workers interpolated are there already; the others (the key's
            # Lagrange selectors, a kept key's polynomials) go to one worker each, and on from there
            unsent = [p for p in task.polys if id(p) not in self._coeffs]
            for poly, future in zip(unsent, self._send(unsent)):
                self._coeffs[id(poly)] = (poly, future)
            polys = [self._coeffs[id(p)][1] for p in task.polys]
            workers = self._workers = sorted(self._client.nthreads())
            # part i on worker i mod W (another if that one dies): the parts spread evenly at once
            futures = [self._client.submit(quotient_part, blob, bare, i, self._proof_key, *polys, pure=False,
                                           retries=RETRIES,
                                           workers=[workers[i % len(workers)]], allow_other_workers=True)
                       for i in range(count)]
            self._fill(task.domain)  # while the parts run
            results = self._results(futures)
            numba.set_num_threads(self._own_threads)  # the workers are done: the cores are this process's
            return results

        results = self._again(parts)
        self.traffic.gathered += array_bytes(results)
        return strategy.combine(task, results)

    # --- helpers ---------------------------------------------------------------------------------
    def _again(self, step):
        """``step(attempt)``, started again when data it needed died with the only worker that held
        it (a column, a coefficient form, the SRS when Dask had trimmed its copies): the
        coordinator still has everything it sent, so every future is dropped, the SRS broadcast
        again, and the step re-sends what it needs from the coordinator's arrays."""
        for attempt in range(RESENDS + 1):
            try:
                return step(attempt)
            except _DataLost:
                self._values.clear()
                self._coeffs.clear()
                self._holds.clear()
                self._unheld.clear()
                self._srs.release()
                self._srs = self._broadcast(self._params)
        raise ClusterUnavailable("the Dask cluster lost this proof's data (every worker holding it died) "
                                 f"{RESENDS + 1} times")

    def _broadcast(self, obj):
        """``obj`` on every worker, as one future: Dask sends it to one and the workers copy it
        among themselves (counted as scattered once, the copies as between workers)."""
        self._await_workers()
        future = self._scatter(obj, broadcast=True)
        self.traffic.scattered += array_bytes(obj)
        return future

    def _send(self, arrays: list, worker: str | None = None) -> list:
        """The arrays, one to each worker round-robin (or all to ``worker``), as futures (counted
        as submitted)."""
        if not arrays:
            return []
        futures = self._scatter(arrays, workers=None if worker is None else [worker])
        self.traffic.submitted += sum(a.nbytes for a in arrays)
        return futures

    def _scatter(self, data, broadcast: bool = False, workers: list | None = None):
        try:
            return self._client.scatter(data, workers=workers, broadcast=broadcast, hash=False, timeout=self.timeout)
        except (OSError, TimeoutError):
            raise ClusterUnavailable(f"could not send the proof's data to the Dask workers within {self.timeout:g} s "
                                     "(a slow network or huge k: raise --timeout)") from None

    def _results(self, futures: list, each=None) -> list:
        """The futures' results in order — or, with ``each``, ``each(i, result)`` as each arrives
        (nothing kept); a cluster without workers for ``timeout`` seconds, a task lost on every
        worker that tried it, or a lost scheduler is ClusterUnavailable."""
        alone_since = None
        results = []
        try:
            for i, future in enumerate(futures):
                while True:
                    try:
                        result = future.result(timeout=POLL_SECONDS)
                        break
                    except TimeoutError:
                        alone_since = self._check_alone(alone_since)
                if each is None:
                    results.append(result)
                else:
                    each(i, result)
                del result
        except distributed.KilledWorker as exc:
            raise ClusterUnavailable(f"a task died with every worker that ran it ({exc.args[0]}): "
                                     "out of memory, or a crash in the kernels") from None
        except CancelledError:
            raise _DataLost() from None
        except OSError as exc:
            raise ClusterUnavailable(f"lost the connection to the Dask cluster ({type(exc).__name__})") from None
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
