"""What a command does before its work starts: the values it parses as Typer would, without
Pydantic; no prover import for ``--help``; no rich for ``prove --json``; the collector left as
it was found."""

import gc
import json
import subprocess
import sys
from pathlib import Path

import pytest
import typer
from typer._click import Context
from typer._click.exceptions import BadParameter

import plonk_cases as cases
from halo2py.cli import coercion, execution
from halo2py.cli.app import app
from plonk_cases import run_main

# Strings a user types, values Typer hands over as defaults, and the odd ones the plain rules leave
# to Typer (they must come back exactly as Typer makes them, value or message).
SAMPLES = ["7", "-3", "016", "+5", " 7 ", "1_000", "12.0", "1e3", "0x10", "", "abc", "2.5", "-0.5", "5.",
           ".5", "inf", "nan", "out/proof.bin", "-", "~/x", 7, 0, 2.5, True, False, None, Path("p.bin")]


def _parameters():
    """(command name, parameter) for every parameter of every command and group."""
    root = typer.main.get_command(app)
    stack = [("halo2py", root)]
    while stack:
        name, command = stack.pop()
        for param in command.params:
            yield name, param
        for sub_name, sub in getattr(command, "commands", {}).items():
            stack.append((f"{name} {sub_name}", sub))


def _outcome(runtime, value, param, ctx):
    try:
        return "value", repr(runtime.coerce(value, param=param, ctx=ctx))  # repr: types count, nan == nan
    except BadParameter as exc:
        return "error", exc.format_message()


def test_every_parameter_converts_as_typer_would():
    """The reference is Typer's own conversion (Pydantic) of the same parameter."""
    from typer._coercion import build_runtime_param

    checked = set()
    for name, param in _parameters():
        convert = coercion._converter(param)
        if convert is None:
            continue
        ctx = Context(typer.main.get_command(app))
        plain = coercion.PlainCoercion(param, convert)
        reference = build_runtime_param(param.type_descriptor)
        values = [tuple(s for s in SAMPLES if isinstance(s, str))] if param.multiple else SAMPLES
        for value in values:
            assert _outcome(plain, value, param, ctx) == _outcome(reference, value, param, ctx), (name, param.name,
                                                                                                 value)
        checked.add(repr(param.type_descriptor.annotation))
    assert {"<class 'int'>", "<class 'float'>", "<class 'str'>", "<class 'bool'>",
            "<class 'pathlib.Path'>"} <= checked


def test_a_bad_number_is_typers_message(monkeypatch, capsys):
    code, out, _ = run_main(monkeypatch, capsys, "prove", "fibonacci", "--k", "1e3", "--json")
    assert code == 2
    assert json.loads(out)["error"] == ("Invalid value for '--k': Input should be a valid integer, unable to parse "
                                        "string as an integer")


def test_the_timeout_default_is_the_executors():
    from halo2py.execution import DEFAULT_TIMEOUT

    assert execution.DEFAULT_TIMEOUT == DEFAULT_TIMEOUT and execution.TIMEOUT.default == DEFAULT_TIMEOUT


def _modules_after(args: list) -> set:
    """The top-level modules a fresh interpreter holds after running ``halo2py ARGS`` (or just
    importing the CLI when ARGS is empty)."""
    script = ("import sys, atexit\n"
              "atexit.register(lambda: sys.stderr.write('\\nMODULES ' + ' '.join(sorted({m.split('.')[0] "
              "for m in sys.modules}))))\n"
              f"sys.argv = ['halo2py', *{args!r}]\n"
              "from halo2py.cli.app import main\n"
              + ("main()\n" if args else ""))
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return set(done.stderr.rsplit("MODULES ", 1)[1].split())


def test_the_command_line_alone_imports_no_prover():
    loaded = _modules_after([])
    assert not loaded & {"numpy", "numba", "py_ecc", "rich", "pydantic"}, loaded


def test_a_json_prove_imports_neither_rich_nor_pydantic(tmp_path):
    k = cases.k_of("fibonacci")
    params = tmp_path / "k.params"
    cases.params(k).write(params)
    loaded = _modules_after(["prove", "fibonacci", "--k", str(k), "--params", str(params),
                             "--out", str(tmp_path / "p.bin"), "--json"])
    assert "numba" in loaded and not loaded & {"rich", "pydantic"}, loaded


@pytest.mark.parametrize("args", [["--seed", "1"], ["--k", "1"]], ids=["proves", "fails in start-up"])
def test_the_collector_is_left_as_it_was(monkeypatch, capsys, tmp_path, args):
    assert gc.isenabled() and gc.get_freeze_count() == 0
    run_main(monkeypatch, capsys, "prove", "fibonacci", *args, "--out", str(tmp_path / "p.bin"), "--json")
    assert gc.isenabled() and gc.get_freeze_count() == 0
