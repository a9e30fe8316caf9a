"""``halo2py check`` (MockProver on a circuit) and ``halo2py circuits`` (what is registered).

Exit codes: 0 the circuit is satisfied, 1 it is not (halo2-style report on stderr), 2 bad input
(unknown circuit, bad parameter, unreadable inputs, malformed circuit) — one line, no traceback.
"""

from __future__ import annotations

from typing import List, Optional

import typer

from halo2py.cli.console import emit_json, err, escape, out

MAX_REPORTED = 20  # failures printed before "... and N more"


def _say(text: str, markup: bool = True) -> None:
    """One logical line on stderr, never hard-wrapped (users grep these)."""
    err.print(text, highlight=False, markup=markup, soft_wrap=True)


def check(
    circuit: str = typer.Argument(..., metavar="CIRCUIT", help="A registered circuit name or path/to/file.py[:Class]."),
    k: Optional[int] = typer.Option(None, "--k", metavar="K", help="log2 of the rows (default: the circuit's k)."),
    param: List[str] = typer.Option([], "--param", metavar="NAME=VALUE",
                                    help="Circuit parameter name=value (repeatable)."),
    inputs: Optional[str] = typer.Option(None, "--inputs", metavar="JSON|FILE",
                                         help="Private inputs as a JSON object."),
    as_json: bool = typer.Option(False, "--json", metavar="", help="Print one JSON object on stdout."),
):
    """Run MockProver: check every gate, lookup and copy of CIRCUIT on every row."""
    from halo2py.frontend.circuit import synthesize
    from halo2py.frontend.mock import MockProver
    from halo2py.pipeline import build_circuit

    instance = build_circuit(circuit, k, param, inputs)
    synthesis = synthesize(instance)
    failures = MockProver(synthesis.assignment).verify()
    cs, a = synthesis.cs, synthesis.assignment
    if as_json:
        emit_json({
            "circuit": instance.circuit_name(),
            "k": a.k,
            "params": {name: getattr(instance.params, name)
                       for name, *_ in instance.param_specs()},
            "degree": cs.degree(),
            "usable_rows": a.usable_rows,
            "satisfied": not failures,
            "failure_count": len(failures),
            "failures": [f.to_dict() for f in failures[:MAX_REPORTED]],
        })
    else:
        shape = (f"k={a.k}, degree {cs.degree()}, {len(cs.advice_columns)} advice / "
                 f"{len(cs.fixed_columns)} fixed / {len(cs.instance_columns)} instance columns, "
                 f"{len(cs.gates)} gate(s), {len(cs.lookups)} lookup(s)")
        if not failures:
            _say(f"[green]satisfied[/]: {instance.circuit_name()} ({shape})")
        else:
            _say(f"[red]not satisfied[/]: {instance.circuit_name()} ({shape}): "
                 f"{len(failures)} failure(s)")
            for failure in failures[:MAX_REPORTED]:
                _say(str(failure), markup=False)
            if len(failures) > MAX_REPORTED:
                _say(f"... and {len(failures) - MAX_REPORTED} more")
    if failures:
        raise typer.Exit(1)


def circuits(as_json: bool = typer.Option(False, "--json", metavar="", help="Print one JSON object on stdout.")):
    """List the registered circuits with their parameters and defaults."""
    from halo2py.errors import InputError
    from halo2py.frontend.circuit import load_circuit_class, registered_circuits

    listing = []
    for name in sorted(registered_circuits()):
        try:
            cls = load_circuit_class(name)
        except InputError as exc:  # one broken plugin must not hide the others
            listing.append({"name": name, "error": str(exc)})
            continue
        doc = (cls.__doc__ or "").strip().splitlines()
        listing.append({
            "name": name,
            "summary": doc[0] if doc else "",
            "params": [{"name": p, "type": getattr(t, "__name__", str(t)), "default": d, "help": h}
                       for p, t, d, h in cls.param_specs()],
            "inputs": dict(cls.inputs_help),
        })
    if as_json:
        emit_json({"circuits": listing})
        return
    for entry in listing:  # a result: stdout
        if "error" in entry:
            out.print(f"[bold]{entry['name']}[/]: [red]cannot load[/]", highlight=False)
            out.print(f"    {entry['error']}", markup=False, highlight=False)
            continue
        out.print(f"[bold]{escape(entry['name'])}[/]: {escape(entry['summary'])}", highlight=False)
        for p in entry["params"]:
            out.print(f"    --param {p['name']}={p['default']}  ({p['type']}) {p['help']}", markup=False,
                      highlight=False)
        for name, text in entry["inputs"].items():
            out.print(f"    input '{name}': {text}", markup=False, highlight=False)


def register(app: typer.Typer) -> None:
    app.command("check")(check)
    app.command("circuits")(circuits)
