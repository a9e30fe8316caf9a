"""``--executor dask``: proofs byte-identical to the in-process prover on every library circuit
and both multiopen schemes, a worker killed mid-quotient, and one-line failures (no hang) for a
cluster that is unreachable, has no worker, or keeps losing its workers, or for missing Dask.

One LocalCluster (2 process workers, 1 thread each) serves the module; proofs are small (the
circuits' test cases), so the time goes to task round trips, not to arithmetic.
"""

import json
import socket
import struct
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pytest

import plonk_cases as cases
from plonk_cases import run_main
from halo2py import pipeline
from halo2py.conformance import ConformanceError, check_strategy
from halo2py.execution import ClusterUnavailable, open_executor
from halo2py.plonk.container import SCHEMES
from halo2py.quotient.registry import load

HERE = Path(__file__).parent
CRASH_ONCE = f"{HERE / 'dask_strategies.py'}:CrashOnce"
CRASH_ALWAYS = f"{HERE / 'dask_strategies.py'}:CrashAlways"


@pytest.fixture(scope="module")
def dask():
    pytest.importorskip("distributed")
    with open_executor("dask", workers=2, threads_per_worker=1, timeout=30) as executor:
        yield executor


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def dask_proof(executor, case: str, multiopen: str, strategy: str = "chunked"):
    return pipeline.prove(cases.circuit(case), cases.params(cases.k_of(case)), strategy, multiopen,
                          seed=cases.PROVE_SEED, check=False, executor=executor).proof


@pytest.mark.parametrize("multiopen", SCHEMES)
@pytest.mark.parametrize("case", list(cases.CASES))
def test_identical_to_in_process(dask, case, multiopen):
    proof = dask_proof(dask, case, multiopen)
    assert proof.to_bytes() == cases.proof(case, "chunked", multiopen).to_bytes()
    traffic = dask.traffic
    assert traffic.workers == 2 and traffic.scattered and traffic.submitted and traffic.gathered
    assert len(traffic.worker_peak_rss) == 2 and all(v > 0 for v in traffic.worker_peak_rss.values())
    if multiopen == "shplonk":  # GWC's bytes are the in-process proof's, which test_prove verifies
        pipeline.verify(cases.circuit(case), proof, cases.params(proof.k))


@pytest.mark.parametrize("strategy", ["legacy", "subcoset"])
def test_strategies_without_parts_still_commit_on_the_cluster(dask, strategy):
    """A strategy that declares no parts runs whole on the coordinator; the commitments still go out."""
    assert dask_proof(dask, "stress", "gwc", strategy).to_bytes() == cases.proof("stress", "chunked", "gwc").to_bytes()


def test_a_worker_killed_in_the_quotient_changes_nothing(dask, tmp_path):
    marker = tmp_path / "crash"
    marker.touch()
    load(CRASH_ONCE).MARKER = str(marker)
    before = set(dask._client.nthreads())
    proof = dask_proof(dask, "stress-degree=7-lookups=2", "shplonk", CRASH_ONCE)
    assert not marker.exists(), "no worker took the crash"
    assert before - set(dask.traffic.worker_peak_rss), "the killed worker is still there"
    assert proof.to_bytes() == cases.proof("stress-degree=7-lookups=2", "chunked", "shplonk").to_bytes()


def test_each_column_goes_out_once_and_the_coordinator_interpolates_nothing(dask, monkeypatch):
    """Every polynomial the quotient reads crosses to the workers once, in one basis (its values,
    or — the Lagrange selectors — its coefficients), plus the random polynomial and the pieces;
    the workers interpolate, the coordinator only gathers the coefficient forms back."""
    from halo2py.poly.domain import EvaluationDomain

    case = "stress-degree=7-lookups=2"
    circuit, params = cases.circuit(case), cases.params(cases.k_of(case))
    calls = []
    interpolate = EvaluationDomain.lagrange_to_coeff
    monkeypatch.setattr(EvaluationDomain, "lagrange_to_coeff",
                        lambda self, values, out=None: calls.append(1) or interpolate(self, values, out=out))
    outcome = pipeline.prove(circuit, params, "chunked", "shplonk", seed=cases.PROVE_SEED, check=False, executor=dask)
    domain, polys = outcome.vk.domain, len(outcome.vk.layout.quotient_columns())
    column = domain.n * 32
    assert dask.traffic.submitted == column * (polys + domain.quotient_poly_degree + 1)
    assert dask.traffic.gathered >= column * (polys - 3 + domain.e)  # coefficient forms, quotient parts
    assert len(calls) == 3  # keygen's Lagrange selectors, nothing in the proof


