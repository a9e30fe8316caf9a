"""``halo2py check`` and ``halo2py circuits``: exit codes, reports, JSON, and one-line errors.

Bad-input cases go through ``main()`` (the console-script entry) so that the exit code and the
single stderr line are what a user sees.
"""

import json
import sys

import pytest
from typer.testing import CliRunner

from halo2py.cli.app import app, main

runner = CliRunner()

BROKEN = """
from halo2py.frontend.circuit import Circuit

class Broken(Circuit):
    '''Every row of a fails its gate.'''
    def configure(self, cs):
        a = cs.advice_column('a')
        s = cs.selector('s')
        cs.create_gate('nonzero', [('a is 0', s * a.cur())])
        return a, s

    def synthesize(self, config, layouter):
        a, s = config
        def fill(region):
            for i in range(25):
                region.enable_selector(s, i)
                region.assign_advice('a', a, i, i + 1)
        layouter.assign_region('ones', fill)
"""


def run_main(monkeypatch, capsys, *args):
    """(exit code, stdout, stderr) of the console script."""
    monkeypatch.setattr(sys, "argv", ["halo2py", *args])
    with pytest.raises(SystemExit) as exc:
        main()
    out = capsys.readouterr()
    return exc.value.code, out.out, out.err


def test_check_satisfied():
    result = runner.invoke(app, ["check", "fibonacci"])
    assert result.exit_code == 0
    assert "satisfied: fibonacci (k=5, degree 3" in result.output


def test_check_json_is_one_object_on_stdout(monkeypatch, capsys):
    code, out, err = run_main(monkeypatch, capsys, "check", "range_check", "--param", "count=4",
                              "--json")
    assert code == 0 and err == ""
    data = json.loads(out)
    assert data["satisfied"] is True and data["failures"] == []
    assert data["params"] == {"k": 10, "bits": 8, "count": 4} and data["degree"] == 5


def test_check_failure_report_is_capped(tmp_path, monkeypatch, capsys):
    path = tmp_path / "broken.py"
    path.write_text(BROKEN)
    code, out, err = run_main(monkeypatch, capsys, "check", str(path))
    assert code == 1 and out == ""
    assert "not satisfied: Broken" in err and "25 failure(s)" in err
    assert err.count("Constraint 0 ('a is 0') in gate 0 ('nonzero') is not satisfied") == 20
    assert "... and 5 more" in err


def test_check_failure_json(tmp_path, monkeypatch, capsys):
    path = tmp_path / "broken.py"
    path.write_text(BROKEN)
    code, out, _ = run_main(monkeypatch, capsys, "check", f"{path}:Broken", "--json")
    data = json.loads(out)
    assert code == 1 and data["satisfied"] is False and data["failure_count"] == 25
    assert len(data["failures"]) == 20
    first = data["failures"][0]
    assert first["kind"] == "constraint_not_satisfied" and first["gate_name"] == "nonzero"
    assert first["location"] == {"row": 0, "region": 0, "region_name": "ones", "offset": 0}


def test_check_k_and_params_and_inputs(tmp_path):
    inputs = tmp_path / "in.json"
    inputs.write_text('{"a": 2, "b": 3}')
    result = runner.invoke(app, ["check", "fibonacci", "--k", "6", "--param", "terms=40",
                                 "--inputs", str(inputs)])
    assert result.exit_code == 0 and "k=6" in result.output


def test_check_docs_example():
    result = runner.invoke(app, ["check", "docs/examples/my_circuit.py"])
    assert result.exit_code == 0 and "satisfied: nibble_sum" in result.output


GHOST = """
from halo2py.frontend.circuit import Circuit
from halo2py.middleware.expression import Column
class Ghost(Circuit):
    def configure(self, cs):
        cs.create_gate('g', [Column('fixed', 0, 'ghost').cur()])
"""


@pytest.mark.parametrize("files,args,message", [
    ({}, ["check", "missing.py"], "circuit file not found"),
    ({"bad.py": "import nowhere_to_be_found\n"}, ["check", "bad.py"], "cannot import"),
    ({"empty.py": "x = 1\n"}, ["check", "empty.py"], "defines 0 circuit classes"),
    ({"two.py": BROKEN + "class Again(Broken):\n    pass\n"}, ["check", "two.py"],
     "defines 2 circuit classes"),
    ({"ghost.py": GHOST}, ["check", "ghost.py"], "gate 'g': column 'ghost'"),
    ({}, ["check", "no_such_circuit"], "unknown circuit 'no_such_circuit'"),
    ({}, ["check", "fibonacci", "--param", "size=3"], "has no parameter 'size'"),
    ({}, ["check", "fibonacci", "--param", "terms=x"], "expects int"),
    ({}, ["check", "fibonacci", "--inputs", "nope.json"], "inputs file not found"),
    ({"in.json": "{"}, ["check", "fibonacci", "--inputs", "in.json"], "not valid JSON"),
    ({}, ["check", "fibonacci", "--param", "terms=100"], "use k >= 7"),
])
def test_bad_input_exits_2_with_one_line(tmp_path, monkeypatch, capsys, files, args, message):
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    monkeypatch.chdir(tmp_path)
    code, out, err = run_main(monkeypatch, capsys, *args)
    assert code == 2 and out == ""
    assert message in " ".join(err.split())  # rich may wrap long lines on narrow terminals
    assert err.startswith("error:") and "Traceback" not in err


def test_circuits_lists_parameters_and_defaults(monkeypatch, capsys):
    code, out, err = run_main(monkeypatch, capsys, "circuits")
    assert code == 0
    assert "fibonacci:" in out and "--param terms=10" in out
    assert "range_check:" in out and "--param bits=8" in out
    assert "stress:" in out and "--param degree=3" in out
    code, out, _ = run_main(monkeypatch, capsys, "circuits", "--json")
    listing = {c["name"]: c for c in json.loads(out)["circuits"]}
    assert {"fibonacci", "range_check", "stress"} <= set(listing)
    stress = {p["name"]: p["default"] for p in listing["stress"]["params"]}
    assert stress == {"k": 8, "advice": 5, "fixed": 7, "instance": 1, "equality": 12,
                      "degree": 3, "lookups": 1}


def test_prove_json_unsatisfied_witness_is_one_json_failure(tmp_path, monkeypatch, capsys):
    from plonk_cases import params

    path = tmp_path / "broken.py"
    path.write_text(BROKEN)
    params(5).write(tmp_path / "k5.bin")
    code, out, _ = run_main(monkeypatch, capsys, "prove", str(path), "--k", "5", "--params", str(tmp_path / "k5.bin"),
                            "--out", str(tmp_path / "proof.bin"), "--json")
    assert code == 1 and len(out.splitlines()) == 1, out
    assert json.loads(out) == {"ok": False, "error": json.loads(out)["error"], "exit_code": 1}
    assert not (tmp_path / "proof.bin").exists()
