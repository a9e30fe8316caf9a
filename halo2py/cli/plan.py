"""``halo2py plan``: the memory model's peak of every phase of a proof, for every strategy and
mode, without proving (a keygen-only synthesis gives the shape). The last column is what
``prove --max-memory`` compares with the budget: the whole-proof peak plus the measured floor.
"""

from __future__ import annotations

from typing import List, Optional

import typer

from halo2py.cli.console import emit_json
from halo2py.cli.info import CIRCUIT, DIALECT, FLOOR_PLANNER, K, PARAM

MIB = 1 << 20


def plan(
    circuit: str = CIRCUIT, k: Optional[int] = K, param: List[str] = PARAM,
    dialect: Optional[str] = DIALECT, floor_planner: Optional[str] = FLOOR_PLANNER,
    copies: int = typer.Option(1, "--copies", metavar="N", help="Circuit copies in one proof."),
    as_json: bool = typer.Option(False, "--json", metavar="", help="Print one JSON object on stdout."),
):
    """Print the predicted peak of every proof phase for every strategy and mode of CIRCUIT."""
    from halo2py.pipeline import build_copies
    from halo2py.plonk.dialect import dialect as check_dialect
    from halo2py.profiling.budget import proof_shape, rss_floor_bytes, strategies_by_speed
    from halo2py.profiling.model import modes, predict

    check_dialect(dialect)
    floor = rss_floor_bytes()
    circuits = build_copies(circuit, copies, k, param, None, floor_planner)
    shape = proof_shape(circuits, dialect)
    rows = []
    for mode in modes():
        for name in strategies_by_speed():
            model = predict(shape, name, spill=mode != "in-memory")
            rows.append({"strategy": name, "mode": mode, "phases": dict(model.phases), "peak_bytes": model.total,
                         "peak_phase": max(model.phases, key=model.phases.get),
                         "rss_bytes": model.total + floor})
    result = {"circuit": circuits[0].circuit_name(), "k": shape.k, "copies": copies,
              "rss_floor_bytes": floor, "plans": rows}
    if as_json:
        emit_json(result)
        return
    _print(result)


def _print(result: dict) -> None:
    from rich.table import Table

    from halo2py.cli.console import out

    plans = result["plans"]
    table = Table(title=f"{result['circuit']} k={result['k']}: predicted heap peak per phase (MiB)")
    table.add_column("phase")
    for p in plans:
        table.add_column(f"{p['strategy']}\n{p['mode']}", justify="right")
    for phase in plans[0]["phases"]:
        table.add_row(phase, *(f"{p['phases'][phase] / MIB:,.1f}" for p in plans))
    table.add_row("[bold]proof[/]", *(f"[bold]{p['peak_bytes'] / MIB:,.1f}[/]" for p in plans))
    table.add_row(f"peak RSS (+ {result['rss_floor_bytes'] / MIB:.0f} floor)",
                  *(f"{p['rss_bytes'] / MIB:,.0f}" for p in plans))
    out.print(table, highlight=False)


def register(app: typer.Typer) -> None:
    app.command("plan")(plan)
