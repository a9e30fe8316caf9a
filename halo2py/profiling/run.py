"""Profile one proof: wall time and exact heap peak per phase, peak RSS, and the model beside it
(each phase's predicted peak and the named components it is made of).

Kernels are loaded (by a small proof of the same circuit) *before* tracking starts, so the capture
holds the proof's own memory, not the JIT's. Params are read before tracking too, and the SRS they
hold — live for the whole proof — is added to every phase's measured peak exactly (its nbytes).
"""

from __future__ import annotations

import dataclasses
import hashlib
import time
from pathlib import Path

from halo2py import pipeline
from halo2py.arith.ntt import clear_twiddle_cache
from halo2py.commitment.params import ParamsKZG
from halo2py.errors import Halo2pyError, InputError
from halo2py.execution import open_executor
from halo2py.execution.base import peak_rss_bytes
from halo2py.profiling.memory import MemrayPhases, replay, tracking
from halo2py.profiling.model import ProofShape, predict
from halo2py.randomness import seeded_rng
from halo2py.timing import PhaseTimer

CAPTURE = "capture.bin"


WARM_K = 13  # above the NTT's 2^12 block size, so the streaming stages are compiled too


def load_kernels(circuit, strategy: str, multiopen: str, executor=None) -> None:
    """Run every kernel the profiled proof will run, by proving the same circuit at a small k
    first (with a warm cache this only loads machine code; without it, the JIT's own memory
    would otherwise land in the capture and blur the measurement) — through ``executor``, so a
    cluster's workers load them too."""
    k = min(circuit.params.k, WARM_K)
    try:
        small = type(circuit)(dataclasses.replace(circuit.params, k=k), circuit.inputs)
        pipeline.prove(small, ParamsKZG.setup(k, seeded_rng(0, "warm")), strategy, multiopen, seed=0, check=False,
                       executor=executor)
    except InputError:  # the circuit does not fit a small table: warm on the default circuit
        pipeline.warm([strategy], verify_proofs=False)


def profile_proof(circuit, params_path: str | None, strategy: str, multiopen: str, seed: int,
                  out_dir: Path, warn=None, execution: dict | None = None, spill=None) -> dict:
    """Prove ``circuit`` (or a list of circuit copies for one proof) under memray — out of core
    if ``spill`` names a directory; return the measurements as a JSON-ready dict. ``execution``:
    ``open_executor``'s options (default in process); memray then sees the coordinator, and the
    workers report their own peaks."""
    with open_executor(**(execution or {})) as executor:
        return _profile(circuit, params_path, strategy, multiopen, seed, out_dir, warn, executor, spill)


def _profile(circuit, params_path, strategy: str, multiopen: str, seed: int, out_dir: Path, warn, executor,
             spill) -> dict:
    circuits = list(circuit) if isinstance(circuit, (list, tuple)) else [circuit]
    circuit = circuits[0]
    out_dir.mkdir(parents=True, exist_ok=True)
    capture = out_dir / CAPTURE
    capture.unlink(missing_ok=True)
    load_kernels(circuit, strategy, multiopen, executor)
    # Params are read (and checked: py_ecc pairings churn Python objects) before tracking; g is
    # live for the whole proof and added to every phase exactly. g_lagrange, which the prover
    # frees at the quotient (own_params, as the CLI's prove), is copied under tracking instead.
    params = pipeline.obtain_params(circuit.params.k, params_path, warn=warn)
    # (out of core the prover moves the SRS to spill files at once: then it is not heap)
    srs_bytes = 0 if spill is not None else params.g.nbytes
    # the warm-up proof filled the NTT's twiddle cache; a proof computes its tables itself
    clear_twiddle_cache()
    markers = MemrayPhases()
    timer = PhaseTimer([markers])
    t0 = time.perf_counter()
    with tracking(capture):
        if params.g_lagrange is not None:
            params.g_lagrange = params.g_lagrange.copy()
        outcome = pipeline.prove(circuits, params, strategy, multiopen, seed, check=False, timer=timer,
                                 executor=executor, spill=spill, own_params=True)
    seconds = time.perf_counter() - t0
    del params
    heap = replay(capture, markers.codes)
    proof = outcome.proof.to_bytes()
    (out_dir / "proof.bin").write_bytes(proof)
    shape = dataclasses.replace(ProofShape.from_layout(outcome.vk.layout, outcome.vk.k, len(circuits)),
                                synthesis_scratch=circuit.synthesis_scratch_columns())
    model = predict(shape, strategy, spill=spill is not None)
    return {
        "strategy": strategy,
        "spill": spill is not None,
        "circuit": circuit.circuit_name(),
        "k": circuit.params.k,
        "copies": len(circuits),
        "seconds": seconds,
        "peak_bytes": heap.peak_bytes + srs_bytes,
        "srs_bytes": srs_bytes,
        "peak_rss_bytes": peak_rss_bytes(),
        "model_peak_bytes": model.total,
        "quotient_strategy_bytes": outcome.quotient_peak_bytes,
        "proof_sha256": hashlib.sha256(proof).hexdigest(),
        "proof_bytes": len(proof),
        "phases": {name: {"seconds": timer.seconds[name],
                          "peak_bytes": heap.phase_peak.get(name, 0) + srs_bytes,
                          "model_bytes": model.phases.get(name),
                          "model_components": model.components.get(name)}
                   for name in timer.order},
        "boundaries": markers.boundaries,
        "capture": str(capture),
        "proof": str(out_dir / "proof.bin"),
        "executor": executor.name,
        **({"traffic": executor.traffic.as_dict()} if executor.traffic else {}),
    }


def profile_spec(circuit: str, strategy: str, out_dir: str, *, k: int | None = None, params=(),
                 inputs: str | None = None, params_path: str | None = None, multiopen: str = "shplonk",
                 seed: int = 0, copies: int = 1, execution: dict | None = None, spill: str | None = None) -> tuple:
    """``profile_proof`` from plain arguments, for a fresh worker process: ("ok", result) or
    ("error", (exit_code, message)) — errors travel as data, so nothing needs to unpickle."""
    try:
        circuits = pipeline.build_copies(circuit, copies, k, params, inputs)
        return "ok", profile_proof(circuits, params_path, strategy, multiopen, seed, Path(out_dir),
                                   execution=execution, spill=spill)
    except Halo2pyError as exc:
        return "error", (exc.exit_code, str(exc))
