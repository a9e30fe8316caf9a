"""``halo2py setup``: the file it writes, its warnings, JSON, and one-line errors."""

import json
import sys

import pytest

from halo2py.cli.app import main
from halo2py.commitment.params import ParamsKZG, raw_size
from halo2py.randomness import seeded_rng


def run_main(monkeypatch, capsys, *args):
    """(exit code, stdout, stderr) of the console script."""
    monkeypatch.setattr(sys, "argv", ["halo2py", *args])
    with pytest.raises(SystemExit) as exc:
        main()
    out = capsys.readouterr()
    return exc.value.code, out.out, out.err


def test_seeded_setup_writes_reproducible_params(monkeypatch, capsys, tmp_path):
    path = tmp_path / "k2.params"
    code, out, err = run_main(monkeypatch, capsys, "setup", "--k", "2", "--out", str(path), "--seed", "9")
    assert code == 0
    assert out == ""
    assert "UNSAFE: these params come from a secret" in err
    assert "--seed makes randomness predictable" in err
    assert "k = 2" in err
    assert path.read_bytes() == ParamsKZG.setup(2, seeded_rng(9, "setup")).to_bytes()


def test_json_summary(monkeypatch, capsys, tmp_path):
    path = tmp_path / "k3.params"
    code, out, err = run_main(monkeypatch, capsys, "setup", "--k", "3", "--out", str(path), "--json")
    assert code == 0
    summary = json.loads(out)
    assert summary["k"] == 3 and summary["bytes"] == raw_size(3) == path.stat().st_size
    assert summary["seeded"] is False
    assert "--seed makes" not in err
    assert ParamsKZG.read(path).k == 3


@pytest.mark.parametrize("args, message", [
    (["--k", "0"], "k must be an integer in [1, 28]"),
    (["--k", "3", "--out", "/nonexistent-dir/p.params"], "cannot write params file"),
])
def test_bad_input_is_one_line(monkeypatch, capsys, tmp_path, args, message):
    if "--out" not in args:
        args = args + ["--out", str(tmp_path / "p.params")]
    code, _, err = run_main(monkeypatch, capsys, "setup", *args)
    assert code == 2
    assert message in " ".join(err.split())
    assert "Traceback" not in err
