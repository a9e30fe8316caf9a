"""Comparing strategies: each profiled proof runs in a fresh process so heap peaks never mix.

A run is ``python -m halo2py profile ... --json``; its JSON (see ``halo2py.profiling.run``) is
collected here. Proofs made with one shared seed and one params file must be byte-identical
across strategies — that is checked, not assumed.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from halo2py.errors import Halo2pyError


class RunFailed(Halo2pyError):
    exit_code = 1


def profile_in_subprocess(circuit: str, strategy: str, out_dir: Path, *, k: int | None = None,
                          params=(), inputs: str | None = None, params_path: str | None = None,
                          multiopen: str = "shplonk", seed: int = 0) -> dict:
    cmd = [sys.executable, "-m", "halo2py", "profile", circuit, "--strategy", strategy,
           "--out", str(out_dir), "--multiopen", multiopen, "--seed", str(seed), "--json", "--no-flamegraph"]
    if k is not None:
        cmd += ["--k", str(k)]
    for p in params:
        cmd += ["--param", p]
    if inputs:
        cmd += ["--inputs", inputs]
    if params_path:
        cmd += ["--params", params_path]
    done = subprocess.run(cmd, capture_output=True, text=True, env=os.environ.copy())
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["no output"])[-1]
        if done.returncode == 2:
            raise Halo2pyError(last)
        raise RunFailed(f"profiling {circuit} with {strategy} failed (exit {done.returncode}): {last}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def model_error(measured: int, model: int) -> float:
    """(model − measured) / measured."""
    return (model - measured) / measured if measured else 0.0


def compare(circuit: str, strategies: list, out_root: Path, *, k: int | None = None, params=(),
            inputs: str | None = None, params_path: str | None = None, multiopen: str = "shplonk",
            seed: int = 0, progress=None) -> dict:
    """Profile ``circuit`` with each strategy (fresh process each); one JSON-ready comparison."""
    results = []
    for strategy in strategies:
        if progress:
            progress(f"{circuit} k={k if k is not None else 'default'}: {strategy}")
        out_dir = out_root / f"{circuit}-k{k}-{Path(strategy).stem}"
        results.append(profile_in_subprocess(circuit, strategy, out_dir, k=k, params=params, inputs=inputs,
                                             params_path=params_path, multiopen=multiopen, seed=seed))
    hashes = {r["proof_sha256"] for r in results}
    return {"circuit": results[0]["circuit"], "k": results[0]["k"], "identical": len(hashes) == 1,
            "results": results}
