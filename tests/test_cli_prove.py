"""``halo2py prove``, ``verify``, ``keygen`` and ``strategies`` through the console script:
outputs, determinism across processes and thread counts, and one-line errors for bad input.

Params are written to a temporary directory and passed with ``--params``, so the user's cache of
development params is never touched.
"""

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import plonk_cases as cases
from plonk_cases import run_main
from halo2py.arith.constants import FR_MODULUS
from halo2py.cli.app import main
from halo2py.plonk.vkfile import MAGIC as VK_MAGIC
from halo2py.quotient.registry import DEFAULT_STRATEGY


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    """Params for k = 4 and 5, a fibonacci proof (k = 4, GWC), its vk, and corrupt variants."""
    root = tmp_path_factory.mktemp("cli-prove")
    paths = {name: root / name for name in (
        "k4_params", "k5_params", "fib_proof", "fib_vk", "truncated_params", "bad_point_params",
        "bad_magic_proof", "bad_magic_vk", "bad_point_vk", "range_vk", "bad_json", "big_json")}
    cases.params(4).write(paths["k4_params"])
    cases.params(5).write(paths["k5_params"])
    paths["fib_proof"].write_bytes(cases.proof("fibonacci", "chunked", "gwc").to_bytes())
    raw = paths["k4_params"].read_bytes()
    paths["truncated_params"].write_bytes(raw[:-1])
    paths["bad_point_params"].write_bytes(raw[:4] + bytes([raw[4] ^ 1]) + raw[5:])
    paths["bad_magic_proof"].write_bytes(b"NOTAPROOF" + bytes(100))
    paths["bad_json"].write_text("[[1, 1, 55]")
    paths["big_json"].write_text(f"[[1, 1, {55 + FR_MODULUS}]]")
    return {"root": str(root)} | {name: str(path) for name, path in paths.items()}


@pytest.fixture(scope="module")
def vk_files(files):
    """keygen's vk for the fibonacci proof, and corrupt / other-circuit variants."""
    mp = pytest.MonkeyPatch()
    try:
        for spec, extra, out in (("fibonacci", [], "fib_vk"),
                                 ("range_check", ["--param", "bits=3", "--param", "count=4"], "range_vk")):
            mp.setattr(sys, "argv", ["halo2py", "keygen", spec, "--k", "4", *extra, "--params", files["k4_params"],
                                     "--out-vk", files[out]])
            with pytest.raises(SystemExit) as exc:
                main()
            assert exc.value.code == 0
    finally:
        mp.undo()
    data = Path(files["fib_vk"]).read_bytes()
    Path(files["bad_magic_vk"]).write_bytes(b"X" + data[1:])
    Path(files["bad_point_vk"]).write_bytes(data[:-40] + bytes([data[-40] ^ 4]) + data[-39:])
    return files


def test_prove_json_matches_the_api_proof(monkeypatch, capsys, files, tmp_path):
    out = tmp_path / "p.bin"
    code, stdout, err = run_main(monkeypatch, capsys, "prove", "fibonacci", "--k", "4", "--params", files["k4_params"],
                                 "--seed", str(cases.PROVE_SEED), "--multiopen", "gwc", "--out", str(out), "--json")
    assert code == 0, err
    summary = json.loads(stdout)
    data = out.read_bytes()
    assert data == cases.proof("fibonacci", "chunked", "gwc").to_bytes()
    assert summary["proof_sha256"] == hashlib.sha256(data).hexdigest() and summary["proof_bytes"] == len(data)
    got = (summary["circuit"], summary["k"], summary["strategy"], summary["multiopen"])
    assert got == ("fibonacci", 4, DEFAULT_STRATEGY, "gwc")
    assert summary["quotient_peak_bytes"] > 0 and "quotient" in summary["phases"]
    assert "--seed makes randomness predictable" in err


