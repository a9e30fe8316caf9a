"""The command line as users type it: inline JSON inputs, results on stdout, no hard wrapping,
conflicting k refused."""

import json

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
                ("compare",): {"--k": "K", "--out": "DIR", "--strategies": "NAME,…", "--plot": "FILE"},
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
