"""Comparing strategies: each profiled proof runs in a fresh process so heap peaks never mix.

A run is ``halo2py.profiling.run.profile_spec`` in a freshly spawned interpreter (not a fork: the
child must not inherit the parent's heap or its loaded kernels' allocations); its JSON-ready dict
comes back through ``concurrent.futures``. Proofs made with one shared seed and one params file
must be byte-identical across strategies — that is checked, not assumed.
"""

from __future__ import annotations

import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from halo2py.errors import Halo2pyError, InputError
from halo2py.profiling.run import profile_spec


class RunFailed(Halo2pyError):
    exit_code = 1


def profile_in_subprocess(circuit: str, strategy: str, out_dir: Path, *, k: int | None = None,
                          params=(), inputs: str | None = None, params_path: str | None = None,
                          multiopen: str = "shplonk", seed: int = 0, copies: int = 1,
                          execution: dict | None = None, spill: str | None = None) -> dict:
    try:
        with ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn")) as pool:
            status, payload = pool.submit(profile_spec, circuit, strategy, str(out_dir), k=k, params=tuple(params),
                                          inputs=inputs, params_path=params_path, multiopen=multiopen,
                                          seed=seed, copies=copies, execution=execution, spill=spill).result()
    except BrokenProcessPool:
        raise RunFailed(f"profiling {circuit} with {strategy}: the worker process died (out of memory, a "
                        "signal, or an import error in it)") from None
    if status == "ok":
        return payload
    exit_code, message = payload
    if exit_code == 2:
        raise InputError(message)
    raise RunFailed(f"profiling {circuit} with {strategy} failed (exit {exit_code}): {message}")


def model_error(measured: int, model: int) -> float:
    """(model − measured) / measured."""
    return (model - measured) / measured if measured else 0.0


def compare(circuit: str, strategies: list, out_root: Path, *, k: int | None = None, params=(),
            inputs: str | None = None, params_path: str | None = None, multiopen: str = "shplonk",
            seed: int = 0, progress=None, copies: int = 1, execution: dict | None = None,
            spill: str | None = None) -> dict:
    """Profile ``circuit`` (``copies`` copies per proof, out of core if ``spill`` names a
    directory) with each strategy, a fresh process each (with ``execution``, each its own Dask
    cluster or client); one JSON-ready comparison."""
    results = []
    for strategy in strategies:
        if progress:
            progress(f"{circuit} k={k if k is not None else 'default'}: {strategy}")
        out_dir = out_root / f"{circuit}-k{k}-{Path(strategy).stem}"
        results.append(profile_in_subprocess(circuit, strategy, out_dir, k=k, params=params, inputs=inputs,
                                             params_path=params_path, multiopen=multiopen, seed=seed,
                                             copies=copies, execution=execution, spill=spill))
    hashes = {r["proof_sha256"] for r in results}
    return {"circuit": results[0]["circuit"], "k": results[0]["k"], "identical": len(hashes) == 1,
            "results": results}