def test_verify_json_valid_and_invalid(monkeypatch, capsys, files, tmp_path):
    base = ["verify", "fibonacci", "--params", files["k4_params"], "--proof", files["fib_proof"], "--json"]
    code, stdout, err = run_main(monkeypatch, capsys, *base)
    assert code == 0, err
    assert json.loads(stdout)["valid"] is True
    instances = tmp_path / "instances.json"
    instances.write_text('[[1, 1, "0x38"]]')  # 56: a wrong public output
    code, stdout, err = run_main(monkeypatch, capsys, *base, "--instances", str(instances))
    assert code == 1
    verdict = json.loads(stdout)
    assert verdict["valid"] is False and "opening proof does not verify" in verdict["reason"]


def test_keygen_then_verify_with_the_vk_file(monkeypatch, capsys, vk_files):
    assert Path(vk_files["fib_vk"]).read_bytes().startswith(VK_MAGIC)
    code, stdout, err = run_main(monkeypatch, capsys, "verify", "fibonacci", "--params", vk_files["k4_params"],
                                 "--proof", vk_files["fib_proof"], "--vk", vk_files["fib_vk"])
    assert code == 0 and stdout == ""
    assert "valid proof for fibonacci (k=4, gwc)" in err


def test_params_for_a_larger_k_are_downsized(monkeypatch, capsys, files, tmp_path):
    """Ceremony files are usually larger than the circuit: the first 2^k points serve (halo2's
    downsize), and prover and verifier agree on the Lagrange basis they recompute."""
    out = tmp_path / "fib-k4-from-k5.bin"
    code, _, err = run_main(monkeypatch, capsys, "prove", "fibonacci", "--k", "4", "--params", files["k5_params"],
                            "--out", str(out))
    assert code == 0, err
    code, _, err = run_main(monkeypatch, capsys, "verify", "fibonacci", "--params", files["k5_params"],
                            "--proof", str(out))
    assert code == 0 and "valid proof for fibonacci (k=4, shplonk)" in err


NO_COPIES = '''
from halo2py.frontend.circuit import Circuit, CircuitParams


class NoCopies(Circuit):
    """One active degree-2 gate and nothing else (the system's degree is 3)."""

    Params = CircuitParams

    def configure(self, cs):
        a, q = cs.advice_column("a"), cs.selector("q")
        cs.create_gate("seven", lambda m: [m.query_selector(q) * (m.query_advice(a) - 7)])
        return a, q

    def synthesize(self, config, layouter):
        def fill(region):
            region.enable_selector(config[1], 0)
            region.assign_advice("a", config[0], 0, 7)

        layouter.assign_region("seven", fill)
'''


def test_a_circuit_halo2_cannot_prove_is_one_line(monkeypatch, capsys, files, tmp_path):
    circuit = tmp_path / "no_copies.py"
    circuit.write_text(NO_COPIES)
    code, _, err = run_main(monkeypatch, capsys, "prove", str(circuit), "--k", "4", "--params", files["k4_params"],
                            "--out", str(tmp_path / "p.bin"), "--json")
    assert code == 2 and "Traceback" not in err and len(err.strip().splitlines()) == 1, err
    assert "point at infinity" in err and "degree 3" in err


def test_strategies_lists_the_builtins(monkeypatch, capsys):
    code, stdout, _ = run_main(monkeypatch, capsys, "strategies", "--json")
    rows = {row["name"]: row for row in json.loads(stdout)["strategies"]}
    assert code == 0 and {"legacy", "chunked"} <= set(rows)
    assert all(rows[name].get("description") for name in ("legacy", "chunked"))


def test_same_seed_same_proof_across_processes_and_thread_counts(files, tmp_path):
    """The proof depends on the seed only: not on the process, nor on how Numba splits work."""
    proofs = []
    for threads in (1, 2):
        out = tmp_path / f"stress-{threads}.bin"
        env = dict(os.environ, NUMBA_NUM_THREADS=str(threads))
        run = subprocess.run([sys.executable, "-m", "halo2py", "prove", "stress", "--k", "5",
                              "--params", files["k5_params"], "--seed", str(cases.PROVE_SEED), "--out", str(out)],
                             env=env, capture_output=True, text=True, timeout=600)
        assert run.returncode == 0 and "Traceback" not in run.stderr, run.stderr
        proofs.append(out.read_bytes())
    assert proofs[0] == proofs[1] == cases.proof("stress", "chunked", "shplonk").to_bytes()


