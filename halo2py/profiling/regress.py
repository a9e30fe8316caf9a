"""The CI regression check: a fixed set of small proofs with every built-in strategy.

Fails when proofs differ between strategies, when a proof does not verify, when a proof's bytes
change (the baseline keeps golden SHA-256s: params and randomness are seeded), or when the peak
heap or the model error of a run moves past the tolerances stored in the baseline.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from halo2py import pipeline
from halo2py._output import output_file
from halo2py.commitment.params import ParamsKZG
from halo2py.conformance import circuit_cases
from halo2py.profiling.compare import compare, model_error
from halo2py.quotient.registry import available
from halo2py.randomness import seeded_rng

REFERENCE_STRATEGY = "legacy"  # halo2's own evaluate_h: every other strategy must match its bytes
# Peaks may move by 10 % or by 2 MiB, whichever is larger: at these small sizes one pymalloc arena
# (1 MiB) more or less is interpreter noise, not a regression.
DEFAULT_TOLERANCES = {"peak_rel": 0.10, "peak_abs_bytes": 2 << 20, "model_error_abs": 0.05}
PARAMS_SEED = 20261128


def case_key(circuit: str, k: int, params, strategy: str) -> str:
    return "-".join([circuit, f"k{k}", *params, strategy])


def strategies_to_run() -> list:
    """Every registered strategy, the reference first: a new strategy is regressed (and
    checked against legacy's bytes) the moment it is registered."""
    return [REFERENCE_STRATEGY] + sorted(set(available()) - {REFERENCE_STRATEGY})


def run_cases(strategies: list, progress=None) -> tuple[dict, list]:
    """Run every registered circuit's ``regress_cases`` with each strategy (and always legacy,
    the reference); return (measurements by key, problems found on the way)."""
    strategies = [REFERENCE_STRATEGY] + [s for s in strategies if s != REFERENCE_STRATEGY]
    runs, problems = {}, []
    with tempfile.TemporaryDirectory(prefix="halo2py-regress-") as tmp:
        root = Path(tmp)
        params_files = {}
        for circuit, k, params in circuit_cases("regress"):
            if k not in params_files:
                params_files[k] = root / f"params-k{k}.bin"
                ParamsKZG.setup(k, seeded_rng(PARAMS_SEED, "regress")).write(params_files[k])
            c = compare(circuit, strategies, root, k=k, params=params, params_path=str(params_files[k]),
                        progress=progress)
            if not c["identical"]:
                problems.append(f"{circuit} k={k} {' '.join(params)}: proofs differ between strategies")
            instance = pipeline.build_circuit(circuit, k, params)
            setup = ParamsKZG.read(params_files[k], check=False)
            for r in c["results"]:
                proof = pipeline.read_proof(r["proof"])
                try:
                    pipeline.verify(instance, proof, setup)
                except Exception as exc:  # any failure to verify is a regression to report
                    problems.append(f"{case_key(circuit, k, params, r['strategy'])}: does not verify ({exc})")
                runs[case_key(circuit, k, params, r["strategy"])] = {
                    "peak_bytes": r["peak_bytes"],
                    "model_error": round(model_error(r["peak_bytes"], r["model_peak_bytes"]), 4),
                    "proof_sha256": r["proof_sha256"],
                    "seconds": round(r["seconds"], 2),
                }
    return runs, problems


def check_against(baseline: dict, runs: dict) -> tuple[list, list]:
    """(problems, new keys): a run with no baseline entry is *new* — reported, not a failure;
    ``run_cases`` has already checked that its proof equals legacy's bytes and verifies."""
    tol = {**DEFAULT_TOLERANCES, **baseline.get("tolerances", {})}
    problems, new = [], []
    for key, run in runs.items():
        base = baseline.get("runs", {}).get(key)
        if base is None:
            new.append(key)
            continue
        if run["proof_sha256"] != base["proof_sha256"]:
            problems.append(f"{key}: proof bytes changed (sha256 {run['proof_sha256'][:12]}… "
                            f"vs baseline {base['proof_sha256'][:12]}…)")
        moved = run["peak_bytes"] - base["peak_bytes"]
        if abs(moved) > max(tol["peak_rel"] * base["peak_bytes"], tol["peak_abs_bytes"]):
            problems.append(f"{key}: peak heap {run['peak_bytes']:,} B moved {moved / base['peak_bytes']:+.1%} "
                            f"from baseline {base['peak_bytes']:,} B (tolerance ±{tol['peak_rel']:.0%} "
                            f"or {tol['peak_abs_bytes']:,} B)")
        gap_now = run["model_error"] * run["peak_bytes"]  # model − measured, in bytes
        gap_base = base["model_error"] * base["peak_bytes"]
        if abs(gap_now - gap_base) > max(tol["model_error_abs"] * run["peak_bytes"], tol["peak_abs_bytes"]):
            problems.append(f"{key}: model error {run['model_error']:+.1%} moved from baseline "
                            f"{base['model_error']:+.1%} (tolerance ±{tol['model_error_abs']:.0%} "
                            f"or {tol['peak_abs_bytes']:,} B)")
    return problems, new


def write_baseline(path: Path, runs: dict, previous: dict | None) -> None:
    tolerances = (previous or {}).get("tolerances", DEFAULT_TOLERANCES)
    path.parent.mkdir(parents=True, exist_ok=True)
    with output_file(path) as f:  # whole or not at all: a cut-short baseline would fail every later check
        f.write((json.dumps({"tolerances": tolerances, "runs": runs}, indent=2, sort_keys=True) + "\n").encode())
