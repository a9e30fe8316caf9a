"""The CI regression check: a fixed set of small proofs with every built-in strategy.

Fails when proofs differ between strategies, when a proof does not verify, when a proof's bytes
change (the baseline keeps golden SHA-256s: params and randomness are seeded), or when the peak
heap or the model error of a run moves past the tolerances stored in the baseline.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from halo2py.profiling.compare import compare, model_error

# (circuit, k, params): small, but every argument and e ∈ {2, 4, 8} is exercised.
CASES = [
    ("fibonacci", 6, ()),
    ("range_check", 10, ()),
    ("poseidon", 8, ()),
    ("stress", 12, ()),
    ("stress", 11, ("degree=5", "lookups=0")),
]
# Peaks may move by 10 % or by 2 MiB, whichever is larger: at these small sizes one pymalloc arena
# (1 MiB) more or less is interpreter noise, not a regression.
DEFAULT_TOLERANCES = {"peak_rel": 0.10, "peak_abs_bytes": 2 << 20, "model_error_abs": 0.05}
PARAMS_SEED = 20261128


def case_key(circuit: str, k: int, params, strategy: str) -> str:
    return "-".join([circuit, f"k{k}", *params, strategy])


def run_cases(strategies: list, progress=None) -> tuple[dict, list]:
    """Run every case; return (measurements by key, problems found on the way)."""
    from halo2py.commitment.params import ParamsKZG
    from halo2py import pipeline
    from halo2py.randomness import seeded_rng

    runs, problems = {}, []
    with tempfile.TemporaryDirectory(prefix="halo2py-regress-") as tmp:
        root = Path(tmp)
        params_files = {}
        for circuit, k, params in CASES:
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


def check_against(baseline: dict, runs: dict) -> list:
    tol = {**DEFAULT_TOLERANCES, **baseline.get("tolerances", {})}
    problems = []
    for key, run in runs.items():
        base = baseline.get("runs", {}).get(key)
        if base is None:
            problems.append(f"{key}: not in the baseline (run with --update to add it)")
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
    return problems


def write_baseline(path: Path, runs: dict, previous: dict | None) -> None:
    tolerances = (previous or {}).get("tolerances", DEFAULT_TOLERANCES)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"tolerances": tolerances, "runs": runs}, indent=2, sort_keys=True) + "\n")
