"""``halo2py bench dask``: the distributed phases with 1, 2 … Dask workers against each other.

Every run is a fresh interpreter (so the coordinator's peak RSS is that run's) with a fresh
LocalCluster of w process workers, 1 thread each (Numba's threads too), which makes one small
untimed proof that loads the kernels in the coordinator and in every worker and then ``proofs``
full ones: the last is timed (with ``proofs`` ≥ 2, workers that have proved before — a deployed
cluster — where a first proof on new workers touches all their memory for the first time), and
the first one's distributed phases are reported beside it. Configurations
alternate within each round (in-process, 1, 2, …, then again), so a machine whose load drifts
hurts every configuration alike; the report gives medians. The proofs of every run must be
byte-identical (same seed) — that is checked, not assumed.
"""

from __future__ import annotations

import hashlib
import json
import statistics
import subprocess
import sys
import time

from halo2py import pipeline
from halo2py._malloc import apply_memory_policy
from halo2py._threads import prefer_passive_waits
from halo2py.errors import Halo2pyError
from halo2py.execution import open_executor
from halo2py.execution.base import kernels_compiled, peak_rss_bytes
from halo2py.profiling.run import load_kernels
from halo2py.timing import PhaseTimer

# the phases whose work the executor distributes (commitments; quotient parts and pieces)
DISTRIBUTED_PHASES = ("advice commit", "lookups", "permutation", "lookup products", "quotient")


class BenchFailed(Halo2pyError):
    exit_code = 1


class PhaseCPU:
    """A PhaseTimer listener: this process's CPU seconds inside the distributed phases (on a
    shared machine, what the coordinator's own share cost, beside its inflated wall time)."""

    def __init__(self):
        self.seconds = 0.0
        self._entered = 0.0

    def enter(self, name: str) -> None:
        self._entered = time.process_time()

    def leave(self, name: str) -> None:
        if name in DISTRIBUTED_PHASES:
            self.seconds += time.process_time() - self._entered


def timed_proof(circuit: str, k: int, params: list, workers: int, strategy: str = "chunked",
                multiopen: str = "shplonk", seed: int = 0, proofs: int = 1) -> dict:
    """Timed proofs in this process: in process (``workers`` = 0) or on a fresh LocalCluster,
    ``proofs`` of them one after another; the figures are the last one's (with ``proofs`` > 1, a
    cluster whose workers stay up, as a deployed one does), plus the first one's distributed
    seconds, and how many kernels the timed proof compiled here and on the workers (a cold
    cache: JIT time in the figures)."""
    instance = pipeline.build_circuit(circuit, k, params)
    setup = pipeline.obtain_params(instance.params.k)
    options = {"name": "dask", "workers": workers} if workers else {}
    first = None
    with open_executor(**options) as executor:
        load_kernels(instance, strategy, multiopen, executor)
        for _ in range(proofs):
            cpu = PhaseCPU()
            timer = PhaseTimer([cpu])
            compiled = kernels_compiled()
            t0 = time.perf_counter()
            outcome = pipeline.prove(instance, setup, strategy, multiopen, seed, check=False, timer=timer,
                                     executor=executor)
            seconds = time.perf_counter() - t0
            compiled = kernels_compiled() - compiled
            distributed = sum(timer.seconds.get(name, 0.0) for name in DISTRIBUTED_PHASES)
            first = distributed if first is None else first
    return {"workers": workers, "seconds": seconds,
            "phases": {name: timer.seconds[name] for name in timer.order},
            "distributed_seconds": distributed, "first_distributed_seconds": first,
            "coordinator_cpu_seconds": cpu.seconds,
            "coordinator_peak_rss_bytes": peak_rss_bytes(),
            "kernels_compiled": compiled + (sum(executor.traffic.worker_kernels_compiled.values())
                                            if executor.traffic else 0),
            "traffic": executor.traffic.as_dict() if executor.traffic else None,
            "proof_sha256": hashlib.sha256(outcome.proof.to_bytes()).hexdigest()}


