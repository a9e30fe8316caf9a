"""The command line as users type it: inline JSON inputs, results on stdout, no hard wrapping,
conflicting k refused."""

import json
import os
import subprocess
import sys

from plonk_cases import run_main


def test_inline_json_inputs_and_instances(monkeypatch, capsys, tmp_path):
    code, _, err = run_main(monkeypatch, capsys, "check", "fibonacci", "--inputs", '{"a": 2, "b": 3}', "--json")
    assert code == 0, err
    code, _, err = run_main(monkeypatch, capsys, "check", "fibonacci", "--inputs", '{"a": 2,', "--json")
    assert code == 2 and "--inputs is not valid JSON" in err


def test_results_go_to_stdout_progress_to_stderr(monkeypatch, capsys):
    for command, expected in (("circuits", "stress"), ("strategies", "chunked"), ("dialects", "scroll-legacy")):
        code, out, err = run_main(monkeypatch, capsys, command)
        assert code == 0 and expected in out and expected not in err, command


def test_long_lines_are_not_wrapped(monkeypatch, capsys):
    code, out, _ = run_main(monkeypatch, capsys, "dialects")
    assert code == 0
    line = next(line for line in out.splitlines() if line.startswith("scroll-legacy"))
    assert len(line) > 100 and "no advice blinding" in line  # one logical line, not broken at 80 columns


def test_wide_tables_are_neither_folded_nor_cut_in_a_log():
    """Off a terminal a table gets the width it needs: rich's assumed 80 columns would cut
    ``plan``'s phase names to "permutati…" (and fold every wider table)."""
    done = subprocess.run([sys.executable, "-m", "halo2py", "plan", "stress", "--k", "12"], capture_output=True,
                          text=True, env={**os.environ, "COLUMNS": "80"})
    assert done.returncode == 0, done.stderr
    assert "…" not in done.stdout and "lookup products" in done.stdout
    assert max(len(line) for line in done.stdout.splitlines()) > 80


def test_param_k_and_k_must_agree(monkeypatch, capsys):
    code, _, err = run_main(monkeypatch, capsys, "check", "fibonacci", "--param", "k=6", "--k", "7")
    assert code == 2 and "disagree" in err
    code, out, _ = run_main(monkeypatch, capsys, "check", "fibonacci", "--param", "k=6", "--k", "6", "--json")
    assert code == 0 and json.loads(out)["k"] == 6


def _one_json_failure(out: str) -> dict:
    lines = out.splitlines()
    assert len(lines) == 1, out
    obj = json.loads(lines[0])
    assert set(obj) == {"ok", "error", "exit_code"} and obj["ok"] is False
    return obj


def test_json_failures_are_one_json_object(monkeypatch, capsys):
    code, out, _ = run_main(monkeypatch, capsys, "check", "no-such-circuit", "--json")
    obj = _one_json_failure(out)
    assert code == 2 and obj["exit_code"] == 2 and "no-such-circuit" in obj["error"]
    code, out, _ = run_main(monkeypatch, capsys, "info", "fibonacci", "--k", "abc", "--json")  # a usage error
    obj = _one_json_failure(out)
    assert code == 2 and obj["exit_code"] == 2 and "--k" in obj["error"]
    code, out, err = run_main(monkeypatch, capsys, "info", "fibonacci", "--k", "abc")
    assert code == 2 and out == "" and "--k" in err




def _help_rows(out: str) -> dict:
    """--option -> the rest of its row in Typer's rich help table."""
    rows = {}
    for line in out.splitlines():
        tokens = line.strip("│ ").split()
        tokens = tokens[1:] if tokens[:1] == ["*"] else tokens
        if tokens and tokens[0].startswith("--"):
            rows[tokens[0]] = tokens[1:]
    return rows


def test_help_shows_metavars_not_python_types(monkeypatch, capsys):
    monkeypatch.setenv("COLUMNS", "200")
    expected = {("prove",): {"--k": "K", "--param": "NAME=VALUE", "--inputs": "JSON|FILE", "--params": "FILE",
                             "--strategy": "NAME", "--seed": "N", "--multiopen": "gwc|shplonk", "--out": "FILE"},
                ("compare",): {"--k": "K[,K…]", "--out": "DIR", "--strategies": "NAME,…", "--plot": "FILE"},
                ("setup",): {"--k": "K", "--out": "FILE", "--seed": "N"},
                ("bench", "msm"): {"--k": "K", "--runs": "N", "--threads": "N"}}
    for command, metavars in expected.items():
        code, out, _ = run_main(monkeypatch, capsys, *command, "--help")
        assert code == 0
        assert "[OPTIONS] {CIRCUIT}" in out or command != ("prove",)  # not {circuit}
        rows = _help_rows(out)
        for option, metavar in metavars.items():
            assert rows[option][0] == metavar, (command, option, rows[option])
        for option, rest in rows.items():
            if option != "--help":  # Typer's own flag
                assert not any(t.startswith("<") for t in rest[:1]), (command, option, rest)  # no <int>, <bool> …


