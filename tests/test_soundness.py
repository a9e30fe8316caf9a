"""Soundness: every way of presenting a wrong proof is rejected as an *invalid proof* (exit 1).

Bit flips of the transcript are sampled (a fixed seed, one random bit per equal stretch of the
transcript, so the sample covers commitments, evaluations and the multiopen argument alike and a
failure names a reproducible byte and bit); the slow test flips every bit of one small proof.
Each flip costs one verification (~1 s, a multi-pairing). The unflipped proofs are the ones
test_prove.py checks to be valid.
"""

import dataclasses
import json
import random

import numpy as np
import pytest

import plonk_cases as cases
from plonk_cases import run_main
from halo2py.circuits.fibonacci import Fibonacci
from halo2py import pipeline
from halo2py.arith.constants import FR_MODULUS as R
from halo2py.arith.field import Fr
from halo2py.errors import Halo2pyError
from halo2py.frontend.circuit import load_inputs, synthesize
from halo2py.plonk import lookup
from halo2py.plonk.keygen import keygen
from halo2py.plonk.lookup import LookupInputNotInTable
from halo2py.plonk.prover import create_proof
from halo2py.plonk.verifier import VerificationError, verify_proof
from halo2py.quotient.registry import create as create_strategy
from halo2py.randomness import UniformScalars, seeded_rng

# (case, multiopen, bits): ≥ 200 flips in all, over both schemes, lookups, e = 4 and e = 8.
FLIP_SAMPLES = [("stress", "shplonk", 112), ("range_check", "gwc", 48), ("poseidon", "gwc", 48)]
FLIPS = [(case, multiopen, i, count) for case, multiopen, count in FLIP_SAMPLES for i in range(count)]


def sampled_bit(case: str, multiopen: str, i: int, count: int, total_bits: int) -> int:
    """Bit i of a stratified sample: uniformly random inside stretch i of ``count`` equal ones."""
    rnd = random.Random(f"{case}/{multiopen}/{i}")
    return int((i + rnd.random()) * total_bits / count)