_CHILD = "import sys; from halo2py.profiling.distributed import child_main; child_main(sys.argv[1])"


def child_main(arguments: str) -> None:
    """A benchmark run's interpreter: the CLI's process policies first (``halo2py.cli.app.main``:
    glibc's pinned mmap threshold, no numpy huge pages, passive OpenMP waits — which the workers
    of its LocalCluster inherit), so that the figures are those of ``halo2py prove``; then
    ``timed_proof``, its result as JSON on stdout."""
    apply_memory_policy()
    prefer_passive_waits()
    print(json.dumps(timed_proof(**json.loads(arguments))))


def _run_fresh(**kwargs) -> dict:
    """``timed_proof`` in a new interpreter (its LocalCluster's workers are that process's children)."""
    done = subprocess.run([sys.executable, "-c", _CHILD, json.dumps(kwargs)], capture_output=True, text=True)
    if done.returncode != 0:
        tail = (done.stderr.strip().splitlines() or ["no output"])[-1]
        raise BenchFailed(f"the benchmark proof with {kwargs['workers']} worker(s) failed: {tail}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def bench(circuit: str, k: int, params: list, workers: list, runs: int, in_process: bool = True,
          progress=None, proofs: int = 1) -> dict:
    """Alternating runs of every configuration (``proofs`` proofs each, the last one timed);
    medians per phase, speed-up against 1 worker (of the last proofs, and of the first), and
    each round's own speed-up (a round runs every configuration once, one after another)."""
    configs = ([0] if in_process else []) + list(workers)
    samples: dict = {w: [] for w in configs}
    for r in range(runs):
        for w in configs:
            if progress:
                progress(f"run {r + 1}/{runs}: {'in process' if w == 0 else f'{w} worker(s)'}")
            samples[w].append(_run_fresh(circuit=circuit, k=k, params=list(params), workers=w, proofs=proofs))
    hashes = {s["proof_sha256"] for runs_of in samples.values() for s in runs_of}
    if len(hashes) != 1:
        raise BenchFailed("the benchmark's proofs differ between configurations")
    rows = []
    for w, runs_of in samples.items():
        phases = {name: statistics.median(s["phases"][name] for s in runs_of) for name in runs_of[0]["phases"]}
        last = runs_of[-1]
        rows.append({"workers": w, "seconds": statistics.median(s["seconds"] for s in runs_of),
                     "distributed_seconds": statistics.median(s["distributed_seconds"] for s in runs_of),
                     "first_distributed_seconds": statistics.median(s["first_distributed_seconds"] for s in runs_of),
                     "coordinator_cpu_seconds": statistics.median(s["coordinator_cpu_seconds"] for s in runs_of),
                     "worker_cpu_seconds": statistics.median(sum(s["traffic"]["worker_cpu_seconds"].values())
                                                             for s in runs_of) if w else None,
                     "phases": phases,
                     "coordinator_peak_rss_bytes": max(s["coordinator_peak_rss_bytes"] for s in runs_of),
                     "kernels_compiled": sum(s["kernels_compiled"] for s in runs_of),
                     "traffic": last["traffic"], "samples": runs_of})
    base = next((row for row in rows if row["workers"] == 1), None)
    for row in rows:
        row["speedup"] = base["distributed_seconds"] / row["distributed_seconds"] if base and row["workers"] else None
        row["first_speedup"] = (base["first_distributed_seconds"] / row["first_distributed_seconds"]
                                if base and row["workers"] else None)
        # each round's own ratio (its runs alternate, so the machine's drift hits both alike)
        row["run_speedups"] = ([one["distributed_seconds"] / mine["distributed_seconds"]
                                for one, mine in zip(base["samples"], row["samples"])]
                               if base and row["workers"] else None)
        row["median_run_speedup"] = statistics.median(row["run_speedups"]) if row["run_speedups"] else None
    return {"circuit": circuit, "k": k, "params": list(params), "runs": runs, "proofs": proofs, "results": rows}
