"""``prove --max-memory`` and ``halo2py plan``: sizes, the choice from the model, the refusal, and a
real proof whose measured peak RSS stays under the budget it was given."""

import json
import os
import re
import subprocess
import sys

import pytest

from halo2py.errors import InputError
from halo2py.profiling import budget
from halo2py.profiling.model import ProofShape

MIB = 1 << 20
STRESS = ["stress", "--param", "advice=6", "--param", "fixed=8", "--param", "degree=4", "--param", "lookups=2",
          "--param", "equality=7"]


@pytest.mark.parametrize("text, size", [("2G", 2 << 30), ("512M", 512 * MIB), ("1.5GiB", 3 << 29),
                                        ("800MB", 800 * MIB), ("64k", 64 << 10), ("1048576", MIB), ("2 g", 2 << 30)])
def test_sizes_parse_in_binary_units(text, size):
    assert budget.parse_size(text) == size


@pytest.mark.parametrize("text", ["", "lots", "2X", "-1G", "0", "1.5.2G", "iB", "G"])
def test_garbage_sizes_are_refused(text):
    with pytest.raises(InputError, match="--max-memory"):
        budget.parse_size(text)


def _shape(k=18):
    return ProofShape(k=k, e=4, d=4, advice=6, fixed=8, selectors=0, instance=1, permutation=7, permutation_sets=4,
                      lookups=2, quotient_polys=35, quotient_queries=48)


def test_the_fastest_strategy_that_fits_is_chosen():
    shape, floor = _shape(), 200 * MIB
    rss = {name: budget.predicted_rss(shape, name, floor) for name in budget.strategies_by_speed()}
    assert budget.choose(shape, 10 << 30, None, floor) == ("chunked", rss["chunked"])
    # between subcoset's and chunked's predictions: chunked does not fit, legacy less so
    assert budget.choose(shape, (rss["subcoset"] + rss["chunked"]) // 2, None, floor) == ("subcoset",
                                                                                         rss["subcoset"])
    smallest = re.escape(f"smallest budget that would work is {budget.mib(rss['subcoset'])}")
    with pytest.raises(InputError, match=smallest):
        budget.choose(shape, rss["subcoset"] - 1, None, floor)
    with pytest.raises(InputError, match="strategy legacy"):
        budget.choose(shape, rss["chunked"], "legacy", floor)


def test_a_budget_only_the_out_of_core_mode_meets_points_to_it_and_is_met_with_it():
    shape, floor = _shape(), 200 * MIB
    in_memory = min(budget.predicted_rss(shape, name, floor) for name in budget.strategies_by_speed())
    spilled = budget.predicted_rss(shape, "chunked", floor, spill=True)
    assert spilled < in_memory
    with pytest.raises(InputError, match="--spill DIR, it needs"):
        budget.choose(shape, spilled, None, floor)
    assert budget.choose(shape, spilled, None, floor, spill=True) == ("chunked", spilled)


def _run(*args, timed=False, env=None):
    prefix = ["/usr/bin/time", "-f", "maxrss %M"] if timed else []
    return subprocess.run([*prefix, sys.executable, "-m", "halo2py", *args], capture_output=True, text=True,
                          env=env)


def test_an_impossible_budget_is_refused_at_once_with_one_line(tmp_path):
    done = _run("prove", *STRESS, "--k", "12", "--max-memory", "100M", "--no-check", "--out", str(tmp_path / "p"))
    assert done.returncode == 2
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "smallest budget that would work is" in lines[0], done.stderr
    assert not (tmp_path / "p").exists()
    garbage = _run("prove", *STRESS, "--k", "12", "--max-memory", "lots", "--out", str(tmp_path / "p"))
    assert garbage.returncode == 2 and "--max-memory 'lots'" in garbage.stderr


