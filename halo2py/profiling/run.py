"""Profile one proof: wall time and exact heap peak per phase, peak RSS, and the model beside it.

Kernels are loaded from Numba's cache *before* tracking starts (by ``halo2py.warm``-style calls),
so the capture holds the proof's own memory, not the JIT's. Params are loaded inside the capture:
the SRS is part of what a prover holds.
"""

from __future__ import annotations

import hashlib
import time
from pathlib import Path

from halo2py.profiling.memory import MemrayPhases, peak_rss_bytes, replay, tracking
from halo2py.profiling.phases import PhaseTimer

CAPTURE = "capture.bin"


def load_kernels(strategy: str) -> None:
    """Load every kernel a proof with ``strategy`` runs into this process, by proving a tiny
    circuit first (cheap with a warm cache; otherwise the JIT's memory would pollute the capture)."""
    from halo2py import pipeline

    pipeline.warm([strategy], verify_proofs=False)


def profile_proof(circuit, params_path: str | None, strategy: str, multiopen: str, seed: int,
                  out_dir: Path, warn=None) -> dict:
    """Prove ``circuit`` under memray; return the measurements as a JSON-ready dict."""
    from halo2py import pipeline
    from halo2py.profiling.model import predict

    out_dir.mkdir(parents=True, exist_ok=True)
    capture = out_dir / CAPTURE
    capture.unlink(missing_ok=True)
    load_kernels(strategy)
    markers = MemrayPhases()
    timer = PhaseTimer([markers])
    t0 = time.perf_counter()
    with tracking(capture):
        params = pipeline.obtain_params(circuit.params.k, params_path, warn=warn)
        outcome = pipeline.prove(circuit, params, strategy, multiopen, seed, check=False, timer=timer)
        del params
    seconds = time.perf_counter() - t0
    heap = replay(capture, markers.codes)
    proof = outcome.proof.to_bytes()
    model = predict(outcome.shape, strategy)
    return {
        "strategy": strategy,
        "circuit": circuit.circuit_name(),
        "k": circuit.params.k,
        "seconds": seconds,
        "peak_bytes": heap.peak_bytes,
        "peak_rss_bytes": peak_rss_bytes(),
        "model_peak_bytes": model.total,
        "quotient_strategy_bytes": outcome.quotient_peak_bytes,
        "proof_sha256": hashlib.sha256(proof).hexdigest(),
        "proof_bytes": len(proof),
        "phases": {name: {"seconds": timer.seconds[name],
                          "peak_bytes": heap.phase_peak.get(name, 0),
                          "model_bytes": model.phases.get(name)}
                   for name in timer.order},
        "boundaries": markers.boundaries,
        "capture": str(capture),
    }
