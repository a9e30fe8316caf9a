"""``halo2py regress``: the CI regression check against benchmarks/baseline.json."""

from __future__ import annotations

from pathlib import Path

import typer

from halo2py.cli.console import err


def regress(
    baseline: Path = typer.Option(Path("benchmarks/baseline.json"), "--baseline", metavar="FILE",
                                  help="Baseline JSON file."),
    update: bool = typer.Option(False, "--update", metavar="", help="Record this run as the new baseline."),
):
    """Prove every registered circuit's regression cases with every strategy; fail on any regression."""
    from halo2py._input import BadJSON, loads_json, read_bounded_text
    from halo2py.errors import InputError
    from halo2py.profiling.regress import check_against, run_cases, strategies_to_run, write_baseline

    previous = None
    if baseline.exists():
        try:
            previous = loads_json(read_bounded_text(baseline, "json"))
        except BadJSON as exc:
            raise InputError(f"baseline {baseline} is not valid JSON: {exc}") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(f"cannot read baseline {baseline}: {getattr(exc, 'strerror', None) or exc}") from None
    elif not update:
        raise InputError(f"baseline {baseline} does not exist (create it with --update)")
    runs, problems = run_cases(strategies_to_run(), progress=lambda t: err.print(f"[dim]… {t}[/]", highlight=False))
    if update:
        write_baseline(baseline, runs, previous)
        err.print(f"baseline written to {baseline} ({len(runs)} runs)", highlight=False)
    else:
        found, new = check_against(previous, runs)
        problems += found
        for key in new:
            err.print(f"[cyan]new:[/] {key} (no baseline yet; its proof matches legacy's bytes and verifies — "
                      "record it with --update)", highlight=False, soft_wrap=True)
    for problem in problems:
        err.print(f"[red]regression:[/] {problem}", highlight=False, soft_wrap=True)
    if problems:
        raise typer.Exit(1)
    err.print(f"[green]no regressions[/] in {len(runs)} runs", highlight=False)


def register(app: typer.Typer) -> None:
    app.command("regress")(regress)