def test_a_budget_is_honoured_by_the_measured_peak(tmp_path):
    """A budget between subcoset's predicted peak RSS and chunked's at k = 14, the floor pinned
    (``HALO2PY_RSS_FLOOR``: the resident part of LLVM moves by tens of MiB between runs of one
    venv, more than the two strategies differ) at 300 MiB, above any floor measured here: the
    prover takes subcoset, says so, and its peak RSS (measured by /usr/bin/time) stays under."""
    env = {**os.environ, "HALO2PY_RSS_FLOOR": "300M"}
    plan = json.loads(_run("plan", *STRESS, "--k", "14", "--json", env=env).stdout)
    rss = {p["strategy"]: p["rss_bytes"] for p in plan["plans"] if p["mode"] == "in-memory"}
    assert plan["rss_floor_bytes"] == 300 * MIB and rss["subcoset"] < rss["chunked"]
    limit = (rss["subcoset"] + rss["chunked"]) // 2
    done = _run("prove", *STRESS, "--k", "14", "--max-memory", str(limit), "--no-check", "--seed", "1",
                "--out", str(tmp_path / "p"), timed=True, env=env)
    assert done.returncode == 0, done.stderr
    assert "strategy subcoset" in done.stderr
    peak = int(re.search(r"maxrss (\d+)", done.stderr).group(1)) * 1024
    assert peak <= limit, (peak, limit, rss)


def test_plan_prints_every_strategy_and_phase():
    done = _run("plan", *STRESS, "--k", "16", "--json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert [(p["strategy"], p["mode"]) for p in data["plans"]] == [
        (name, mode) for mode in ("in-memory", "spill") for name in budget.strategies_by_speed()]
    for p in data["plans"]:
        assert set(p["phases"]) >= {"keygen", "lookups", "permutation", "quotient", "multiopen"}
        assert p["peak_bytes"] == max(p["phases"].values()) == p["phases"][p["peak_phase"]]
        assert p["rss_bytes"] == p["peak_bytes"] + data["rss_floor_bytes"]
    table = _run("plan", *STRESS, "--k", "16")
    assert table.returncode == 0 and "subcoset" in table.stdout and "quotient" in table.stdout


def test_a_layout_that_could_never_fit_is_refused_before_it_fills_memory(monkeypatch, capsys):
    """plan (and keygen, a rebuilt vk, info) lay the circuit out without a witness: at k = 28 that
    was ~70 GiB filled until the OS killed the process. The layouter asks first; the estimate is
    the arrays it will fill — checked here against what a real keygen-only layout holds."""
    import numpy as np

    from halo2py.frontend import layouter
    from halo2py.frontend.circuit import load_circuit_class, synthesize
    from plonk_cases import run_main

    cls = load_circuit_class("stress")
    circuit = cls(cls.parse_params(["k=10"]))
    laid = synthesize(circuit, witness=False).assignment
    filled = sum(a.nbytes for a in laid.fixed) + sum(a.nbytes for a in laid.selectors) + 4 * (1 << 10) * (
        len(laid.advice) + len(laid.fixed) + len(laid.selectors))
    assert layouter.keygen_table_bytes(synthesize(circuit, witness=False).cs, 10) == filled
    assert all(isinstance(a, np.ndarray) for a in laid.fixed)

    monkeypatch.setattr(layouter, "available_bytes", lambda: filled - 1)
    code, out, err = run_main(monkeypatch, capsys, "plan", "stress", "--k", "10")
    assert code == 2 and out == "" and "Traceback" not in err
    assert "laying this circuit out takes" in " ".join(err.split()) and err.count("\n") == 1
    monkeypatch.setattr(layouter, "available_bytes", lambda: filled)  # exactly enough: it runs
    code, out, err = run_main(monkeypatch, capsys, "plan", "stress", "--k", "10", "--json")
    assert code in (0, None) and json.loads(out)["k"] == 10
    monkeypatch.setattr(layouter, "available_bytes", lambda: None)  # no /proc/meminfo: no check
    code, _, _ = run_main(monkeypatch, capsys, "plan", "stress", "--k", "10", "--json")
    assert code in (0, None)


def test_available_memory_is_read_from_meminfo():
    from halo2py._meminfo import available_bytes

    free = available_bytes()
    if not os.path.exists("/proc/meminfo"):
        assert free is None
        return
    total = 0
    for line in open("/proc/meminfo"):
        if line.startswith(("MemTotal:", "SwapTotal:")):
            total += int(line.split()[1]) * 1024
    assert 0 < free <= total
