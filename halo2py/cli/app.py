"""Top-level Typer app. Each command group lives in its own module and is registered here.

``main`` is the console-script entry: it turns ``Halo2pyError`` (bad input) into one line on
stderr and the error's exit code, so users never see a traceback for their own mistakes.
"""

import sys

import typer

from halo2py import __version__
from halo2py.cli import bench
from halo2py.cli import check as check_cmd
from halo2py.cli import info as info_cmd
from halo2py.cli import layout as layout_cmd
from halo2py.cli import profile as profile_cmd
from halo2py.cli import prove as prove_cmd
from halo2py.cli import regress as regress_cmd
from halo2py.cli import setup as setup_cmd
from halo2py.cli.console import err
from halo2py.errors import Halo2pyError

app = typer.Typer(
    name="halo2py",
    help="A halo2-style PLONKish prover with pluggable quotient strategies.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,  # witness values are secrets
    add_completion=False,
)
app.add_typer(bench.app, name="bench")
check_cmd.register(app)
info_cmd.register(app)
layout_cmd.register(app)
prove_cmd.register(app)
profile_cmd.register(app)
regress_cmd.register(app)
setup_cmd.register(app)


def _version(value: bool):
    if value:
        typer.echo(f"halo2py {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                 help="Print the version and exit."),
):
    """halo2py: prove, verify, check and profile PLONKish circuits."""


def main() -> None:
    try:
        app()
    except Halo2pyError as exc:
        err.print(f"[bold red]error:[/] {exc}", highlight=False, soft_wrap=True)
        sys.exit(exc.exit_code)
