"""``halo2py profile`` (one proof under memray) and ``halo2py compare`` (strategies side by side).

Both print the measured peak of each phase beside the analytic model's prediction; ``profile``
also breaks each phase's prediction into the model's components (which columns in which basis,
the SRS, the strategy's buffers, the runtime), so a measured peak can be read term by term.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, List, Optional

import typer

from halo2py.cli.console import emit_json, err, warn
from halo2py.cli.execution import EXECUTOR, SCHEDULER, THREADS, TIMEOUT, WORKERS, executor_options, traffic_line
from halo2py.cli.prove import CIRCUIT, INPUTS, PARAM, PARAMS_FILE, SPILL

if TYPE_CHECKING:
    from rich.table import Table

MIB = 1 << 20


def _mib(value) -> str:
    return "—" if value is None else f"{value / MIB:,.1f}"


# Below this the heap is allocator noise and import-time buffers (one 1 MiB pymalloc arena more or
# less), and a relative error (a k = 5 profile reads "+1032 %") says nothing about the model: when
# either figure is this small, show no percentage.
MIN_FIGURE_FOR_ERROR = MIB


def _error(measured, model) -> str:
    if not measured or model is None or min(measured, model) < MIN_FIGURE_FOR_ERROR:
        return "—"
    return f"{(model - measured) / measured:+.1%}"


def _components_table(result: dict) -> Table:
    """Model components (rows) by phase (columns), then the model's sum and the measured peak of
    each phase: where the prediction of a phase comes from, beside what was measured there."""
    phases = {name: ph for name, ph in result["phases"].items() if ph.get("model_components")}
    rows: dict = {}  # component -> None, in first-appearance order across the phases
    for ph in phases.values():
        rows.update({name: None for name, value in ph["model_components"].items() if value})
    # Small proofs in finer units, so that no component reads 0.0
    total = result["model_peak_bytes"]
    unit, scale, digits = ("KiB", 1 << 10, 1) if total < MIB else ("MiB", MIB, 2 if total < 100 * MIB else 1)

    def fmt(value) -> str:
        return f"{value / scale:,.{digits}f}" if value else ""

    from rich import box
    from rich.table import Table

    table = Table(title=f"model components by phase ({unit}); the measured peak below", box=box.SIMPLE_HEAD)
    table.add_column("component", no_wrap=True)
    for name in phases:
        table.add_column(name.replace(" ", "\n"), justify="right")  # "advice commit" on two lines: narrow
    for row in rows:
        table.add_row(row, *(fmt(ph["model_components"].get(row)) for ph in phases.values()))
    table.add_section()
    table.add_row("[bold]model[/]", *(fmt(ph["model_bytes"]) for ph in phases.values()))
    table.add_row("[bold]measured[/]", *(fmt(ph["peak_bytes"]) for ph in phases.values()))
    table.add_row("model error", *(_error(ph["peak_bytes"], ph["model_bytes"]) for ph in phases.values()))
    return table


def _print_wide(table: Table) -> None:
    """Print at the table's natural width, even past the console's: in a log (80 columns) a
    narrower table would fold names and figures mid-word."""
    from rich.console import Console
    from rich.measure import Measurement

    width = Measurement.get(err.console, err.options.update_width(10_000), table).maximum
    wide = Console(stderr=True, soft_wrap=True, width=max(err.width, width)) if width > err.width else err
    wide.print(table)


def profile(
    circuit: str = CIRCUIT,
    strategy: Optional[str] = typer.Option(None, "--strategy", metavar="NAME",
                                           help="Quotient strategy name or file.py:Class (default: subcoset)."),
    out: Path = typer.Option(..., "--out", metavar="DIR",
                             help="Directory for capture.bin, flamegraph.html, profile.json."),
    k: Optional[int] = typer.Option(None, "--k", metavar="K", help="log2 of the rows (default: the circuit's k)."),
    param: List[str] = PARAM, inputs: Optional[str] = INPUTS, params: Optional[str] = PARAMS_FILE,
    multiopen: str = typer.Option("shplonk", "--multiopen", metavar="gwc|shplonk",
                                  help="Multiopen scheme: gwc or shplonk."),
    seed: int = typer.Option(0, "--seed", metavar="N",
                             help="UNSAFE deterministic randomness (profiles compare proofs)."),
    flamegraph: bool = typer.Option(True, "--flamegraph/--no-flamegraph", metavar="",
                                    help="Render memray's flamegraph HTML."),
    as_json: bool = typer.Option(False, "--json", metavar="", help="Print the measurements as one JSON object."),
    executor: str = EXECUTOR, scheduler: Optional[str] = SCHEDULER, workers: Optional[int] = WORKERS,
    threads_per_worker: int = THREADS, timeout: float = TIMEOUT,
    spill: Optional[Path] = SPILL,
):
    """Prove CIRCUIT under memray: time and exact heap peak per phase, model beside it."""
    import json

    from halo2py import pipeline
    from halo2py.profiling.run import profile_proof
    from halo2py.quotient.registry import DEFAULT_STRATEGY

    from halo2py.plonk.columns import check_spill_dir

    if spill is not None:
        check_spill_dir(spill)
    execution = executor_options(executor, scheduler, workers, threads_per_worker, timeout)
    strategy = strategy or DEFAULT_STRATEGY
    instance = pipeline.build_circuit(circuit, k, param, inputs)
    result = profile_proof(instance, params, strategy, multiopen, seed, out,
                           warn=None if as_json else warn, execution=execution, spill=spill)
    (out / "profile.json").write_text(json.dumps(result, indent=2))
    if flamegraph:
        html = out / "flamegraph.html"
        subprocess.run([sys.executable, "-m", "memray", "flamegraph", "-f", "-o", str(html), result["capture"]],
                       check=True, capture_output=True)
        result["flamegraph"] = str(html)
    if as_json:
        emit_json(result)
        return
    from rich.table import Table

    mode = " --spill" if result["spill"] else ""
    table = Table(title=f"{result['circuit']} k={result['k']} strategy={strategy}{mode}: heap by phase (MiB)")
    for col in ("phase", "seconds", "peak", "model", "model error"):
        table.add_column(col, justify="left" if col == "phase" else "right")
    for name, ph in result["phases"].items():
        table.add_row(name, f"{ph['seconds']:.2f}", _mib(ph["peak_bytes"]), _mib(ph["model_bytes"]),
                      _error(ph["peak_bytes"], ph["model_bytes"]))
    table.add_row("[bold]proof[/]", f"{result['seconds']:.2f}", _mib(result["peak_bytes"]),
                  _mib(result["model_peak_bytes"]), _error(result["peak_bytes"], result["model_peak_bytes"]))
    err.print(table)
    _print_wide(_components_table(result))
    err.print(f"peak RSS {_mib(result['peak_rss_bytes'])} MiB; capture {result['capture']}"
              + (f"; flamegraph {result['flamegraph']}" if flamegraph else ""), highlight=False)
    if "traffic" in result:  # the heap above is the coordinator's; the workers report their own
        err.print(traffic_line(result["traffic"]), highlight=False)


def _sizes(values: list) -> list:
    """``--k 12,14,16`` or ``--k 12 --k 14``, as ``--strategies`` takes a list: the sizes in order, once each."""
    from halo2py.errors import InputError

    sizes = []
    for item in (part.strip() for value in values for part in value.split(",")):
        try:
            size = int(item)
        except ValueError:
            raise InputError(f"--k takes integers (12 or 12,14,16), got {item!r}") from None
        if size not in sizes:
            sizes.append(size)
    return sizes


def compare(
    circuit: str = CIRCUIT,
    strategies: str = typer.Option("legacy,chunked", "--strategies", metavar="NAME,…",
                                   help="Comma-separated strategy names or files."),
    k: List[str] = typer.Option([], "--k", metavar="K[,K…]",
                                help="log2 of the rows; several sizes comma-separated (12,14,16) or repeated."),
    param: List[str] = PARAM, inputs: Optional[str] = INPUTS, params: Optional[str] = PARAMS_FILE,
    multiopen: str = typer.Option("shplonk", "--multiopen", metavar="gwc|shplonk",
                                  help="Multiopen scheme: gwc or shplonk."),
    seed: int = typer.Option(0, "--seed", metavar="N",
                             help="UNSAFE shared seed, so proofs can be compared byte for byte."),
    out: Optional[Path] = typer.Option(None, "--out", metavar="DIR",
                                       help="Keep the captures here (default: a temp dir)."),
    plot: Optional[Path] = typer.Option(None, "--plot", metavar="FILE",
                                        help="Write a PNG: heap over time (one k) or peak vs k."),
    ezkl: Optional[Path] = typer.Option(None, "--ezkl", metavar="FILE",
                                        help="With --plot and several k: also draw ezkl's measured peak RSS from "
                                             "a `make bench-ezkl` results file (benchmarks/vs_ezkl/results/"
                                             "vs_ezkl.json)."),
    as_json: bool = typer.Option(False, "--json", metavar="", help="Print one JSON object on stdout."),
    copies: int = typer.Option(1, "--copies", metavar="N", help="Circuit copies per proof."),
    executor: str = EXECUTOR, scheduler: Optional[str] = SCHEDULER, workers: Optional[int] = WORKERS,
    threads_per_worker: int = THREADS, timeout: float = TIMEOUT,
    spill: Optional[Path] = SPILL,
):
    """Profile CIRCUIT with each strategy in a fresh process; check the proofs are identical."""
    from halo2py.errors import InputError
    from halo2py.plonk.columns import check_spill_dir
    from halo2py.profiling.compare import compare as run_compare
    from halo2py.quotient.registry import load

    names = [s.strip() for s in strategies.split(",") if s.strip()]
    if not names:
        raise InputError("--strategies needs at least one strategy")
    for name in names:
        load(name)  # fail fast, with one line, on an unknown strategy
    sizes = _sizes(k)
    ezkl_points = None
    if ezkl is not None:
        if plot is None or len(sizes) < 2:
            raise InputError("--ezkl draws beside the peak-vs-k plot: give --plot FILE and several --k")
        from halo2py.profiling.plot import read_ezkl_results

        ezkl_points = read_ezkl_results(ezkl)  # a bad file fails before the slow runs
    if spill is not None:
        check_spill_dir(spill)
    execution = executor_options(executor, scheduler, workers, threads_per_worker, timeout)
    with tempfile.TemporaryDirectory(prefix="halo2py-compare-") as tmp:
        root = out or Path(tmp)
        comparisons = [run_compare(circuit, names, root, k=kk, params=param, inputs=inputs, params_path=params,
                                   multiopen=multiopen, seed=seed, copies=copies, execution=execution,
                                   spill=None if spill is None else str(spill),
                                   progress=None if as_json else lambda t: err.print(f"[dim]… {t}[/]"))
                       for kk in (sizes or [None])]
        if plot:
            from halo2py.profiling.plot import plot_peaks, plot_timeline

            if len(comparisons) == 1:
                plot_timeline(comparisons[0], plot)
            else:
                plot_peaks(comparisons, plot, ezkl_points)
    for c in comparisons:
        for r in c["results"]:
            r.pop("boundaries", None)
            if out is None:
                r.pop("capture", None)
    if as_json:
        emit_json(comparisons[0] if len(comparisons) == 1 else {"circuit": comparisons[0]["circuit"],
                                                                 "comparisons": comparisons})
    else:
        from rich.table import Table

        table = Table(title=f"{comparisons[0]['circuit']}: strategies compared (MiB)")
        for col in ("k", "strategy", "seconds", "quotient peak", "proof peak", "model", "model error", "identical"):
            table.add_column(col, justify="left" if col == "strategy" else "right")
        for c in comparisons:
            for r in c["results"]:
                q = r["phases"].get("quotient", {})
                table.add_row(str(c["k"]), r["strategy"], f"{r['seconds']:.2f}", _mib(q.get("peak_bytes")),
                              _mib(r["peak_bytes"]), _mib(r["model_peak_bytes"]),
                              _error(r["peak_bytes"], r["model_peak_bytes"]),
                              "[green]✓[/]" if c["identical"] else "[red]✗[/]")
        err.print(table)
        for c in comparisons:
            for r in c["results"]:
                if "traffic" in r:
                    err.print(f"k={c['k']} {r['strategy']}: {traffic_line(r['traffic'])}", highlight=False)
        if plot:
            err.print(f"plot written to {plot}", highlight=False)
    if not all(c["identical"] for c in comparisons):
        err.print("[bold red]proofs differ between strategies[/]", highlight=False)
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    app.command("profile")(profile)
    app.command("compare")(compare)
