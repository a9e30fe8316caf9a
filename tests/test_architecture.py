"""The architecture issue's guarantees: keygen and verification never run the witness code, sizes
a file merely claims are bounded before any work, the phases of a proof are each named once,
and the wheel installs nothing generic at the top level of site-packages."""

import shutil
import subprocess
import sys
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

import plonk_cases as cases
from plonk_cases import run_main
from halo2py import pipeline
from halo2py.frontend.circuit import Circuit, CircuitParams, param
from halo2py.plonk.container import ProofFile

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class SecretParams(CircuitParams):
    k: int = param(4, "log2 of the rows")


class SecretSquare(Circuit):
    """x² = public y, with x known only to the prover: a verifier's copy of this circuit has no
    input, so any call of the witness code raises."""

    name = "secret_square"
    Params = SecretParams
    inputs_help = {"x": "the secret"}

    def secret(self) -> int:
        if "x" not in self.inputs:
            raise RuntimeError("the witness code ran without the secret")
        return self.input_int("x", 0)

    def instances(self):
        return [[self.secret() ** 2]]

    def configure(self, cs):
        x, y = cs.advice_column("x"), cs.advice_column("y")
        out = cs.instance_column("out")
        s = cs.selector("s")
        cs.enable_equality(y)
        cs.enable_equality(out)
        cs.create_gate("square", lambda m: [m.query_selector(s) * (m.query_advice(x) * m.query_advice(x)
                                                                   - m.query_advice(y))])
        return x, y, out, s

    def synthesize(self, config, layouter):
        x, y, out, s = config

        def region(r):
            r.enable_selector(s, 0)
            r.assign_advice("x", x, 0, lambda: self.secret())
            return r.assign_advice("y", y, 0, lambda: self.secret() ** 2)

        layouter.constrain_instance(layouter.assign_region("square", region), out, 0)


def test_verification_without_a_vk_never_runs_the_witness_code():
    params = cases.params(4)
    proof = pipeline.prove(SecretSquare(inputs={"x": 9}), params, seed=1).proof
    assert proof.instances == [[81]]
    verifier_copy = SecretSquare()  # no secret: its witness code raises if anything calls it
    with pytest.raises(Exception, match="without the secret"):
        verifier_copy.instances()
    pipeline.verify(verifier_copy, proof, params)
    assert pipeline.verifying_key(verifier_copy, params).transcript_repr == proof.vk_digest


def test_a_forged_header_k_is_refused_at_once_without_work(tmp_path, monkeypatch, capsys):
    """k = 26 in a proof header must not start a 2^26 setup or synthesis: exit 2, one line."""
    monkeypatch.setenv("HALO2PY_CACHE_DIR", str(tmp_path / "cache"))  # no dev params cached
    honest = cases.proof("fibonacci")
    for k in (26, 20):
        forged = ProofFile(k, honest.multiopen, honest.vk_digest, honest.instances, honest.transcript)
        path = tmp_path / f"forged-k{k}.bin"
        path.write_bytes(forged.to_bytes())
        t0 = time.perf_counter()
        code, out, err = run_main(monkeypatch, capsys, "verify", "stress", "--proof", str(path))
        assert time.perf_counter() - t0 < 5  # generous for a loaded machine; the point is: no 2^k work
        assert code == 2 and f"no params for k = {k}" in err and "Traceback" not in err
        assert len(err.strip().splitlines()) == 1
    # with a params file, a k above the file's is refused from its 4-byte header alone
    params_path = tmp_path / "p4.bin"
    cases.params(4).write(params_path)
    code, _, err = run_main(monkeypatch, capsys, "verify", "stress", "--proof", str(tmp_path / "forged-k26.bin"),
                            "--params", str(params_path))
    assert code == 2 and "k = 26 was requested" in err


def test_proof_header_counts_larger_than_the_data_are_refused():
    honest = cases.proof("fibonacci").to_bytes()
    # the instance-column count lives right after magic (8), version/k/scheme (4), digest (32), copies (1)
    for count in (1 << 31, 1000):
        forged = honest[:45] + count.to_bytes(4, "little") + honest[49:]
        with pytest.raises(Exception, match="instance") as exc:
            ProofFile.from_bytes(forged)
        assert exc.value.exit_code == 2


def test_each_phase_of_a_proof_is_named_once_in_order(monkeypatch, capsys, tmp_path):
    code, _, err = run_main(monkeypatch, capsys, "prove", "fibonacci", "--k", "4", "--seed", "1",
                            "--params", str(_params_file(tmp_path)), "--out", str(tmp_path / "p.bin"))
    assert code == 0, err
    started = [line.split("… ", 1)[1].strip() for line in err.splitlines() if line.startswith("… ")]
    assert started == ["synthesis", "keygen", "instances", "advice commit", "lookups", "permutation",
                       "lookup products", "quotient", "evaluations", "multiopen"]


def _params_file(tmp_path):
    path = tmp_path / "params4.bin"
    cases.params(4).write(path)
    return path


def test_the_wheel_installs_only_the_halo2py_package(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, src / name)
    for name in ("halo2py", "strategies", "circuits"):
        shutil.copytree(ROOT / name, src / name, ignore=shutil.ignore_patterns("__pycache__"))
    done = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                           "-w", str(tmp_path / "dist"), str(src)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-2000:]
    (wheel,) = (tmp_path / "dist").glob("halo2py-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    top = {n.split("/")[0] for n in names if not n.split("/")[0].endswith(".dist-info")}
    assert top == {"halo2py"}
    assert "halo2py/strategies/chunked.py" in names and "halo2py/circuits/stress.py" in names
