"""The command line speaks halo2: params from a known secret, keygen's pinned texts and
transcript_repr equal to Rust halo2's, dialects and floor planners by name, and halo2's
configuration errors as one line, exit 2."""

import json

import pytest

import halo2_vectors as hv
from plonk_cases import run_main


@pytest.fixture(scope="module")
def s2_params(tmp_path_factory):
    return tmp_path_factory.mktemp("params")


@pytest.mark.parametrize("name", ["simple-v1-shplonk", "shuffle-simple-shplonk", "shuffle_api-v1-shplonk"])
def test_setup_with_a_known_secret_then_keygen_json_equals_rust(name, tmp_path, monkeypatch, capsys):
    case = hv.load(name)
    params = tmp_path / "p.bin"
    code, _, err = run_main(monkeypatch, capsys, "setup", "--k", str(case["k"]), "--unsafe-secret", "2",
                            "--out", str(params))
    assert code == 0 and "UNSAFE" in err
    circuit = {"simple": "simple-example", "shuffle": "shuffle", "shuffle_api": "shuffle-api"}[case["circuit"]]
    dialect = "scroll-v1.1" if case["lookup_type"] == "log_derivative_halo2" else "scroll-legacy"
    code, out, err = run_main(monkeypatch, capsys, "keygen", circuit, "--params", str(params), "--dialect", dialect,
                              "--floor-planner", case["floor_planner"], "--json")
    assert code == 0, err
    got = json.loads(out)
    assert got["transcript_repr"] == f"0x{hv.transcript_repr(case):064x}"
    assert got["pinned_verifying_key"] == case["pinned_verifying_key"]
    assert got["pinned_constraint_system"] == case["pinned_constraint_system"]


def test_dialects_are_listed(monkeypatch, capsys):
    code, out, _ = run_main(monkeypatch, capsys, "dialects", "--json")
    assert code == 0
    names = {d["name"]: d["default"] for d in json.loads(out)["dialects"]}
    assert names["pse"] is True and {"scroll-legacy", "scroll-v1.1"} <= set(names)


SIMPLE_SELECTOR_IN_LOOKUP = '''
from halo2py.frontend.circuit import Circuit
class Bad(Circuit):
    def configure(self, cs):
        a, q, t = cs.advice_column("a"), cs.selector("q"), cs.lookup_table_column("t")
        cs.lookup("l", lambda m: [(m.query_selector(q) * m.query_advice(a), t)])
    def synthesize(self, config, layouter):
        pass
'''

CHALLENGE_TOO_EARLY = '''
from halo2py.frontend.circuit import Circuit
class Early(Circuit):
    def configure(self, cs):
        a = cs.advice_column("a")
        b = cs.advice_column("b", phase=1)
        c = cs.challenge_usable_after(0, "c")
        s = cs.selector("s")
        cs.create_gate("g", lambda m: [m.query_selector(s) * (m.query_advice(b) - m.query_challenge(c))])
        return a, b, c, s
    def synthesize(self, config, layouter):
        a, b, c, s = config
        def fill(region):
            region.assign_advice("a", a, 0, lambda: region.get_challenge(c))  # phase 0 reads c: too early
        layouter.assign_region("r", fill)
'''


@pytest.mark.parametrize("args, message", [
    (["keygen", "fibonacci", "--json", "--dialect", "halo3"], "unknown dialect 'halo3'"),
    (["keygen", "fibonacci", "--json", "--floor-planner", "v2"], "unknown floor planner 'v2'"),
    (["prove", "fibonacci", "--dialect", "halo3"], "unknown dialect 'halo3'"),
    (["verify", "fibonacci", "--proof", "x.bin", "--dialect", "halo3"], "unknown dialect 'halo3'"),
])
def test_unknown_dialect_or_floor_planner_is_one_line_exit_2(args, message, monkeypatch, capsys):
    code, _, err = run_main(monkeypatch, capsys, *args)
    assert code == 2 and message in err and "Traceback" not in err


@pytest.mark.parametrize("source, message", [
    (SIMPLE_SELECTOR_IN_LOOKUP, "simple selector 'q' may not be used in a lookup"),
    (CHALLENGE_TOO_EARLY, "challenge 'c' is not known yet"),
])
def test_halo2_configuration_errors_are_one_line_exit_2(source, message, tmp_path, monkeypatch, capsys):
    path = tmp_path / "bad.py"
    path.write_text(source)
    code, _, err = run_main(monkeypatch, capsys, "check", str(path), "--k", "5")
    assert code == 2 and message in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1