def test_coefficient_commitments_split_across_the_workers_add_up(dask):
    """A lone coefficient-form column (the random polynomial) or an odd count of them (the pieces)
    is committed in slices, one per worker: the slices' points add up to the whole MSM's point,
    the identity included (Scroll's random polynomial is the constant 1: every slice but the
    first commits to nothing). A round's slices run on distinct workers even while one of them
    finishes a background task (left to the scheduler, both halves would queue on the idle one)."""
    from halo2py.arith.field import Fr
    from halo2py.commitment import kzg
    from halo2py.execution import COEFF

    params = cases.params(6)
    one, zero = (np.zeros((params.n, 4), dtype=np.uint64) for _ in range(2))
    one[0] = Fr.one_limbs
    polys = [Fr.random(params.n), one, zero]
    with dask.proof(params):
        for columns, tasks in (([polys[0]], 2), ([one], 2), (polys, 4)):  # 3 on 2 workers: 2 whole, 1 halved
            busy = dask._client.submit(time.sleep, 0.5, workers=dask._workers[:1], pure=False)
            handle = dask.start_commits(params, [(COEFF, poly) for poly in columns])
            assert len(handle[2]) == tasks
            points = dask.finish_commits(handle)
            busy.result()
            slices = [future for (_, start), future in zip(handle[1], handle[2]) if start is not None]
            ran_on = dask._client.who_has(slices)
            assert len(slices) == 2 and set.union(*(set(ran_on[f.key]) for f in slices)) == set(dask._workers)
            assert all(np.array_equal(p, kzg.commit(params, poly)) for p, poly in zip(points, columns))


def test_every_worker_holds_every_coefficient_form_before_the_quotient(dask):
    """Each quotient part reads every polynomial: the coefficient forms are copied to every
    worker in the background as they are interpolated — by one hold per worker for a round's
    columns, submitted with the round's points — not fetched when the parts start."""
    from halo2py.arith.field import Fr
    from halo2py.execution import LAGRANGE
    from halo2py.poly.domain import EvaluationDomain

    params = cases.params(6)
    arrays = [Fr.random(params.n) for _ in range(5)]
    with dask.proof(params):
        handle = dask.start_commits(params, [(LAGRANGE, a) for a in arrays[:2]])
        dask.prepare_coefficients(EvaluationDomain(6, 4), arrays)
        dask.finish_commits(handle)
        assert len(dask._holds) == 2  # one per worker, for all five columns
        dask._client.gather(dask._holds)
        holders = dask._client.who_has([future for _, future in dask._coeffs.values()])
        assert all(len(workers) == 2 for workers in holders.values())


def test_a_kept_keys_polynomials_reach_every_worker_before_the_quotient(dask, monkeypatch):
    """A key kept for further proofs (``prove --pk``) brings its fixed and σ polynomials, and l0,
    l_last and l_active, in coefficient form: they are sent after the first advice round and
    copied to both workers by the rounds' holds, not sent when the quotient's parts need them;
    the proof is the in-process one's, byte for byte."""
    from halo2py.execution import cluster

    circuit, params = cases.circuit("stress"), cases.params(cases.k_of("stress"))
    pk = pipeline.proving_key(circuit, params)
    key_polys = [*pk.fixed_polys, *pk.sigma_polys, pk.l0, pk.l_last, pk.l_active]
    seen = []
    parts = cluster.DaskExecutor.quotient

    def quotient(self, strategy, task):
        sent = [id(p) in self._coeffs for p in key_polys]
        futures = [self._coeffs[id(p)][1] for p in key_polys if id(p) in self._coeffs]
        self._client.gather(self._holds)
        seen.append((sent, self._client.who_has(futures)))
        return parts(self, strategy, task)

    monkeypatch.setattr(cluster.DaskExecutor, "quotient", quotient)
    proof = pipeline.prove(circuit, params, "chunked", "shplonk", seed=cases.PROVE_SEED, check=False, pk=pk,
                           executor=dask).proof
    assert proof.to_bytes() == cases.proof("stress", "chunked", "shplonk").to_bytes()
    (sent, holders), = seen
    assert all(sent) and len(holders) == len(key_polys)
    assert all(len(workers) == 2 for workers in holders.values())


