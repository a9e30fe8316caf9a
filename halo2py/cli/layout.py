"""``halo2py layout``: the picture of a circuit's table (halo2's ``dev::CircuitLayout``), drawn by
``halo2py.frontend.layout_plot`` from a keygen-only synthesis (no witness is computed)."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from halo2py.cli.info import CIRCUIT, FLOOR_PLANNER, K, PARAM


def layout(
    circuit: str = CIRCUIT,
    out: Path = typer.Option(..., "--out", metavar="FILE",
                             help="Where to write the picture (PNG; the suffix picks the format)."),
    rows: Optional[str] = typer.Option(None, "--rows", metavar="A:B", help="Draw only rows A .. B-1."),
    k: Optional[int] = K, param: List[str] = PARAM, floor_planner: Optional[str] = FLOOR_PLANNER,
):
    """Draw CIRCUIT's layout: regions, assigned cells, selectors, copy constraints, unusable rows."""
    from halo2py._output import output_file
    from halo2py.errors import InputError
    from halo2py.frontend.circuit import synthesize
    from halo2py.frontend.layout_plot import parse_rows, plot_layout
    from halo2py.pipeline import build_circuit

    if not out.parent.is_dir():
        raise InputError(f"cannot write picture {out}: no such directory {out.parent}")
    instance = build_circuit(circuit, k, param, None, floor_planner)
    n = 1 << instance.params.k
    window = parse_rows(rows, n)  # before the synthesis: a bad window fails at once
    assignment = synthesize(instance, witness=False, floor_planner=floor_planner).assignment
    planner = floor_planner or instance.floor_planner
    fig = plot_layout(assignment, window, title=f"{instance.circuit_name()} k={assignment.k} ({planner} "
                      f"floor planner), rows {window[0]} .. {window[1] - 1} of {n}")
    try:  # whole or not at all, a FIFO or device in place (halo2py._output); the suffix names the format
        with output_file(out) as f:
            fig.savefig(f, dpi=110, format=out.suffix[1:].lower() or "png")
    except (OSError, ValueError) as exc:
        raise InputError(f"cannot write picture {out}: {getattr(exc, 'strerror', None) or exc}") from None
    shown = sum(1 for r in assignment.regions if r.rows > 0 and r.start < window[1]
                and r.start + r.rows > window[0])
    typer.echo(f"layout written to {out} (rows {window[0]} .. {window[1] - 1} of {n}, {shown} region(s))")


def register(app: typer.Typer) -> None:
    app.command("layout")(layout)
