"""halo2's proofs, exactly: every Rust halo2 vector proof (two circuit copies, SHPLONK and GWC,
classic lookups, shuffles, a second phase) verifies in halo2py, tampered ones do not, and with
halo2's test RNG halo2py writes the vectors' bytes — with every registered quotient strategy."""

import random
from functools import cache

import pytest

import halo2_vectors as hv
from plonk_cases import run_main
from halo2py import pipeline
from halo2py.errors import Halo2pyError
from halo2py.quotient.registry import available
from test_halo2_keys import CIRCUITS, dialect_of, params

CASES = hv.case_names()


@cache
def copies(name: str, floor_planner: str | None = None):
    case = hv.load(name)
    return pipeline.build_copies(CIRCUITS[case["circuit"]], case["num_circuits"], case["k"], (), None,
                                 floor_planner or case["floor_planner"])


def verify(name: str, transcript: bytes, floor_planner: str | None = None) -> None:
    case = hv.load(name)
    pipeline.verify_raw(copies(name, floor_planner), params(case["k"]), transcript, case["scheme"], None,
                        dialect_of(case).name)


@pytest.mark.parametrize("name", CASES)
def test_rusts_proof_verifies(name):
    verify(name, hv.proof_bytes(hv.load(name)))


def _items(name: str, count: int, seed: int) -> list:
    proof = hv.proof_bytes(hv.load(name))
    items = len(proof) // 32
    return random.Random(f"{seed}:{name}").sample(range(items), min(count, items))


def _tampered(proof: bytes, item: int, salt: int) -> bytes:
    data = bytearray(proof)
    data[32 * item + salt % 32] ^= 1 << (salt % 8)
    return bytes(data)


def _assert_rejected(name: str, count: int) -> None:
    proof = hv.proof_bytes(hv.load(name))
    for item in _items(name, count, seed=1):
        with pytest.raises(Halo2pyError) as exc:
            verify(name, _tampered(proof, item, item * 7 + 3))
        assert exc.value.exit_code in (1, 2), (name, item)


@pytest.mark.parametrize("name", CASES)
def test_altered_items_are_rejected(name):
    """16 sampled 32-byte items per case, one bit flipped each (64 in the slow run)."""
    _assert_rejected(name, 16)


@pytest.mark.slow
@pytest.mark.parametrize("name", CASES)
def test_any_of_64_altered_items_is_rejected(name):
    _assert_rejected(name, 64)


@pytest.mark.parametrize("name", [n for n in CASES if hv.load(n)["circuit"] in ("simple", "fibonacci1")])
def test_the_other_floor_planners_vk_rejects_the_proof(name):
    """simple and fibonacci1 lay out differently under the two planners (README §2)."""
    other = "v1" if hv.load(name)["floor_planner"] == "simple" else "simple"
    with pytest.raises(Halo2pyError) as exc:
        verify(name, hv.proof_bytes(hv.load(name)), floor_planner=other)
    assert exc.value.exit_code == 1


@pytest.mark.parametrize("strategy", sorted(available()))
@pytest.mark.parametrize("name", CASES)
def test_halo2_test_rng_reproduces_rusts_bytes(name, strategy):
    case = hv.load(name)
    outcome = pipeline.prove(copies(name), params(case["k"]), strategy, case["scheme"], None, True, None,
                             dialect_of(case).name, "halo2-test")
    got, want = outcome.proof.transcript, hv.proof_bytes(case)
    first = next((i for i in range(min(len(got), len(want))) if got[i] != want[i]), None)
    assert got == want, f"first difference in 32-byte item {None if first is None else first // 32}"


def test_cli_verifies_a_raw_rust_proof_and_rejects_bad_ones(tmp_path, monkeypatch, capsys):
    case = hv.load("shuffle-v1-gwc")
    p = tmp_path / "p.bin"
    params(case["k"]).write(p)
    raw = tmp_path / "raw.bin"
    proof = hv.proof_bytes(case)
    base = ["verify", "shuffle", "--k", "4", "--params", str(p), "--dialect", "scroll-legacy",
            "--floor-planner", "v1", "--copies", "2", "--multiopen", "gwc", "--halo2-proof", str(raw)]
    raw.write_bytes(proof)
    code, _, err = run_main(monkeypatch, capsys, *base)
    assert code == 0, err
    bad = {
        "truncated": (proof[:-32], 1),
        "trailing bytes": (proof + bytes(32), 1),
        "non-canonical scalar": (proof[:-32] + (2**256 - 1).to_bytes(32, "little"), 1),
        "off-curve point": (bytes([0x05] + [0] * 31) + proof[32:], 1),
    }
    for what, (data, want) in bad.items():
        raw.write_bytes(data)
        code, _, err = run_main(monkeypatch, capsys, *base)
        assert code == want and "Traceback" not in err and len(err.strip().splitlines()) == 1, (what, err)
    raw.write_bytes(proof)
    code, _, err = run_main(monkeypatch, capsys, *(base[:-6] + ["--copies", "1", "--multiopen", "gwc",
                                                                  "--halo2-proof", str(raw)]))
    assert code == 1 and "Traceback" not in err  # one copy's verifier reads the wrong transcript


def test_cli_writes_rusts_bytes_with_halo2s_test_rng(tmp_path, monkeypatch, capsys):
    case = hv.load("simple_lookup-simple-shplonk")
    p = tmp_path / "p.bin"
    params(case["k"]).write(p)
    raw = tmp_path / "raw.bin"
    code, _, err = run_main(monkeypatch, capsys, "prove", "simple-lookup", "--params", str(p), "--dialect",
                            "scroll-legacy", "--copies", "2", "--rng", "halo2-test", "--out", str(tmp_path / "c.bin"),
                            "--halo2-out", str(raw))
    assert code == 0, err
    assert "UNSAFE" in err
    assert raw.read_bytes() == hv.proof_bytes(case)


def test_default_proofs_round_trip_as_raw_transcripts(tmp_path, monkeypatch, capsys):
    """halo2py's own (pse dialect, zero-knowledge) proof, written raw and read back raw."""
    p = tmp_path / "p.bin"
    params(4).write(p)
    raw = tmp_path / "raw.bin"
    code, _, err = run_main(monkeypatch, capsys, "prove", "fibonacci2", "--params", str(p), "--copies", "2",
                            "--out", str(tmp_path / "c.bin"), "--halo2-out", str(raw))
    assert code == 0, err
    args = ["verify", "fibonacci2", "--k", "4", "--params", str(p), "--copies", "2", "--halo2-proof", str(raw)]
    code, _, err = run_main(monkeypatch, capsys, *args)
    assert code == 0, err
    code, _, err = run_main(monkeypatch, capsys, "verify", "fibonacci2", "--params", str(p), "--proof",
                            str(tmp_path / "c.bin"))
    assert code == 0, err
    raw.write_bytes(_tampered(raw.read_bytes(), 3, 5))
    code, _, _ = run_main(monkeypatch, capsys, *args)
    assert code == 1