def test_part_buffers_are_reused_and_never_handed_out_twice():
    """A worker's reserved part buffers (reserve_part_buffers) serve one part at a time: the
    shape asked for gets the reserved buffer, any other a fresh one; it goes back for the next
    part — and the next proof of the same shape, whose reservation allocates nothing — unless
    the result is a view of it (then the next reservation replaces it); a reservation after the
    proof's parts started does nothing; one of another shape drops the old buffers, and so does
    the release."""
    pytest.importorskip("distributed")
    from halo2py.execution import cluster

    cluster.release_part_buffers()
    cluster.reserve_part_buffers("p1", [(3, 8, 4)])
    reserved = cluster._POOL[0].free[0]
    first = cluster.PartBuffers("p1")
    assert first.allocate((3, 8, 4)) is reserved
    assert cluster.PartBuffers("p1").allocate((3, 8, 4)) is not reserved  # taken: a concurrent part gets its own
    assert first.allocate((8, 4)) is not reserved
    first.give_back(np.zeros((8, 4), dtype=np.uint64))
    assert cluster._POOL[0].free == [reserved]
    cluster.reserve_part_buffers("p2", [(3, 8, 4)])  # the next proof: the same buffer, nothing new
    assert cluster._POOL[0].owned == [reserved] and cluster._POOL[0].free == [reserved]
    second = cluster.PartBuffers("p2")
    assert second.allocate((3, 8, 4)) is reserved
    second.give_back([reserved[1]])  # the result is a view of the buffer: it stays with the result
    assert cluster._POOL[0].owned == [] and cluster._POOL[0].free == []
    cluster.reserve_part_buffers("p2", [(3, 8, 4)])  # the parts have started: too late
    assert cluster._POOL[0].owned == []
    cluster.reserve_part_buffers("p3", [(3, 8, 4)])  # a new one replaces what the result took
    replaced = cluster._POOL[0].free[0]
    assert replaced is not reserved and replaced.shape == (3, 8, 4)
    third = cluster.PartBuffers("p4")
    assert third.allocate((3, 8, 4)) is replaced
    cluster.reserve_part_buffers("p5", [(2, 8, 4), (8, 4)])  # another shape: the old buffers go
    assert [b.shape for b in cluster._POOL[0].free] == [(2, 8, 4), (8, 4)]
    third.give_back(None)  # the dropped pool's buffer does not come back
    assert all(b is not replaced for b in cluster._POOL[0].free + cluster._POOL[0].owned)
    cluster.release_part_buffers()
    assert cluster._POOL == []


def test_workers_keep_the_part_buffers_from_proof_to_proof_and_drop_them_at_the_end(dask, monkeypatch):
    """Each worker that runs chunked's parts owns its buffer of every polynomial before the parts
    start (announced after the first advice round); the parts take it, and it stays there: the
    next proof of the same circuit finds the very same buffer, allocating nothing. The
    executor's release drops it on every worker."""
    from halo2py.execution import cluster

    seen = []
    parts = cluster.DaskExecutor.quotient

    def owned():
        return [(b.shape, b.ctypes.data) for b in cluster._POOL[0].owned] if cluster._POOL else []

    def quotient(self, strategy, task):
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:  # the reservations run in the background
            held = self._client.run(owned)
            if len(held) == 2 and all(held.values()):
                break
            time.sleep(0.05)
        seen.append((held, len(task.polys), task.domain.n))
        return parts(self, strategy, task)

    monkeypatch.setattr(cluster.DaskExecutor, "quotient", quotient)
    case = "stress"
    for _ in range(2):
        proof = dask_proof(dask, case, "shplonk")
        assert proof.to_bytes() == cases.proof(case, "chunked", "shplonk").to_bytes()
    (first, polys, n), (second, _, _) = seen
    assert all([shape for shape, _ in held] == [(polys, n, 4)] for held in first.values())
    assert second == first and dask._client.run(owned) == first
    dask._release_part_buffers()
    assert not any(dask._client.run(owned).values())


