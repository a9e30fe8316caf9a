"""Top-level Typer app. Each command group lives in its own module and is registered here.

``main`` is the console-script entry and the one place failures are reported: ``Halo2pyError``
(bad input) and click's usage errors become one line on stderr and their exit code, so users never
see a traceback for their own mistakes; Ctrl-C becomes "interrupted" and exit 130; and with
``--json`` anywhere on the command line a failure is also one JSON object on stdout, so a program
reading stdout always gets JSON, whichever command failed and however.
"""

import atexit
import sys

import typer
from typer.core import TyperArgument, TyperCommand, TyperGroup

from halo2py import __version__
from halo2py._malloc import apply_memory_policy
from halo2py._threads import prefer_passive_waits
from halo2py.cli import interrupts
from halo2py.cli import bench
from halo2py.cli import check as check_cmd
from halo2py.cli import coercion, collector
from halo2py.cli import info as info_cmd
from halo2py.cli import layout as layout_cmd
from halo2py.cli import plan as plan_cmd
from halo2py.cli import profile as profile_cmd
from halo2py.cli import prove as prove_cmd
from halo2py.cli import regress as regress_cmd
from halo2py.cli import setup as setup_cmd
from halo2py.cli.console import emit_json, err, escape, printed_warnings
from halo2py.errors import Halo2pyError


class _HelpWithoutTypes:
    """Typer's help puts a Python type (``<bool>``, ``<str>``) in its type column for anything
    without a metavar: its own ``--help`` flag, and an argument, whose metavar is its name there
    already. A help row should read as the user types it, so these get an empty type column.
    The parameters also get ``coercion``'s Pydantic-free conversion of plain values."""

    def get_help_option(self, ctx):
        option = super().get_help_option(ctx)
        if option is not None:
            option.metavar = ""
        return option

    def get_params(self, ctx):
        params = super().get_params(ctx)
        coercion.install(params)
        for param in params:
            if isinstance(param, TyperArgument) and param.metavar:
                param.display_type_rich = lambda ctx: None
        return params


class _Command(_HelpWithoutTypes, TyperCommand):
    pass


class _Group(_HelpWithoutTypes, TyperGroup):
    pass


def _clean_help(typer_app: typer.Typer) -> None:
    """Every command and group of ``typer_app`` renders its help with the classes above (set here,
    once, so a command module registers its commands the plain way)."""
    for info in typer_app.registered_commands:
        if info.cls in (None, TyperCommand):  # a command that asked for its own class keeps it
            info.cls = _Command
    for group in typer_app.registered_groups:
        group.cls = _Group
        _clean_help(group.typer_instance)


app = typer.Typer(
    name="halo2py",
    cls=_Group,
    help="A halo2-style PLONKish prover with pluggable quotient strategies.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,  # witness values are secrets
    add_completion=False,
)
app.add_typer(bench.app, name="bench")
check_cmd.register(app)
info_cmd.register(app)
layout_cmd.register(app)
plan_cmd.register(app)
prove_cmd.register(app)
profile_cmd.register(app)
regress_cmd.register(app)
setup_cmd.register(app)
_clean_help(app)


def _version(value: bool):
    if value:
        typer.echo(f"halo2py {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(False, "--version", metavar="", callback=_version, is_eager=True,
                                 help="Print the version and exit."),
):
    """halo2py: prove, verify, check and profile PLONKish circuits."""


INTERRUPTED = 130  # the shell's code for a process ended by SIGINT (128 + 2)


def _fail(message: str, exit_code: int, as_json: bool, prefix: str = "[bold red]error:[/] ") -> None:
    """Report a failure the one way: a line for humans on stderr, with ``--json`` the object a program
    parses on stdout; then exit with the failure's code."""
    err.print(prefix + escape(message), highlight=False, soft_wrap=True)
    if as_json:
        emit_json({"ok": False, "error": message, "exit_code": exit_code})
    sys.exit(exit_code)


def main() -> None:
    apply_memory_policy()  # before any proof-sized allocation: freed columns leave the RSS, no huge-page stalls
    prefer_passive_waits()  # before the first parallel kernel: idle OpenMP threads sleep (halo2py._threads)
    interrupts.install()  # Ctrl-C waits until Numba's compiler is done (halo2py.cli.interrupts)
    # Non-standalone mode hands every outcome back here instead of exiting inside click; Typer
    # turns KeyboardInterrupt into exit code 130 (after ``finally`` blocks removed partial files).
    atexit.unregister(collector.skip_final_collection)  # once, however often tests call main
    atexit.register(collector.skip_final_collection)
    as_json = "--json" in sys.argv[1:]
    printed_warnings.clear()
    try:
        code = app(standalone_mode=False)
    except Halo2pyError as exc:
        _fail(str(exc), exc.exit_code, as_json)
    except typer.TyperException as exc:  # click's usage errors: unknown option, bad value, missing argument
        if not as_json:
            from typer import rich_utils

            rich_utils.rich_format_error(exc)
            sys.exit(exc.exit_code)
        _fail(exc.format_message(), exc.exit_code, as_json)
    except KeyboardInterrupt:  # Ctrl-C outside the command's context (Typer maps the rest to 130)
        code = INTERRUPTED
    if code == INTERRUPTED:
        _fail("interrupted", INTERRUPTED, as_json, prefix="")
    sys.exit(code if isinstance(code, int) else 0)
