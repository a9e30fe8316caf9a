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

