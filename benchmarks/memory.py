"""Peak RSS and wall time of the default prove of the ezkl-like stress shape, beside the memory
model's prediction (``make bench-memory K="18 20" RUNS=3 [BEFORE=/path/to/other/checkout]``).

Each run is ``/usr/bin/time -f '%M %e' python -m halo2py prove stress <shape> --k K --no-check``
with params made once per k by ``halo2py setup``. With ``--before DIR`` every run of this checkout
alternates with one of DIR's code, under the *same* interpreter and venv (``PYTHONPATH=DIR``), so
a busy machine slows both alike and the ratio of medians is the comparison; the load average is
printed beside them.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

SHAPE = ["--param", "advice=6", "--param", "fixed=8", "--param", "degree=4", "--param", "lookups=2",
         "--param", "equality=7"]
HERE = Path(__file__).resolve().parents[1]


def halo2py(code: Path, *args, timed: bool = False) -> subprocess.CompletedProcess:
    # ``-m`` puts the working directory first on sys.path, ahead of PYTHONPATH: run in the checkout
    env = dict(os.environ, PYTHONPATH=str(code))
    prefix = ["/usr/bin/time", "-f", "%M %e"] if timed else []
    return subprocess.run([*prefix, sys.executable, "-m", "halo2py", *args], capture_output=True, text=True,
                          env=env, cwd=code, check=False)


def measure(code: Path, k: int, params: Path, out: Path) -> tuple:
    done = halo2py(code, "prove", "stress", *SHAPE, "--k", str(k), "--no-check", "--params", str(params),
                   "--out", str(out), timed=True)
    if done.returncode != 0:
        sys.exit(f"prove failed ({code}): {done.stderr[-2000:]}")
    kb, seconds = done.stderr.strip().splitlines()[-1].split()
    return int(kb) << 10, float(seconds)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--k", type=int, nargs="+", default=[18, 20])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--before", type=Path, help="another checkout (e.g. main) to alternate with")
    parser.add_argument("--work", type=Path, default=HERE / "out" / "bench-memory")
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    variants = [("after", HERE)] + ([("before", args.before.resolve())] if args.before else [])
    for k in args.k:
        params = args.work / f"k{k}.params"
        if not params.exists():
            halo2py(HERE, "setup", "--k", str(k), "--out", str(params))
        plan = json.loads(halo2py(HERE, "plan", "stress", *SHAPE, "--k", str(k), "--json").stdout)
        chunked = next(p for p in plan["plans"] if p["strategy"] == "chunked")
        results = {name: [] for name, _ in variants}
        loads = []
        for _ in range(args.runs):
            for name, code in variants:
                results[name].append(measure(code, k, params, args.work / f"{name}-k{k}.bin"))
                loads.append(os.getloadavg()[0])
                print(json.dumps({"k": k, "variant": name, "peak_rss_bytes": results[name][-1][0],
                                  "seconds": results[name][-1][1], "load_average": loads[-1]}), flush=True)
        row = {"k": k, "load_average_median": statistics.median(loads),
               "model_heap_bytes": chunked["peak_bytes"], "model_rss_bytes": chunked["rss_bytes"]}
        for name, runs in results.items():
            row[name] = {"peak_rss_bytes": statistics.median(r[0] for r in runs),
                         "seconds": statistics.median(r[1] for r in runs), "runs": runs}
        if args.before:
            row["rss_ratio"] = row["after"]["peak_rss_bytes"] / row["before"]["peak_rss_bytes"]
            row["time_ratio"] = row["after"]["seconds"] / row["before"]["seconds"]
        print(json.dumps(row), flush=True)


if __name__ == "__main__":
    main()
