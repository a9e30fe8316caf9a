"""halo2py vs ezkl, side by side: alternating timed proofs, one markdown table, raw runs in JSON.

Run with the python of the ezkl virtualenv (``make bench-ezkl`` does it):

    benchmarks/vs_ezkl/.venv/bin/python benchmarks/vs_ezkl/run.py --k 14 16 --runs 3

Per k:
  ezkl     pick the MLP width whose circuit fills most of the 2^k rows (``gen_settings`` with
           logrows = k, a binary search on the width), ``compile_circuit``, ``gen_srs`` (made
           here, nothing downloaded), ``gen_witness``, ``setup`` (vk, pk; the circuit shape
           ezkl logs is recorded), then timed ``prove`` runs.
  halo2py  ``halo2py setup --k K`` once, then timed ``halo2py prove stress`` runs with the same
           shape (see README.md).
Each timed run is its own process under ``/usr/bin/time -v`` (wall, CPU %, max RSS); the two
programs alternate, the one going first swapping each round. Results are merged into
``results/vs_ezkl.json`` (raw runs per k; runs a newer one replaces move to "superseded") and
``results/vs_ezkl.md`` (medians).
ezkl's time includes loading its proving key and SRS. halo2py proves the way ezkl does, from a
proving key made once (``halo2py keygen --out-pk``, then ``prove --pk``: loading the key, the
params and synthesis included); ``--with-keygen`` adds a third program to the rotation, halo2py
making its keys in the same process (the table's "incl. keygen" column).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
sys.path.insert(0, str(HERE))

import model  # noqa: E402  (benchmarks/vs_ezkl/model.py)
import resident  # noqa: E402  (benchmarks/vs_ezkl/resident.py)

INPUT_WIDTH, OUTPUT_WIDTH = 16, 8
FILL = 0.85  # target share of the 2^k rows used by ezkl's circuit
DECOMP_BASE, DECOMP_LEGS = 4096, 2  # range-check table of 4096 rows: fits from k = 13

# halo2py stress parameters with ezkl's shape (README.md explains each).
STRESS = {"advice": 6, "fixed": 12, "degree": 4, "lookups": 2, "equality": 8}


def widths_for(w: int) -> list[int]:
    return [INPUT_WIDTH, w, w, OUTPUT_WIDTH]


# --------------------------------------------------------------------------- ezkl side


class _ShapeCapture(logging.Handler):
    """Collects the JSON 'circuit size' that ezkl logs (through pyo3-log) during setup."""

    def __init__(self):
        super().__init__(logging.DEBUG)
        self.shape = None

    def emit(self, record):
        msg = record.getMessage()
        if "circuit size" in msg and "{" in msg:
            try:
                self.shape = json.loads(msg[msg.index("{"):])
            except ValueError:
                pass


def _run_args(k: int):
    import ezkl

    r = ezkl.PyRunArgs()
    r.input_visibility = "public"
    r.output_visibility = "public"
    r.param_visibility = "fixed"
    r.logrows = k
    r.decomp_base = DECOMP_BASE
    r.decomp_legs = DECOMP_LEGS
    return r


def _settings_rows(k: int, w: int, d: Path) -> dict:
    import ezkl

    onnx_path, data_path, settings = d / f"mlp_w{w}.onnx", d / f"input_w{w}.json", d / f"settings_w{w}.json"
    model.write(widths_for(w), str(onnx_path), str(data_path))
    ezkl.gen_settings(str(onnx_path), str(settings), py_run_args=_run_args(k))
    return json.loads(settings.read_text())


def pick_width(k: int, d: Path) -> int:
    """Largest hidden width w whose circuit uses at most FILL · 2^k rows."""
    limit = FILL * (1 << k)
    lo, hi = 4, 8
    while _settings_rows(k, hi, d)["num_rows"] <= limit:
        lo, hi = hi, hi * 2
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if _settings_rows(k, mid, d)["num_rows"] <= limit:
            lo = mid
        else:
            hi = mid
    for f in d.glob("*_w*.*"):
        if f"_w{lo}." not in f.name:
            f.unlink()
    return lo


def prepare_ezkl(k: int, work: Path) -> dict:
    import ezkl

    d = work / f"ezkl_k{k}"
    d.mkdir(parents=True, exist_ok=True)
    cached = d / "prepared.json"
    if cached.exists():  # a previous run made the model, keys and witness: reuse them
        info = json.loads(cached.read_text())
        if all(Path(f).exists() for name, f in info["files"].items() if name != "proof"):
            return info
    t0 = time.time()
    w = pick_width(k, d)
    onnx_path, data, settings = d / f"mlp_w{w}.onnx", d / f"input_w{w}.json", d / f"settings_w{w}.json"
    compiled, srs, wit = d / "model.compiled", work / f"kzg{k}.srs", d / "witness.json"
    vk, pk = d / "vk.key", d / "pk.key"
    ezkl.compile_circuit(str(onnx_path), str(compiled), str(settings))
    if not srs.exists():
        ezkl.gen_srs(str(srs), k)
    ezkl.gen_witness(str(data), str(compiled), str(wit))
    cap = _ShapeCapture()
    root = logging.getLogger()
    root.addHandler(cap)
    old = root.level
    root.setLevel(logging.DEBUG)
    try:
        ok = ezkl.setup(str(compiled), str(vk), str(pk), srs_path=str(srs))
    finally:
        root.removeHandler(cap)
        root.setLevel(old)
    if not ok:
        raise SystemExit(f"ezkl setup failed at k = {k}")
    s = json.loads(settings.read_text())
    vkb = vk.read_bytes()
    info = {
        "widths": widths_for(w),
        "num_rows": s["num_rows"],
        "rows_used": s["num_rows"] / (1 << k),
        "total_assignments": s["total_assignments"],
        "total_const_size": s["total_const_size"],
        "required_range_checks": s["required_range_checks"],
        "required_lookups": s["required_lookups"],
        "run_args": {key: s["run_args"][key] for key in ("logrows", "num_inner_cols", "decomp_base", "decomp_legs",
                                                          "input_scale", "param_scale", "param_visibility")},
        "circuit_size": cap.shape,
        # halo2 vk header: version, k, compress_selectors, then the number of fixed commitments
        # (fixed columns, lookup-table columns and the compressed selector columns).
        "vk_fixed_commitments": int.from_bytes(vkb[3:7], "little") if len(vkb) > 7 else None,
        "pk_bytes": pk.stat().st_size,
        "prepare_s": round(time.time() - t0, 1),
        "files": {"witness": str(wit), "compiled": str(compiled), "pk": str(pk), "srs": str(srs),
                  "proof": str(d / "proof.json"), "vk": str(vk), "settings": str(settings)},
    }
    cached.write_text(json.dumps(info, indent=1) + "\n")
    return info


def ezkl_cmd(info: dict) -> list[str]:
    f = info["files"]
    code = (
        "import ezkl, sys; "
        f"ok = ezkl.prove({f['witness']!r}, {f['compiled']!r}, {f['pk']!r}, {f['proof']!r}, srs_path={f['srs']!r}); "
        "sys.exit(0 if ok else 1)"
    )
    return [sys.executable, "-c", code]


def ezkl_verify(info: dict) -> bool:
    import ezkl

    f = info["files"]
    return bool(ezkl.verify(f["proof"], f["settings"], f["vk"], srs_path=f["srs"]))


# --------------------------------------------------------------------------- halo2py side


def _stress_args(info: dict) -> list[str]:
    return [arg for name, value in info["stress"].items() for arg in ("--param", f"{name}={value}")]


def prepare_halo2py(k: int, work: Path, h2: str) -> dict:
    """Params and the proving key, made once per k (as ezkl's are, by ``prepare_ezkl``)."""
    params, pk = work / f"halo2py_k{k}.params", work / f"halo2py_k{k}.pk"
    info = {"params": str(params), "pk": str(pk), "proof": str(work / f"halo2py_k{k}.proof"), "stress": dict(STRESS)}
    if not params.exists():
        subprocess.run([h2, "setup", "--k", str(k), "--out", str(params)], check=True, stdout=subprocess.DEVNULL)
    # always re-made: a key from an older halo2py would be refused by `prove --pk`
    subprocess.run([h2, "keygen", "stress", "--k", str(k), *_stress_args(info), "--params", str(params),
                    "--out-pk", str(pk)], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return info


def halo2py_cmd(k: int, info: dict, h2: str, with_keygen: bool = False) -> list[str]:
    """`halo2py prove` of the stress circuit from the proving key file, or making its keys first."""
    key = [] if with_keygen else ["--pk", info["pk"]]
    return [h2, "prove", "stress", "--k", str(k), *_stress_args(info), "--strategy", "chunked", "--no-check",
            "--params", info["params"], *key, "--out", info["proof"], "--json"]


def halo2py_verify(k: int, info: dict, h2: str) -> bool:
    cmd = [h2, "verify", "stress", "--k", str(k), "--proof", info["proof"], "--params", info["params"],
           *_stress_args(info)]
    return subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode == 0


# --------------------------------------------------------------------------- measuring

_TIME_FIELDS = {
    "Elapsed (wall clock) time": "wall",
    "Percent of CPU this job got": "cpu_pct",
    "Maximum resident set size (kbytes)": "max_rss_kb",
    "User time (seconds)": "user_s",
    "System time (seconds)": "sys_s",
}


def _wall(text: str) -> float:
    parts = [float(p) for p in text.split(":")]
    s = 0.0
    for p in parts:
        s = s * 60 + p
    return s


def timed(cmd: list[str], env: dict | None = None) -> dict:
    load = os.getloadavg()[0]
    p = subprocess.run(["/usr/bin/time", "-v", *cmd], capture_output=True, text=True, env=env)
    out = {"rc": p.returncode, "load1_before": round(load, 2)}
    try:  # halo2py prove --json: its own total and per-phase seconds
        summary = json.loads(p.stdout.strip().splitlines()[-1])
        out["prove_s"] = round(summary["seconds"], 3)
        out["phases_s"] = {name: round(v["seconds"], 3) for name, v in summary["phases"].items()}
    except (ValueError, IndexError, KeyError, TypeError):
        pass
    for line in p.stderr.splitlines():
        line = line.strip()
        for key, name in _TIME_FIELDS.items():
            if line.startswith(key):
                val = line.rsplit(": ", 1)[1]
                if name == "wall":
                    out[name] = _wall(val)
                elif name == "cpu_pct":
                    out[name] = float(val.rstrip("%") or 0)
                elif name == "max_rss_kb":
                    out[name] = int(val)
                else:
                    out[name] = float(val)
    out["cpu_s"] = round(out.get("user_s", 0.0) + out.get("sys_s", 0.0), 2)
    if p.returncode != 0:
        tail = "\n".join((p.stderr.splitlines() or [""])[-15:])
        raise SystemExit(f"command failed ({p.returncode}): {' '.join(cmd)}\n{tail}")
    return out


def median(runs: list[dict], key: str) -> float:
    if key == "cpu_s":
        return statistics.median(r["cpu_s"] if "cpu_s" in r else r["user_s"] + r["sys_s"] for r in runs)
    return statistics.median(r[key] for r in runs)


def table(results: dict) -> str:
    lines = [
        "| k | ezkl rows used | ezkl wall s | ezkl CPU s | ezkl CPU % | ezkl RSS MiB "
        "| halo2py --pk wall s | halo2py CPU s | halo2py CPU % | halo2py RSS MiB "
        "| wall halo2py/ezkl | CPU s halo2py/ezkl | RSS halo2py/ezkl | halo2py incl. keygen wall s | runs | load avg |",
        "|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for k in sorted(results, key=int):
        r = results[k]
        e, h = r["runs"]["ezkl"], r["runs"]["halo2py"]
        et, ht = median(e, "wall"), median(h, "wall")
        ec, hc = median(e, "cpu_s"), median(h, "cpu_s")
        em, hm = median(e, "max_rss_kb") / 1024, median(h, "max_rss_kb") / 1024
        if r.get("halo2py", {}).get("proving_key") != "file":
            continue  # runs of an older benchmark that made the keys in the proving process
        kg = r["runs"].get("halo2py+keygen", [])
        kgs = f"{median(kg, 'wall'):.1f}" if kg else "–"
        loads = [x["load1_before"] for x in e + h + kg]
        lines.append(
            f"| {k} | {r['ezkl']['num_rows']} / {1 << int(k)} ({100 * r['ezkl']['rows_used']:.0f} %) "
            f"| {et:.1f} | {ec:.1f} | {median(e, 'cpu_pct'):.0f} | {em:.0f} "
            f"| {ht:.1f} | {hc:.1f} | {median(h, 'cpu_pct'):.0f} | {hm:.0f} "
            f"| {ht / et:.2f} | {hc / ec:.2f} | {hm / em:.2f} | {kgs} | {len(e)} + {len(h)} "
            f"| {min(loads):.1f}–{max(loads):.1f} |"
        )
    return "\n".join(lines)


def resident_table(results: dict) -> str:
    """The same proofs in one long-running process per program (resident.py): start-up paid once."""
    lines = [
        "| k | ezkl wall s | ezkl CPU s | ezkl peak RSS MiB | halo2py wall s | halo2py CPU s | halo2py peak RSS MiB "
        "| wall halo2py/ezkl | CPU s halo2py/ezkl | wall halo2py/ezkl per round | runs |",
        "|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for k in sorted(results, key=int):
        runs = results[k].get("resident", {}).get("runs")
        if not runs:
            continue
        e, h = runs["ezkl"], runs["halo2py"]
        et, ht, ec, hc = median(e, "wall"), median(h, "wall"), median(e, "cpu_s"), median(h, "cpu_s")
        per_round = sorted(b["wall"] / a["wall"] for a, b in zip(e, h))
        lines.append(
            f"| {k} | {et:.2f} | {ec:.2f} | {max(x['max_rss_kb'] for x in e) / 1024:.0f} "
            f"| {ht:.2f} | {hc:.2f} | {max(x['max_rss_kb'] for x in h) / 1024:.0f} "
            f"| {ht / et:.2f} | {hc / ec:.2f} | {statistics.median(per_round):.2f} "
            f"({per_round[0]:.2f}–{per_round[-1]:.2f}) | {len(e)} + {len(h)} |"
        )
    return "\n".join(lines)


def time_resident(ez: dict, h2_argv: list[str], h2: str, runs: int) -> dict:
    """Alternating proofs from one resident process per program, after one untimed proof each."""
    procs = {"ezkl": resident.ezkl_resident(sys.executable, ez["files"]),
             "halo2py": resident.halo2py_resident(h2, h2_argv)}
    try:
        for name, proc in procs.items():
            print(f"   resident {name:9s} first proof (not timed) {proc.prove()['wall']:7.2f} s", flush=True)
        out = {name: [] for name in procs}
        for i in range(runs):
            for name in (list(procs) if i % 2 == 0 else list(reversed(procs))):
                r = procs[name].prove()
                r["round"] = i
                out[name].append(r)
                print(f"   resident round {i} {name:9s} {r['wall']:7.2f} s  CPU {r['cpu_s']:6.2f} s  "
                      f"peak RSS {r['max_rss_kb'] / 1024:6.0f} MiB", flush=True)
        return out
    finally:
        for proc in procs.values():
            proc.close()


def versions(h2: str) -> dict:
    import ezkl  # noqa: F401
    from importlib.metadata import version

    v = {"ezkl": version("ezkl"), "onnx": version("onnx"), "python": platform.python_version()}
    try:
        v["halo2py"] = subprocess.run([h2, "--version"], capture_output=True, text=True).stdout.strip() or None
    except OSError:
        v["halo2py"] = None
    v["halo2py_git"] = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"],
                                      capture_output=True, text=True).stdout.strip()
    return v


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--k", type=int, nargs="+", default=[14, 16, 18])
    ap.add_argument("--runs", type=int, default=3, help="timed runs per program per k")
    ap.add_argument("--halo2py", default=str(REPO / ".venv" / "bin" / "halo2py"))
    ap.add_argument("--work", default=str(HERE / "work"), help="models, keys, SRS, proofs (git-ignored)")
    ap.add_argument("--results", default=str(HERE / "results"))
    ap.add_argument("--with-keygen", action="store_true",
                    help="also time halo2py making its keys in the proving process (no --pk)")
    ap.add_argument("--no-resident", dest="resident", action="store_false",
                    help="skip the resident runs (each program proving in one long-running process)")
    ap.add_argument("--no-verify-halo2py", dest="verify_halo2py", action="store_false",
                    help="skip `halo2py verify` of the last proof (it recomputes the verifying key)")
    a = ap.parse_args()

    work, res = Path(a.work), Path(a.results)
    work.mkdir(parents=True, exist_ok=True)
    res.mkdir(parents=True, exist_ok=True)
    raw_path, md_path = res / "vs_ezkl.json", res / "vs_ezkl.md"
    raw = json.loads(raw_path.read_text()) if raw_path.exists() else {"results": {}}
    raw["machine"] = {"cpu": cpu_model(), "cpus": os.cpu_count(), "kernel": platform.release()}
    raw["versions"] = versions(a.halo2py)
    raw["stress_params"] = STRESS

    for k in a.k:
        print(f"== k = {k}: preparing ezkl (width search, compile, srs, witness, setup)", flush=True)
        ez = prepare_ezkl(k, work)
        print(f"   widths {ez['widths']}, {ez['num_rows']} rows ({100 * ez['rows_used']:.0f} %), "
              f"shape {ez['circuit_size']}, vk fixed commitments {ez['vk_fixed_commitments']}", flush=True)
        print(f"== k = {k}: preparing halo2py (params, proving key)", flush=True)
        h2 = prepare_halo2py(k, work, a.halo2py)
        cmds = {"ezkl": ezkl_cmd(ez), "halo2py": halo2py_cmd(k, h2, a.halo2py)}
        if a.with_keygen:
            cmds["halo2py+keygen"] = halo2py_cmd(k, h2, a.halo2py, with_keygen=True)
        runs = {name: [] for name in cmds}
        for i in range(a.runs):
            order = list(cmds) if i % 2 == 0 else list(reversed(cmds))
            for name in order:
                r = timed(cmds[name])
                r["round"] = i
                runs[name].append(r)
                print(f"   round {i} {name:14s} {r['wall']:7.2f} s  CPU {r['cpu_pct']:4.0f} %  "
                      f"RSS {r['max_rss_kb'] / 1024:6.0f} MiB  (load {r['load1_before']})", flush=True)
        warm = time_resident(ez, cmds["halo2py"][1:], a.halo2py, a.runs) if a.resident else None
        ez_ok = ezkl_verify(ez)
        h2_ok = halo2py_verify(k, h2, a.halo2py) if a.verify_halo2py else None
        print(f"   last proofs verify: ezkl {ez_ok}, halo2py {h2_ok}", flush=True)
        if str(k) in raw["results"]:  # keep the runs this one replaces
            raw.setdefault("superseded", {}).setdefault(str(k), []).append(raw["results"][str(k)])
        raw["results"][str(k)] = {
            "ezkl": {key: v for key, v in ez.items() if key != "files"},
            "halo2py": {"stress": h2["stress"], "proving_key": "file"},
            "commands": {"ezkl_prove": "ezkl.prove(witness, compiled, pk, proof, srs_path) in a fresh python",
                         **{f"{name}_prove": " ".join(Path(c).name if c == a.halo2py else c for c in cmds[name])
                            for name in cmds if name != "ezkl"}},
            "ezkl_proof_verifies": ez_ok,
            "halo2py_proof_verifies": h2_ok,
            "runs": runs,
            **({"resident": {"runs": warm, "how": resident.__doc__.split("\n\n")[0]}} if warm else {}),
            "date_utc": time.strftime("%Y-%m-%d %H:%M", time.gmtime()),
        }
        raw_path.write_text(json.dumps(raw, indent=1) + "\n")
        md_path.write_text(report(raw["results"]))
    print()
    print(report(raw["results"]), end="")


def report(results: dict) -> str:
    warm = resident_table(results)
    return table(results) + "\n" + ("\nResident (one long-running process per program, start-up paid once; "
                                    "resident.py):\n\n" + warm + "\n" if warm.count("\n") > 1 else "")


if __name__ == "__main__":
    main()
