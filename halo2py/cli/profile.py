"""``halo2py profile`` (one proof under memray) and ``halo2py compare`` (strategies side by side).

Both print the measured peak of each phase beside the analytic model's prediction.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path
from typing import List, Optional

import typer
from rich.table import Table

from halo2py.cli.console import emit_json, err, warn
from halo2py.cli.prove import CIRCUIT, INPUTS, PARAM, PARAMS_FILE, SPILL

MIB = 1 << 20


def _mib(value) -> str:
    return "—" if value is None else f"{value / MIB:,.1f}"


# Below this the measured heap is allocator noise and import-time buffers, and a relative error
# (a k = 5 profile reads "+1032 %") says nothing about the model: show no percentage.
MIN_MEASURED_FOR_ERROR = MIB


def _error(measured, model) -> str:
    if not measured or measured < MIN_MEASURED_FOR_ERROR or model is None:
        return "—"
    return f"{(model - measured) / measured:+.1%}"


def profile(
    circuit: str = CIRCUIT,
    strategy: str = typer.Option("chunked", "--strategy", metavar="NAME",
                                 help="Quotient strategy name or file.py:Class."),
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
    spill: Optional[Path] = SPILL,
):
    """Prove CIRCUIT under memray: time and exact heap peak per phase, model beside it."""
    import json

    from halo2py import pipeline
    from halo2py.profiling.run import profile_proof

    from halo2py.plonk.columns import check_spill_dir

    if spill is not None:
        check_spill_dir(spill)
    instance = pipeline.build_circuit(circuit, k, param, inputs)
    result = profile_proof(instance, params, strategy, multiopen, seed, out,
                           warn=None if as_json else warn, spill=spill)
    (out / "profile.json").write_text(json.dumps(result, indent=2))
    if flamegraph:
        html = out / "flamegraph.html"
        subprocess.run([sys.executable, "-m", "memray", "flamegraph", "-f", "-o", str(html), result["capture"]],
                       check=True, capture_output=True)
        result["flamegraph"] = str(html)
    if as_json:
        emit_json(result)
        return
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
    err.print(f"peak RSS {_mib(result['peak_rss_bytes'])} MiB; capture {result['capture']}"
              + (f"; flamegraph {result['flamegraph']}" if flamegraph else ""), highlight=False)


def compare(
    circuit: str = CIRCUIT,
    strategies: str = typer.Option("legacy,chunked", "--strategies", metavar="NAME,…",
                                   help="Comma-separated strategy names or files."),
    k: List[int] = typer.Option([], "--k", metavar="K", help="log2 of the rows; repeat for several sizes."),
    param: List[str] = PARAM, inputs: Optional[str] = INPUTS, params: Optional[str] = PARAMS_FILE,
    multiopen: str = typer.Option("shplonk", "--multiopen", metavar="gwc|shplonk",
                                  help="Multiopen scheme: gwc or shplonk."),
    seed: int = typer.Option(0, "--seed", metavar="N",
                             help="UNSAFE shared seed, so proofs can be compared byte for byte."),
    out: Optional[Path] = typer.Option(None, "--out", metavar="DIR",
                                       help="Keep the captures here (default: a temp dir)."),
    plot: Optional[Path] = typer.Option(None, "--plot", metavar="FILE",
                                        help="Write a PNG: heap over time (one k) or peak vs k."),
    as_json: bool = typer.Option(False, "--json", metavar="", help="Print one JSON object on stdout."),
    copies: int = typer.Option(1, "--copies", metavar="N", help="Circuit copies per proof."),
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
    if spill is not None:
        check_spill_dir(spill)
    with tempfile.TemporaryDirectory(prefix="halo2py-compare-") as tmp:
        root = out or Path(tmp)
        comparisons = [run_compare(circuit, names, root, k=kk, params=param, inputs=inputs, params_path=params,
                                   multiopen=multiopen, seed=seed, copies=copies,
                                   spill=None if spill is None else str(spill),
                                   progress=None if as_json else lambda t: err.print(f"[dim]… {t}[/]"))
                       for kk in (k or [None])]
        if plot:
            from halo2py.profiling.plot import plot_peaks, plot_timeline

            if len(comparisons) == 1:
                plot_timeline(comparisons[0], plot)
            else:
                plot_peaks(comparisons, plot)
    for c in comparisons:
        for r in c["results"]:
            r.pop("boundaries", None)
            if out is None:
                r.pop("capture", None)
    if as_json:
        emit_json(comparisons[0] if len(comparisons) == 1 else {"circuit": comparisons[0]["circuit"],
                                                                 "comparisons": comparisons})
    else:
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
        if plot:
            err.print(f"plot written to {plot}", highlight=False)
    if not all(c["identical"] for c in comparisons):
        err.print("[bold red]proofs differ between strategies[/]", highlight=False)
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    app.command("profile")(profile)
    app.command("compare")(compare)