def flipped(proof, bit: int):
    transcript = bytearray(proof.transcript)
    transcript[bit // 8] ^= 1 << (bit % 8)
    return dataclasses.replace(proof, transcript=bytes(transcript))


def assert_invalid(circuit, proof, params, instances=None, where: str = ""):
    """Rejected as an invalid proof (exit 1): not accepted, and not mistaken for bad input."""
    try:
        pipeline.verify(circuit, proof, params, instances=instances)
    except Halo2pyError as exc:
        assert exc.exit_code == 1, f"{where}: {type(exc).__name__}: {exc}"
    else:
        pytest.fail(f"accepted: {where}")


@pytest.mark.parametrize("case, multiopen, i, count", FLIPS,
                         ids=[f"{c}-{m}-{i:03d}" for c, m, i, _ in FLIPS])
def test_sampled_bit_flip_is_rejected(case, multiopen, i, count):
    proof = cases.proof(case, "chunked", multiopen)
    bit = sampled_bit(case, multiopen, i, count, 8 * len(proof.transcript))
    assert_invalid(cases.circuit(case), flipped(proof, bit), cases.params(proof.k),
                   where=f"transcript byte {bit // 8} bit {bit % 8}")


@pytest.mark.slow
def test_every_bit_flip_of_a_small_proof_is_rejected():
    proof = cases.proof("fibonacci", "chunked", "shplonk")
    circuit, params = cases.circuit("fibonacci"), cases.params(proof.k)
    for bit in range(8 * len(proof.transcript)):
        assert_invalid(circuit, flipped(proof, bit), params, where=f"transcript byte {bit // 8} bit {bit % 8}")


def test_wrong_instance_value_is_rejected():
    proof = cases.proof("fibonacci")
    (a, b, out), = proof.instances
    for wrong in ([[a, b, out + 1]], [[a + 1, b, out]], [[a, b, out, 0]], [[a, b]], [[a, b, out], [1]]):
        assert_invalid(cases.circuit("fibonacci"), proof, cases.params(proof.k), instances=wrong, where=str(wrong))


def test_proof_for_another_circuit_is_rejected():
    """Rejected by the digest in the proof file, and by the transcript itself when the file's
    digest is rewritten to the other circuit's (the transcript absorbs the vk digest first)."""
    proof = cases.proof("fibonacci")
    params = cases.params(proof.k)
    for other in (cases.build("fibonacci", 4, ("terms=9",)), cases.build("range_check", 4, ("bits=3", "count=4"))):
        with pytest.raises(VerificationError, match="different verifying key|the proof was made with"):
            pipeline.verify(other, proof, params)
        with pytest.raises(VerificationError, match="different verifying key"):  # without the recorded settings
            pipeline.verify(other, dataclasses.replace(proof, settings={}), params)
        other_digest = pipeline.verifying_key(other, params).transcript_repr
        assert_invalid(other, dataclasses.replace(proof, vk_digest=other_digest, settings={}), params, where=str(other))


def test_instances_must_fit_the_usable_rows_and_be_canonical():
    """Proofs made honestly for doctored public inputs that the instance polynomial cannot tell
    apart from the true ones: 56 at row 2 cancelled by −1 at row n + 2 (aliasing past n), and a
    value on a blinding row that no constraint covers. halo2 rejects both (InstanceTooLarge)."""
    circuit, params = cases.circuit("fibonacci"), cases.params(4)
    first = synthesize(circuit)
    pk = keygen(params, first.compiled, first.preprocessed)
    n = pk.vk.domain.n
    usable = n - pk.vk.layout.blinding_factors - 1
    aliased = [1, 1, 56] + [0] * (n - 1) + [R - 1]
    on_blinding_row = [1, 1, 55] + [0] * (usable - 1) + [777]
    for claimed in (aliased, on_blinding_row):
        synthesis = synthesize(circuit)
        synthesis.assignment.instance_values = [claimed]
        if len(claimed) <= n:
            synthesis.assignment.instance[0][len(claimed) - 1] = Fr.from_ints([claimed[-1]])[0]
        transcript = create_proof(params, pk, synthesis.witness, create_strategy("chunked"), "shplonk",
                                  UniformScalars(seeded_rng(1, "t")))
        with pytest.raises(VerificationError, match=f"has {len(claimed)} values, more than the {usable} usable rows"):
            verify_proof(params, pk.vk, [claimed], transcript, "shplonk")
    with pytest.raises(VerificationError, match="not a canonical field element"):
        pipeline.verify(circuit, cases.proof("fibonacci"), params, instances=[[1, 1, 55 + R]])


class WrongMiddleTerm(Fibonacci):
    """A witness that breaks the Fibonacci gate at one row (the instances stay consistent)."""

    def sequence(self) -> list:
        terms = super().sequence()
        terms[5] += 1
        return terms


def test_unsatisfied_gate_forced_through_gives_an_invalid_proof():
    circuit = WrongMiddleTerm(WrongMiddleTerm.parse_params([], k=4), load_inputs(None))
    params = cases.params(4)
    with pytest.raises(pipeline.UnsatisfiedWitness) as exc:
        pipeline.prove(circuit, params, seed=1)
    assert exc.value.exit_code == 1
    assert {str(f).split(" is not satisfied")[0] for f in exc.value.failures} == {
        "Constraint 0 ('f[i+2] = f[i+1] + f[i]') in gate 0 ('fibonacci')"}
    proof = pipeline.prove(circuit, params, seed=1, check=False).proof
    assert_invalid(circuit, proof, params)


def out_of_range(tmp_path):
    """range_check over 0..15 with a private value of 16."""
    inputs = tmp_path / "inputs.json"
    inputs.write_text(json.dumps({"values": [1, 2, 3, 16]}))
    return pipeline.build_circuit("range_check", 5, ["bits=4", "count=4"], str(inputs))


def test_lookup_input_outside_the_table_cannot_be_proved(tmp_path):
    circuit = out_of_range(tmp_path)
    with pytest.raises(pipeline.UnsatisfiedWitness) as exc:
        pipeline.prove(circuit, cases.params(5), seed=1)
    assert "Lookup 0 ('range')" in str(exc.value.failures[0])
    with pytest.raises(LookupInputNotInTable, match="input value 16 is not in the table") as exc:
        pipeline.prove(circuit, cases.params(5), seed=1, check=False)
    assert exc.value.exit_code == 1


def test_a_prover_cheating_on_the_lookup_is_caught(monkeypatch, tmp_path):
    """A prover that sets S′ = A′ passes both per-row lookup constraints (A′ = S′ everywhere)
    with 16 in A′; only the product argument sees that S′ is not a rearrangement of the table."""
    def cheat(inputs, table, name):
        _, ids = np.unique(inputs, axis=0, return_inverse=True)
        grouped = inputs[np.argsort(ids.reshape(-1), kind="stable")]
        return grouped, grouped.copy()

    monkeypatch.setattr(lookup, "permute_expression_pair", cheat)
    circuit = out_of_range(tmp_path)
    proof = pipeline.prove(circuit, cases.params(5), seed=1, check=False).proof
    assert_invalid(circuit, proof, cases.params(5))


# --- the same verdicts through the console script ---------------------------------------------

WRONG_OUTPUT = '''
from halo2py.circuits.fibonacci import Fibonacci

class WrongOutput(Fibonacci):
    """Claims a public output one more than the true last term."""

    def instances(self):
        a, b, out = super().instances()[0]
        return [[a, b, out + 1]]
'''


@pytest.fixture(scope="module")
def params4(tmp_path_factory):
    path = tmp_path_factory.mktemp("params") / "k4.params"
    cases.params(4).write(path)
    return str(path)


def assert_cli_invalid(monkeypatch, capsys, *args):
    code, out, err = run_main(monkeypatch, capsys, "verify", *args)
    assert code == 1, err
    assert "invalid proof:" in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1, err


@pytest.mark.parametrize("where", ["first", "middle", "last"])
def test_cli_rejects_a_flipped_proof(monkeypatch, capsys, tmp_path, params4, where):
    proof = cases.proof("fibonacci")
    bits = 8 * len(proof.transcript)
    bit = {"first": 3, "middle": bits // 2 + 1, "last": bits - 1}[where]
    path = tmp_path / "flipped.bin"
    path.write_bytes(flipped(proof, bit).to_bytes())
    assert_cli_invalid(monkeypatch, capsys, "fibonacci", "--params", params4, "--proof", str(path))


def test_cli_rejects_wrong_instances_and_another_circuit(monkeypatch, capsys, tmp_path, params4):
    path = tmp_path / "fib.bin"
    path.write_bytes(cases.proof("fibonacci").to_bytes())
    instances = tmp_path / "instances.json"
    instances.write_text("[[1, 1, 56]]")
    assert_cli_invalid(monkeypatch, capsys, "fibonacci", "--params", params4, "--proof", str(path),
                       "--instances", str(instances))
    assert_cli_invalid(monkeypatch, capsys, "range_check", "--param", "bits=3", "--param", "count=4",
                       "--params", params4,
                       "--proof", str(path))


def test_cli_unsatisfied_witness(monkeypatch, capsys, tmp_path, params4):
    circuit = tmp_path / "wrong_output.py"
    circuit.write_text(WRONG_OUTPUT)
    proof = tmp_path / "wrong.bin"
    common = [str(circuit), "--k", "4", "--params", params4, "--out", str(proof)]
    code, _, err = run_main(monkeypatch, capsys, "prove", *common)
    assert code == 1 and "Traceback" not in err and not proof.exists()
    assert "Equality constraint not satisfied" in err and "= 56" in err
    assert "the witness does not satisfy the circuit (1 failure(s))" in " ".join(err.split())

    code, _, err = run_main(monkeypatch, capsys, "prove", *common, "--no-check")
    assert code == 0 and proof.exists(), err
    assert_cli_invalid(monkeypatch, capsys, str(circuit), "--params", params4, "--proof", str(proof))
