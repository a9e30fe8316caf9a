"""``halo2py bench ...``: micro-benchmarks of the kernels (one subcommand per primitive).

Each subcommand reports the median over ``--runs`` timed runs after one untimed warm-up; human
output is a table on stderr, ``--json`` one object on stdout. Kernels are imported inside the
commands so that ``halo2py --help`` does not load Numba.
"""

import statistics
from contextlib import contextmanager

import typer

from halo2py.cli.console import emit_json, err
from halo2py.cli.timing import measure, use_threads
from halo2py.errors import InputError

app = typer.Typer(help="Benchmark kernels: medians over repeated runs.", no_args_is_help=True)

_THREADS = typer.Option(None, "--threads", metavar="N", help="Numba worker threads (default: all cores).")
_RUNS = typer.Option(5, "--runs", metavar="N", help="Timed runs; the median is reported.")
_JSON = typer.Option(False, "--json", metavar="", help="Print one JSON object on stdout instead of a table.")

_IFMA = typer.Option(None, "--ifma/--no-ifma", metavar="",
                     help="AVX-512 IFMA field kernels (default: where the CPU has them, HALO2PY_IFMA=0 off).")

_MAX_FIELD_N = 1 << 26
_MAX_MSM_COLUMNS = 64  # a prover's round commits a few dozen at most; 2^24 points × 64 is 32 GiB of scalars


def _onoff(flag: bool) -> str:
    return "on" if flag else "off"


@contextmanager
def _ifma_switch(flag: bool | None):
    """Yields whether the IFMA kernels run, with ``--ifma/--no-ifma`` applied for the command
    (and the process default restored after, for callers in one process such as tests)."""
    from halo2py.arith import ifma

    ifma.set_enabled(flag)
    try:
        yield ifma.enabled()
    finally:
        ifma.set_enabled(None)


@app.command("field")
def field(
    n: int = typer.Option(1 << 20, "--n", metavar="N", help="Vector length per operation."),
    threads: int | None = _THREADS,
    runs: int = _RUNS,
    ifma: bool | None = _IFMA,
    json_out: bool = _JSON,
):
    """Nanoseconds per element of Fr mul/add/square and Fq mul, over vectors of n elements."""
    if not 1 <= n <= _MAX_FIELD_N:
        raise InputError(f"--n must be between 1 and {_MAX_FIELD_N}, got {n}")
    used = use_threads(threads)
    from halo2py.arith.field import Fq, Fr

    results = {}
    with _ifma_switch(ifma) as ifma:
        for name, fld, op in (("fr_mul", Fr, "mul"), ("fr_add", Fr, "add"),
                              ("fr_square", Fr, "square"), ("fq_mul", Fq, "mul")):
            a, b, out = fld.random(n), fld.random(n), fld.zeros(n)
            if op == "square":
                timing = measure(lambda: fld.square(a, out=out), runs)
            else:
                fn = getattr(fld, op)
                timing = measure(lambda: fn(a, b, out=out), runs)
            results[name] = timing.median / n * 1e9
    if json_out:
        emit_json({"op": "field", "n": n, "threads": used, "runs": runs, "ifma": ifma, "ns_per_element": results})
        return
    from rich.table import Table

    err.print(f"field ops on vectors of {n} elements, {used} thread(s), IFMA {_onoff(ifma)}, median of {runs} runs")
    table = Table()
    table.add_column("op")
    table.add_column("ns / element", justify="right")
    for name, ns in results.items():
        table.add_row(name, f"{ns:.2f}")
    err.print(table)


@app.command("ntt")
def ntt_cmd(
    k: int = typer.Option(16, "--k", metavar="K", help="log2 of the transform size (1..28)."),
    threads: int | None = _THREADS,
    runs: int = _RUNS,
    inverse: bool = typer.Option(False, "--inverse", metavar="", help="Time the inverse NTT instead."),
    ifma: bool | None = _IFMA,
    json_out: bool = _JSON,
):
    """Milliseconds per in-place radix-2 NTT of 2^k Fr elements."""
    from halo2py.arith.ntt import MAX_K

    if not 1 <= k <= MAX_K:
        raise InputError(f"--k must be between 1 and {MAX_K}, got {k}")
    used = use_threads(threads)
    from halo2py.arith import ntt
    from halo2py.arith.field import Fr

    a = Fr.random(1 << k)
    transform = ntt.intt if inverse else ntt.ntt
    with _ifma_switch(ifma) as ifma:
        timing = measure(lambda: transform(a), runs)
    op = "intt" if inverse else "ntt"
    if json_out:
        emit_json({"op": op, "k": k, "threads": used, "runs": runs, "ifma": ifma,
                   "median_ms": timing.median * 1e3, "min_ms": timing.best * 1e3})
        return
    from rich.table import Table

    err.print(f"{op} of 2^{k} Fr elements (IFMA {_onoff(ifma)})")
    table = Table()
    for col in ("k", "threads", "runs", "median ms", "min ms"):
        table.add_column(col, justify="right")
    table.add_row(str(k), str(used), str(runs), f"{timing.median * 1e3:.2f}", f"{timing.best * 1e3:.2f}")
    err.print(table)


