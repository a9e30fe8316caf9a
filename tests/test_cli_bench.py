"""``halo2py bench field|ntt``: JSON on stdout, tables on stderr, one-line errors with exit code 2."""

import json
import subprocess
import sys
from pathlib import Path

import numba
import pytest
from typer.testing import CliRunner

from halo2py.cli.app import app, main
from halo2py.cli.timing import Timing, measure


@pytest.fixture(autouse=True)
def _restore_threads():
    before = numba.get_num_threads()
    yield
    numba.set_num_threads(before)


def invoke(*args):
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == 0, (result.output, result.exception)
    return result


def test_ntt_json():
    result = invoke("bench", "ntt", "--k", "4", "--runs", "3", "--threads", "1", "--json")
    obj = json.loads(result.stdout)
    assert obj["op"] == "ntt" and obj["k"] == 4 and obj["threads"] == 1 and obj["runs"] == 3
    assert 0 < obj["min_ms"] <= obj["median_ms"]
    assert result.stdout.count("\n") == 1


def test_intt_json_default_threads():
    obj = json.loads(invoke("bench", "ntt", "--k", "3", "--inverse", "--runs", "1", "--json").stdout)
    assert obj["op"] == "intt"
    assert obj["threads"] == numba.config.NUMBA_NUM_THREADS


def test_ifma_flags_are_reported():
    from halo2py.arith import ifma

    for cmd in (["ntt", "--k", "4"], ["field", "--n", "16"]):
        base = ["bench", *cmd, "--runs", "1", "--json"]
        assert json.loads(invoke(*base).stdout)["ifma"] is ifma.enabled()
        assert json.loads(invoke(*base, "--no-ifma").stdout)["ifma"] is False
    assert "IFMA o" in invoke("bench", "ntt", "--k", "4", "--runs", "1").stderr
    assert ifma.enabled() is ifma.cpu_has_ifma() or ifma.enabled() is False  # the switch was restored


def test_ntt_table_goes_to_stderr():
    result = invoke("bench", "ntt", "--k", "5", "--runs", "2")
    assert result.stdout == ""
    assert "median ms" in result.stderr


def test_field_json_and_table():
    obj = json.loads(invoke("bench", "field", "--n", "64", "--runs", "2", "--json").stdout)
    assert obj["op"] == "field" and obj["n"] == 64 and obj["runs"] == 2
    assert set(obj["ns_per_element"]) == {"fr_mul", "fr_add", "fr_square", "fq_mul"}
    assert all(v > 0 for v in obj["ns_per_element"].values())
    result = invoke("bench", "field", "--n", "64", "--runs", "1")
    assert result.stdout == "" and "fr_mul" in result.stderr


@pytest.mark.parametrize("args, message", [
    (["ntt", "--k", "0"], "--k must be between 1 and 28, got 0"),
    (["ntt", "--k", "29"], "--k must be between 1 and 28, got 29"),
    (["ntt", "--threads", "0"], "--threads must be between 1 and"),
    (["ntt", "--threads", "100000"], "--threads must be between 1 and"),
    (["ntt", "--runs", "0"], "--runs must be at least 1"),
    (["field", "--n", "0"], "--n must be between 1 and"),
    (["field", "--threads", "-1"], "--threads must be between 1 and"),
    (["msm", "--k", "4", "--columns", "0"], "--columns must be between 1 and 64, got 0"),
    (["msm", "--k", "4", "--columns", "100000000"], "--columns must be between 1 and 64, got 100000000"),
])
def test_bad_input_is_one_line_exit_2(monkeypatch, capsys, args, message):
    monkeypatch.setattr(sys, "argv", ["halo2py", "bench", *args])
    with pytest.raises(SystemExit) as exc:
        main()
    assert exc.value.code == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and message in lines[0] and lines[0].startswith("error:")


def test_console_script_reports_bad_k_without_traceback():
    script = Path(sys.executable).with_name("halo2py")
    proc = subprocess.run([str(script), "bench", "ntt", "--k", "29", "--json"],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2
    assert json.loads(proc.stdout) == {"ok": False, "error": "--k must be between 1 and 28, got 29", "exit_code": 2}
    assert proc.stderr.strip() == "error: --k must be between 1 and 28, got 29"


def test_measure_warms_up_then_times():
    calls = []
    timing = measure(lambda: calls.append(1), runs=4, warmup=2)
    assert len(calls) == 6 and len(timing.samples) == 4
    t = Timing([3.0, 1.0, 2.0])
    assert t.median == 2.0 and t.best == 1.0