def test_a_remote_clusters_workers_drop_the_part_buffers_when_the_executor_ends():
    """On a cluster the executor did not start (``--scheduler``), a worker still holds its part
    buffers after the proof (for the next one), and drops them when the executor ends — the
    cluster lives on, and so would the memory."""
    distributed = pytest.importorskip("distributed")
    from halo2py.execution import cluster

    def owned():
        return len(cluster._POOL[0].owned) if cluster._POOL else 0

    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=True, dashboard_address=":0",
                                  silence_logs=50) as remote, distributed.Client(remote) as watcher:
        with open_executor("dask", scheduler=remote.scheduler_address, timeout=30) as executor:
            proof = dask_proof(executor, "stress", "shplonk")
            assert proof.to_bytes() == cases.proof("stress", "chunked", "shplonk").to_bytes()
            assert list(watcher.run(owned).values()) == [1]
        assert list(watcher.run(owned).values()) == [0]


def test_workers_run_numba_on_their_own_threads(dask):
    """A local worker's nanny sets NUMBA_NUM_THREADS after Numba sized its pool for every core:
    the tasks still run on one thread each (--threads-per-worker 1)."""
    from halo2py.execution.cluster import numba_threads

    def threads():
        import numba

        numba_threads()
        return numba.get_num_threads()

    assert dask._client.submit(threads, pure=False).result() == 1


def test_every_worker_runs_the_proving_memory_policy(dask):
    """Each worker turned numpy's huge-page advice off when it joined (halo2py._malloc), as the
    CLI does for the coordinator."""

    def advice():
        from halo2py._malloc import huge_page_advice

        return huge_page_advice()

    assert list(dask._client.run(advice).values()) == [False, False]


def test_every_worker_keeps_the_memory_it_frees(dask):
    """Each worker retains freed memory (halo2py._malloc.retain_freed_memory) when it joins: a
    column freed there leaves its pages for the next one, which faults hardly any in again (the
    CLI's pinned policy faults every page: test_malloc)."""
    from test_malloc import refaulted_pages

    for pages, faults in dask._client.run(refaulted_pages).values():
        assert faults < pages // 8


def test_the_coordinator_keeps_the_memory_it_frees_while_the_executor_is_open(dask):
    """The coordinator's own rounds allocate the same scratch again and again (sort keys, ratio
    columns, draws) while the workers wait for it: with the executor open, a column freed here
    leaves its pages for the next one, as on the workers."""
    from test_malloc import refaulted_pages

    pages, faults = refaulted_pages()
    assert faults < pages // 8


def test_the_coordinator_leaves_the_local_workers_their_cores(dask):
    """While a local cluster's workers compute, the coordinator's own kernels run on the cores
    they leave (at least one thread), and on all of its own again after the proof; the workers
    run no statistical profiler and the scheduler steals no task (every task is placed: where
    its data is, or pinned)."""
    import os

    import dask as dask_config
    import numba

    own = numba.get_num_threads()
    params = cases.params(4)
    with dask.proof(params):
        assert numba.get_num_threads() == max(1, min(own, len(os.sched_getaffinity(0)) - 2))
    assert numba.get_num_threads() == own
    assert not any(dask._client.run(lambda: dask_config.config.get("distributed.worker.profile.enabled")).values())
    assert "stealing" not in dask._cluster.scheduler.extensions