@app.command("msm")
def msm_cmd(
    k: int = typer.Option(16, "--k", metavar="K", help="log2 of the number of points (0..24)."),
    threads: int | None = _THREADS,
    runs: int = typer.Option(3, "--runs", metavar="N", help="Timed runs; the median is reported."),
    glv: bool = typer.Option(True, "--glv/--no-glv", metavar="", help="Split scalars with the GLV endomorphism."),
    ifma: bool | None = _IFMA,
    columns: int = typer.Option(1, "--columns", metavar="N",
                                help="Scalar columns over the same points, committed in one call as a prover's "
                                     "round is (msm_columns); the times are per column."),
    json_out: bool = _JSON,
):
    """Milliseconds per G1 multi-scalar multiplication of 2^k random points and Fr scalars."""
    if not 0 <= k <= 24:
        raise InputError(f"--k must be between 0 and 24, got {k}")
    if not 1 <= columns <= _MAX_MSM_COLUMNS:
        raise InputError(f"--columns must be between 1 and {_MAX_MSM_COLUMNS}, got {columns}")
    used = use_threads(threads)
    from halo2py.arith.field import Fr
    from halo2py.curve import G1
    from halo2py.curve.msm import msm_columns, window_bits

    bases, scalars = G1.random(1 << k), [Fr.random(1 << k) for _ in range(columns)]
    with _ifma_switch(ifma) as ifma:
        timing = measure(lambda: msm_columns(bases, scalars, glv=glv, ifma=ifma), runs)
    window = window_bits(1 << k, glv)
    median, best = timing.median * 1e3 / columns, timing.best * 1e3 / columns
    if json_out:
        emit_json({"op": "msm", "k": k, "threads": used, "runs": runs, "window": window, "glv": glv,
                   "ifma": ifma, "columns": columns, "median_ms": median, "min_ms": best})
        return
    from rich.table import Table

    err.print(f"msm of 2^{k} G1 points (Pippenger window c = {window}, GLV {_onoff(glv)}, IFMA {_onoff(ifma)}), "
              f"{columns} column{'s' if columns > 1 else ''} per call; ms per column")
    table = Table()
    for col in ("k", "threads", "runs", "median ms", "min ms"):
        table.add_column(col, justify="right")
    table.add_row(str(k), str(used), str(runs), f"{median:.2f}", f"{best:.2f}")
    err.print(table)


@app.command("pairing")
def pairing_cmd(
    runs: int = typer.Option(20, "--runs", metavar="N", help="Timed runs; the median is reported."),
    json_out: bool = _JSON,
):
    """Milliseconds per 2-pair multi-pairing check e(aG, bH)·e(−abG, H) = 1 (one thread): the
    Numba kernel on prepared rows, and the whole ``multi_pairing_is_one`` a verifier calls."""
    import random

    import numpy as np
    from halo2py._pyecc import bn

    from halo2py.arith.constants import FR_MODULUS
    from halo2py.commitment import pairing
    from halo2py.curve import ate

    rng = random.Random(1)
    a, b = rng.randrange(1, FR_MODULUS), rng.randrange(1, FR_MODULUS)
    pairs = [(bn.multiply(bn.G1, a), bn.multiply(bn.G2, b)),
             (bn.multiply(bn.G1, FR_MODULUS - a * b % FR_MODULUS), bn.G2)]
    g1, g2 = pairing.to_rows(pairs)
    out = np.empty((ate.FQ12_ROWS, 4), dtype=np.uint64)
    kernel = measure(lambda: ate.pairing_product(g1, g2, out), runs)
    check = measure(lambda: pairing.multi_pairing_is_one(pairs), runs)
    if not pairing.multi_pairing_is_one(pairs):
        raise RuntimeError("the benchmark's pairing product is not 1")
    if json_out:
        emit_json({"op": "pairing", "pairs": 2, "runs": runs,
                   "median_ms": kernel.median * 1e3, "min_ms": kernel.best * 1e3,
                   "check_median_ms": check.median * 1e3})
        return
    from rich.table import Table

    err.print("2-pair multi-pairing (Miller loops + one final exponentiation), one thread")
    table = Table()
    for col in ("what", "runs", "median ms", "min ms"):
        table.add_column(col, justify="right")
    table.add_row("kernel", str(runs), f"{kernel.median * 1e3:.2f}", f"{kernel.best * 1e3:.2f}")
    table.add_row("multi_pairing_is_one", str(runs), f"{check.median * 1e3:.2f}", f"{check.best * 1e3:.2f}")
    err.print(table)


STRESS_K18 = ["advice=6", "fixed=8", "degree=4", "lookups=2", "equality=7"]