def bad_input_cases():
    fib = ["fibonacci", "--k", "4"]
    return {
        "missing proof": (["verify", *fib, "--params", "{k4_params}", "--proof", "{fib_proof}.missing"],
                          "cannot read proof file"),
        "corrupt proof": (["verify", *fib, "--params", "{k4_params}", "--proof", "{bad_magic_proof}"],
                          "not a halo2py proof file (bad magic)"),
        "truncated params": (["verify", *fib, "--params", "{truncated_params}", "--proof", "{fib_proof}"],
                             "truncated or corrupted file"),
        "corrupt params point": (["verify", *fib, "--params", "{bad_point_params}", "--proof", "{fib_proof}"],
                                 "is not on the curve"),
        "params too small": (["prove", "fibonacci", "--k", "5", "--params", "{k4_params}"],
                             "holds params for k ≤ 4; k = 5 was requested"),
        "vk bad magic": (["verify", *fib, "--params", "{k4_params}", "--proof", "{fib_proof}",
                          "--vk", "{bad_magic_vk}"],
                         "not a halo2py verifying key"),
        "vk corrupt point": (["verify", *fib, "--params", "{k4_params}", "--proof", "{fib_proof}",
                              "--vk", "{bad_point_vk}"],
                             "vk file"),
        "vk of another circuit": (["verify", *fib, "--params", "{k4_params}", "--proof", "{fib_proof}",
                                   "--vk", "{range_vk}"], "made for a different constraint system"),
        "k mismatch": (["verify", "fibonacci", "--k", "5", "--params", "{k4_params}", "--proof", "{fib_proof}"],
                       "--k 5 does not match the proof's k = 4"),
        "bad instances file": (["verify", *fib, "--params", "{k4_params}", "--proof", "{fib_proof}",
                                "--instances", "{bad_json}"], "is not valid JSON"),
        "non-canonical instance": (["verify", *fib, "--params", "{k4_params}", "--proof", "{fib_proof}",
                                    "--instances", "{big_json}"], "is not a canonical field element"),
        "unknown strategy": (["prove", *fib, "--params", "{k4_params}", "--strategy", "quantum"],
                             "unknown strategy 'quantum' (available: "),
        "unknown multiopen": (["prove", *fib, "--params", "{k4_params}", "--multiopen", "ipa"],
                              "unknown multiopen scheme 'ipa'; choose one of gwc, shplonk"),
        "proof output directory missing": (["prove", *fib, "--params", "{k4_params}", "--out", "{k4_params}.d/p.bin"],
                                           "cannot write proof file"),
        "vk output is a directory": (["keygen", *fib, "--params", "{k4_params}", "--out-vk", "{root}"],
                                     "cannot write vk file"),
        "strategy checked before params": (["prove", *fib, "--params", "{truncated_params}", "--strategy", "quantum"],
                                           "unknown strategy 'quantum'"),
    }


BAD_INPUT = bad_input_cases()


@pytest.mark.parametrize("name", list(BAD_INPUT))
def test_bad_input_is_one_line_exit_2(monkeypatch, capsys, vk_files, tmp_path, name):
    args, message = BAD_INPUT[name]
    args = [a.format_map(vk_files) for a in args]
    if args[0] == "prove" and "--out" not in args:
        args += ["--out", str(tmp_path / "never.bin")]
    code, stdout, err = run_main(monkeypatch, capsys, *args)
    assert code == 2, err
    assert stdout == "" and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1, err
    assert err.startswith("error: ") and message in err
    assert not (tmp_path / "never.bin").exists()