def test_profile_reports_what_the_proof_shipped(dask, monkeypatch, capsys, tmp_path):
    params = tmp_path / "k4.params"
    cases.params(4).write(params)
    code, out, _ = run_main(monkeypatch, capsys, "profile", "fibonacci", "--k", "4", "--params", str(params),
                            "--out", str(tmp_path / "prof"), "--no-flamegraph", "--json", "--executor", "dask",
                            "--scheduler", dask._cluster.scheduler_address)
    assert code in (0, None)
    result = json.loads(out)
    assert result["executor"] == "dask" and result["traffic"]["workers"] == 2
    assert result["traffic"]["shipped_bytes"] == sum(result["traffic"][f"{what}_bytes"]
                                                     for what in ("scattered", "submitted", "gathered",
                                                                  "between_workers"))
    assert len(result["traffic"]["worker_peak_rss_bytes"]) == 2


def test_bench_dask_times_the_last_of_several_proofs_per_cluster(monkeypatch, capsys):
    """``bench dask --proofs 2``: each run proves twice on one fresh cluster, times the second and
    reports the first's distributed phases beside it (identical proofs, checked by the bench)."""
    pytest.importorskip("distributed")
    code, out, _ = run_main(monkeypatch, capsys, "bench", "dask", "--k", "8", "--workers", "1", "--runs", "1",
                            "--proofs", "2", "--no-in-process", "--json")
    assert code in (0, None)
    result = json.loads(out)
    row = result["results"][0]
    assert result["proofs"] == 2 and row["workers"] == 1 and row["speedup"] == row["first_speedup"] == 1.0
    assert row["distributed_seconds"] > 0 and row["first_distributed_seconds"] > 0
    assert row["traffic"]["workers"] == 1
    assert isinstance(row["kernels_compiled"], int) and row["kernels_compiled"] >= 0
    assert set(row["traffic"]["worker_kernels_compiled"]) == set(row["traffic"]["worker_peak_rss_bytes"])
    code, _, err = run_main(monkeypatch, capsys, "bench", "dask", "--proofs", "0")
    assert code == 2 and "--proofs" in err
    for flags, says in ((["--k", "30"], "k must be between 1 and 28, got 30"),
                        (["--workers", "1,100000"], "--workers must be between 1 and")):
        code, _, err = run_main(monkeypatch, capsys, "bench", "dask", *flags)  # refused before any cluster
        assert code == 2 and says in " ".join(err.split()) and err.count("\n") == 1


def test_bench_dask_warns_when_the_timed_proofs_compiled_kernels(monkeypatch, capsys):
    """A run whose timed proofs compiled kernels (a cold cache here or on a worker) says so under
    the table: its seconds and memory include the JIT's."""
    pytest.importorskip("distributed")
    from halo2py.profiling import distributed as bench_module

    def row(workers, compiled):
        traffic = {"shipped_bytes": 1 << 20, "between_workers_bytes": 0, "worker_peak_rss_bytes": {"w": 1 << 20}}
        return {"workers": workers, "phases": {}, "distributed_seconds": 1.0, "speedup": 1.0, "seconds": 1.0,
                "coordinator_cpu_seconds": 0.1, "worker_cpu_seconds": 0.9, "coordinator_peak_rss_bytes": 1 << 20,
                "traffic": traffic, "kernels_compiled": compiled}

    for compiled, warned in ((0, False), (3, True)):
        monkeypatch.setattr(bench_module, "bench", lambda *a, **k: {"results": [row(1, compiled)]})
        code, _, err = run_main(monkeypatch, capsys, "bench", "dask", "--workers", "1", "--runs", "1",
                                "--no-in-process")
        assert code in (0, None)
        assert ("3 kernel(s) compiled during the timed proofs" in " ".join(err.split())) is warned