def _command_paths(command, path=()):
    yield path
    for name, sub in getattr(command, "commands", {}).items():
        yield from _command_paths(sub, (*path, name))


def test_no_help_row_of_any_command_shows_a_python_type(monkeypatch, capsys):
    """Every command, found from the app itself (a new one is covered without editing this)."""
    from typer.main import get_command

    from halo2py.cli.app import app

    monkeypatch.setenv("COLUMNS", "200")
    paths = list(_command_paths(get_command(app)))
    assert ("bench", "msm") in paths and ("compare",) in paths
    for path in paths:
        code, out, _ = run_main(monkeypatch, capsys, *path, "--help")
        assert code == 0 and "Usage:" in out, path
        for python_type in ("<bool>", "<list", "<int>", "<str>", "<path>", "<float>"):
            assert python_type not in out, (path, python_type)


def test_each_warning_prints_once_per_command(monkeypatch, capsys):
    from halo2py.cli import console

    console.printed_warnings.clear()
    console.warn("UNSAFE: x")
    console.warn("UNSAFE: x")
    assert capsys.readouterr().err.count("UNSAFE: x") == 1


def test_unsafe_notices_come_once_and_after_argument_checks(monkeypatch, capsys, tmp_path):
    from halo2py import pipeline
    from halo2py.randomness import UNSAFE_SEED_WARNING

    from plonk_cases import params

    params(4).write(tmp_path / "dev.bin")  # stands in for the user's cached dev params
    monkeypatch.setattr(pipeline, "dev_params_path", lambda k: tmp_path / "dev.bin")
    code, _, err = run_main(monkeypatch, capsys, "prove", "fibonacci", "--k", "4", "--seed", "1",
                            "--out", str(tmp_path / "proof.bin"))
    unsafe = [line for line in err.splitlines() if line.startswith("UNSAFE")]
    assert code == 0 and len(unsafe) == len(set(unsafe)) == 2, err
    assert {UNSAFE_SEED_WARNING, pipeline.UNSAFE_PARAMS_WARNING} == set(unsafe)
    for typo in (["--strategy", "nope"], ["--param", "bogus=1"]):
        code, _, err = run_main(monkeypatch, capsys, "prove", "fibonacci", "--seed", "1", *typo)
        assert code == 2 and "UNSAFE" not in err and len(err.strip().splitlines()) == 1, err
    code, _, err = run_main(monkeypatch, capsys, "setup", "--k", "99", "--out", str(tmp_path / "p.bin"))
    assert code == 2 and "UNSAFE" not in err


def test_an_output_or_circuit_that_is_a_directory_fails_at_once(monkeypatch, capsys, tmp_path):
    for command in (["prove", "fibonacci", "--k", "4", "--out", str(tmp_path)],
                    ["keygen", "fibonacci", "--out-vk", str(tmp_path)],
                    ["setup", "--k", "4", "--out", str(tmp_path)]):
        code, _, err = run_main(monkeypatch, capsys, *command)
        lines = err.strip().splitlines()
        assert code == 2 and len(lines) == 1 and "is a directory" in lines[0], (command, err)  # no phase, no UNSAFE
    code, _, err = run_main(monkeypatch, capsys, "check", str(tmp_path))
    assert code == 2 and "is a directory" in err and "unknown" not in err


TOY = "docs/examples/toy_strategy.py"


def test_strategies_check_runs_the_conformance_helper(monkeypatch, capsys):
    code, out, err = run_main(monkeypatch, capsys, "strategies", "--check", f"{TOY}:ForgetsVanishing")
    assert code == 1 and out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("does not conform:") and "differs from legacy" in lines[0], err
    code, out, err = run_main(monkeypatch, capsys, "strategies", "--check", f"{TOY}:ReversedParts", "--json")
    assert code == 0 and json.loads(out) == {"strategy": f"{TOY}:ReversedParts", "conforms": True}, err
    code, out, _ = run_main(monkeypatch, capsys, "strategies", "--check", "legacy")
    assert code == 0 and "conforms" in out
    code, _, err = run_main(monkeypatch, capsys, "strategies", "--check", "nope")
    assert code == 2 and "unknown strategy" in err


def test_a_forgotten_param_is_named_not_an_anonymous_key_mismatch(monkeypatch, capsys, tmp_path):
    """The proof file records how it was made; verify never takes the statement from it (a prover
    would pick its own), but names what differs: one rule, an invalid proof for this statement."""
    import plonk_cases as cases

    params = tmp_path / "p5.bin"
    cases.params(5).write(params)
    proof = tmp_path / "p.bin"
    code, _, err = run_main(monkeypatch, capsys, "prove", "stress", "--k", "5", "--param", "lookups=0", "--seed", "1",
                            "--params", str(params), "--out", str(proof))
    assert code == 0, err
    code, _, err = run_main(monkeypatch, capsys, "verify", "stress", "--params", str(params), "--proof", str(proof))
    assert code == 1 and "--param lookups 0" in err and "--param lookups 1" in err
    code, _, err = run_main(monkeypatch, capsys, "verify", "stress", "--params", str(params), "--proof", str(proof),
                            "--param", "lookups=0")
    assert code == 0, err