@app.command("dask")
def dask_cmd(
    circuit: str = typer.Option("stress", "--circuit", metavar="CIRCUIT", help="The circuit to prove."),
    k: int = typer.Option(18, "--k", metavar="K", help="log2 of the rows."),
    param: list[str] = typer.Option(STRESS_K18, "--param", metavar="NAME=VALUE",
                                    help="Circuit parameters (default: the stress shape of docs/distributed.md)."),
    workers: str = typer.Option("1,2", "--workers", metavar="N,…", help="Local Dask worker counts to compare."),
    runs: int = typer.Option(3, "--runs", metavar="N", help="Alternating rounds; medians are reported."),
    in_process: bool = typer.Option(True, "--in-process/--no-in-process", metavar="",
                                    help="Also time the in-process prover (the reference)."),
    proofs: int = typer.Option(1, "--proofs", metavar="N",
                               help="Proofs per fresh cluster, the last one timed (2: workers that have "
                                    "proved before, as a deployed cluster's)."),
    json_out: bool = _JSON,
):
    """Distributed phases (commitments, quotient) with 1, 2 … Dask workers of 1 thread, alternating."""
    import os

    try:
        counts = [int(w) for w in workers.split(",") if w.strip()]
    except ValueError:
        raise InputError(f"--workers takes a comma-separated list of counts, got {workers!r}") from None
    if not counts or min(counts) < 1 or runs < 1 or proofs < 1:
        raise InputError("--workers needs counts of at least 1, and --runs and --proofs at least 1")
    from halo2py.cli.execution import executor_options
    from halo2py.pipeline import build_circuit
    from halo2py.profiling.distributed import DISTRIBUTED_PHASES, bench

    executor_options("dask", None, max(counts), 1, 30.0)  # a missing Dask, too many workers: one line, here
    build_circuit(circuit, k, param)  # an unknown circuit, a bad k or parameter: before any cluster starts
    load_before = os.getloadavg()
    result = bench(circuit, k, param, counts, runs, in_process, progress=None if json_out else
                   lambda text: err.print(f"[dim]… {text}[/]", highlight=False), proofs=proofs)
    result["load_average"] = {"before": load_before, "after": os.getloadavg()}
    if json_out:
        emit_json({"op": "dask", **result})
        return
    from rich.table import Table

    mib = 1 << 20
    timed = "one proof per cluster" if proofs == 1 else f"proof {proofs} of {proofs} per cluster timed"
    err.print(f"{circuit} k={k} {' '.join(param)}: medians of {runs} alternating runs, {timed}, 1 thread per "
              f"worker; load average {load_before[0]:.2f} before, {os.getloadavg()[0]:.2f} after")
    table = Table()
    first = ("first proof's distributed", "first's speed-up") if proofs > 1 else ()
    for col in ("executor", *DISTRIBUTED_PHASES, "distributed", "speed-up", "per round", *first, "proof",
                "coordinator CPU s",
                "workers' CPU s", "shipped (between workers) MiB", "coordinator RSS MiB", "worker RSS MiB"):
        table.add_column(col, justify="left" if col == "executor" else "right")
    for row in result["results"]:
        traffic = row["traffic"]
        table.add_row("in process" if row["workers"] == 0 else f"dask × {row['workers']}",
                      *(f"{row['phases'].get(name, 0.0):.2f}" for name in DISTRIBUTED_PHASES),
                      f"{row['distributed_seconds']:.2f}", "—" if row["speedup"] is None else f"{row['speedup']:.2f}×",
                      _per_round(row.get("run_speedups")),
                      *((f"{row['first_distributed_seconds']:.2f}",
                         "—" if row["first_speedup"] is None else f"{row['first_speedup']:.2f}×") if first else ()),
                      f"{row['seconds']:.2f}", f"{row['coordinator_cpu_seconds']:.2f}",
                      "—" if row["worker_cpu_seconds"] is None else f"{row['worker_cpu_seconds']:.2f}",
                      "—" if not traffic else f"{traffic['shipped_bytes'] / mib:,.0f} "
                                              f"({traffic['between_workers_bytes'] / mib:,.0f})",
                      f"{row['coordinator_peak_rss_bytes'] / mib:,.0f}",
                      "—" if not traffic else ", ".join(f"{v / mib:,.0f}"
                                                       for v in traffic["worker_peak_rss_bytes"].values()))
    err.print(table)
    compiled = sum(row["kernels_compiled"] for row in result["results"])
    if compiled:
        err.print(f"[yellow]warning:[/] {compiled} kernel(s) compiled during the timed proofs (a cold Numba "
                  "cache here or on a worker): their JIT time and memory are in these figures; run `make warm` "
                  "and measure again")


def _per_round(speedups) -> str:
    """A configuration's speed-ups round by round: their median and range ("—" for the baseline)."""
    if not speedups:
        return "—"
    middle = statistics.median(speedups)
    return f"{middle:.2f}× ({min(speedups):.2f}–{max(speedups):.2f})" if len(speedups) > 1 else f"{middle:.2f}×"
