"""``halo2py strategies --check SPEC``: the conformance helper from the shell, so a strategy author
can test a file without writing a test suite first.

Exit codes: 0 the strategy conforms; 1 it does not (the ConformanceError's one line on stderr);
2 it cannot be loaded (one line).
"""

from __future__ import annotations

import typer

from halo2py.cli.console import emit_json, err, out


def check(spec: str, as_json: bool) -> None:
    from halo2py.conformance import ConformanceError, check_strategy
    from halo2py.quotient.registry import load

    cls = load(spec)
    try:
        check_strategy(cls)
    except ConformanceError as exc:
        if as_json:
            emit_json({"strategy": spec, "conforms": False, "reason": str(exc)})
        err.print(f"[bold red]does not conform:[/] {exc}", highlight=False, markup=True, soft_wrap=True)
        raise typer.Exit(1) from None
    if as_json:
        emit_json({"strategy": spec, "conforms": True})
    else:
        out.print(f"{spec}: conforms (legacy's pieces on every registered circuit's test cases)", highlight=False,
                  markup=False)
