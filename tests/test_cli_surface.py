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