def test_unreachable_scheduler_is_one_line_exit_2(monkeypatch, capsys):
    """One line, exit 2, no hang — and no thread left behind (Dask's Client, failing to connect,
    would leave its event loop running: the executor asks the address first)."""
    timeout = 2
    threads = set(threading.enumerate())
    t0 = time.monotonic()
    code, out, err = run_main(monkeypatch, capsys, "prove", "fibonacci", "--k", "4", "--out", "/dev/null",
                              "--executor", "dask", "--scheduler", f"tcp://127.0.0.1:{free_port()}",
                              "--timeout", str(timeout))
    assert time.monotonic() - t0 < timeout + 10  # a hang check, not a speed test
    assert code == 2 and "Traceback" not in err
    errors = [line for line in err.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "cannot reach the Dask scheduler" in errors[0]
    assert set(threading.enumerate()) <= threads


class _NotAScheduler:
    """A TCP server on loopback that answers every connection with ``reply`` and closes it."""

    def __init__(self, reply: bytes):
        self.reply = reply
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        while True:
            try:
                conn, _ = self.listener.accept()
            except OSError:  # closed
                return
            with conn:
                conn.sendall(self.reply)

    def close(self):
        self.listener.close()
        self.thread.join(timeout=5)


@pytest.mark.parametrize("reply, says", [
    (b"HTTP/1.0 400 Bad Request\r\n\r\n", "its first message claims 3471766442030158920 bytes"),
    (b"", "closed the connection without a handshake"),
    # a plausible length, then bytes that are no handshake: past the probe, Dask's Client fails
    # (and is shut down: its event-loop thread would be left, its __del__ hang 6 s at exit)
    (struct.pack("<Q", 16) + b"\x01" * 16, "its handshake failed"),
])
def test_a_server_that_is_not_a_scheduler_is_one_line_exit_2(monkeypatch, capsys, reply, says):
    """Some other server at the address: Dask's comm would read its first eight bytes as a length
    (an HTTP reply's ask for 3 EiB: a MemoryError traceback) or fail somewhere in its handshake.
    The executor reads that first message's header itself, bounded, before any Client exists."""
    server = _NotAScheduler(reply)
    threads = set(threading.enumerate())
    try:
        code, out, err = run_main(monkeypatch, capsys, "prove", "fibonacci", "--k", "4", "--out", "/dev/null",
                                  "--executor", "dask", "--scheduler", f"tcp://127.0.0.1:{server.port}",
                                  "--timeout", "2")
    finally:
        server.close()
    assert code == 2 and "Traceback" not in err and "MemoryError" not in err
    errors = [line for line in err.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "is not a Dask scheduler" in errors[0] and says in " ".join(err.split())
    assert set(threading.enumerate()) - {server.thread} <= threads


def test_the_handshake_probe_passes_a_real_scheduler():
    """The probe's bound lets a real scheduler's handshake through (and rejects the HTTP reply)."""
    LocalCluster = pytest.importorskip("distributed").LocalCluster
    from halo2py.execution.cluster import _scheduler_refusal

    with LocalCluster(n_workers=0, dashboard_address=":0", processes=False) as cluster:
        assert _scheduler_refusal(cluster.scheduler_address, 5) is None
    assert _scheduler_refusal(f"tcp://127.0.0.1:{free_port()}", 1) == "no connection"
    assert _scheduler_refusal("inproc://whatever", 1) is None  # other schemes: Dask's to judge


def test_a_cluster_without_workers_is_one_error():
    """One error, and the executor's client closed with it (its `with` never reaches __exit__):
    left open, the client's event loop would go on trying to reconnect once the scheduler is gone,
    drawing its back-off from the global `random` — in the middle of a later test's hypothesis
    draw (a HypothesisDeprecationWarning there)."""
    LocalCluster = pytest.importorskip("distributed").LocalCluster

    with LocalCluster(n_workers=0, dashboard_address=":0", processes=False) as empty:
        threads = set(threading.enumerate())
        with pytest.raises(ClusterUnavailable, match="has no worker"):
            with open_executor("dask", scheduler=empty.scheduler_address, timeout=1):
                pass
        assert set(threading.enumerate()) <= threads  # the client's event loop thread is gone


@pytest.mark.slow
def test_a_task_that_kills_every_worker_is_one_error(dask):
    """Every worker dies in turn: the scattered task dies with the last copy of it (or the task
    exhausts Dask's allowed failures first) — one error either way, no hang."""
    with pytest.raises(ClusterUnavailable, match="died with every worker|lost this proof's data"):
        dask_proof(dask, "fibonacci", "gwc", CRASH_ALWAYS)


def test_without_dask_one_line_names_the_extra(monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed → ImportError
    monkeypatch.delitem(sys.modules, "halo2py.execution.cluster", raising=False)
    code, out, err = run_main(monkeypatch, capsys, "prove", "fibonacci", "--executor", "dask")
    assert code == 2 and "Traceback" not in err
    assert err.count("\n") == 1 and "install halo2py[dask]" in err


@pytest.mark.parametrize("flags, message", [
    (["--executor", "mpi"], "unknown --executor"),
    (["--scheduler", "tcp://127.0.0.1:1"], "need --executor dask"),
    (["--executor", "dask", "--workers", "0"], "at least 1"),
    (["--executor", "dask", "--timeout", "0"], "must be positive"),
    (["--executor", "dask", "--timeout", "1e300"], "--timeout must be at most 86400 seconds"),
    (["--executor", "dask", "--workers", "100000"], "--workers must be between 1 and"),
    (["--executor", "dask", "--threads-per-worker", "100000"], "--threads-per-worker must be between 1 and"),
])
def test_bad_executor_flags(monkeypatch, capsys, flags, message):
    code, _, err = run_main(monkeypatch, capsys, "prove", "fibonacci", *flags)
    assert code == 2 and message in " ".join(err.split()) and "Traceback" not in err


def test_conformance_checks_that_declared_parts_combine_to_compute():
    class MisCombined(load("chunked")):
        name = "mis-combined"

        def combine(self, task, results):
            results[0] = results[0].copy()
            results[0][0, 0] ^= 1
            return super().combine(task, results)

    check_strategy(load("chunked"), cases=[("fibonacci", 4, ())])
    with pytest.raises(ConformanceError, match="combining its declared parts differs"):
        check_strategy(MisCombined, cases=[("fibonacci", 4, ())])


def test_commitments_go_where_the_queued_msms_end_first(dask):
    """A round of two dense and two nearly-empty columns, alternating (two lookups' A′ and S′):
    the dense ones land on different workers, where round-robin would stack them on one; the
    points are the commitments."""
    from halo2py.arith.field import Fr
    from halo2py.commitment import kzg
    from halo2py.execution import LAGRANGE

    params = cases.params(4)
    rng = np.random.default_rng(8)
    dense = [Fr.random(16, rng=rng.bytes) for _ in range(2)]
    sparse = [Fr.from_ints([1] + [0] * 15) for _ in range(2)]
    with dask.proof(params):
        handle = dask.start_commits(params, [(LAGRANGE, d) for pair in zip(dense, sparse) for d in pair])
        placed = [(worker, weight) for _, worker, weight in dask._queued]
        points = dask.finish_commits(handle)
    heavy = [worker for worker, weight in placed if weight == 16]
    assert len(heavy) == 2 and len(set(heavy)) == 2
    for column, point in zip([dense[0], sparse[0], dense[1], sparse[1]], points):
        assert np.array_equal(point, kzg.commit_lagrange(params, column))


def test_bench_dask_reports_each_rounds_own_speed_up(monkeypatch):
    """The configurations alternate within a round, so a round's own ratio is the one a drifting
    machine spoils least: ``run_speedups`` pairs each round's one-worker run with that round's
    run of W workers (not the sorted samples), beside the ratio of the medians."""
    from halo2py.profiling import distributed as bench_module

    seconds = {1: iter([10.0, 12.0, 9.0]), 2: iter([5.0, 6.0, 7.0])}

    def fake_run(**kwargs):
        w = kwargs["workers"]
        value = next(seconds[w])
        return {"workers": w, "seconds": value, "phases": {"quotient": value}, "distributed_seconds": value,
                "first_distributed_seconds": value, "coordinator_cpu_seconds": 0.1,
                "coordinator_peak_rss_bytes": 1, "kernels_compiled": 0, "proof_sha256": "same",
                "traffic": {"worker_cpu_seconds": {"a": 1.0}}}

    monkeypatch.setattr(bench_module, "_run_fresh", fake_run)
    result = bench_module.bench("stress", 8, [], [1, 2], runs=3, in_process=False)
    one, two = result["results"]
    assert one["run_speedups"] == [1.0, 1.0, 1.0]
    assert two["run_speedups"] == [10 / 5, 12 / 6, 9 / 7]
    assert two["median_run_speedup"] == 2.0 and two["speedup"] == 10 / 6
