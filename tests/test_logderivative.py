"""Log-derivative lookups (Scroll v1.1's): the multiplicities against a naive count and halo2's
search rule, proofs that verify, and proofs from a cheating prover that do not."""

import random

import pytest

import plonk_cases as cases
from halo2py import pipeline
from halo2py.arith.field import Fr
from halo2py.plonk import lookup
from halo2py.plonk.container import ProofFile
from halo2py.plonk.lookup import LookupInputNotInTable
from halo2py.plonk.verifier import VerificationError

LOOKUP_CASES = [name for name in cases.CASES if cases.compiled(name).lookups]


def test_multiplicities_count_every_input_on_a_row_of_its_value():
    rng = random.Random(5)
    for _ in range(20):
        table = [rng.randrange(6) for _ in range(12)]
        inputs = [rng.choice(table) for _ in range(12)]
        m = Fr.to_ints(lookup.multiplicities(Fr.from_ints(inputs), Fr.from_ints(table), 16, "t"))
        assert sum(m) == len(inputs) and all(v == 0 for v in m[12:])
        for value in set(inputs):
            assert sum(m[r] for r in range(12) if table[r] == value) == inputs.count(value)
        assert all(m[r] == 0 or table[r] in inputs for r in range(12))


def test_halo2s_search_picks_the_row_of_its_bisection():
    """Table rows 5, 5, 5, 7 (stably sorted as they are): bisection over 4 rows looks at index 2
    first, finds 5 there and counts on row 2 — not on the first 5."""
    m = lookup.multiplicities(Fr.from_ints([5, 5]), Fr.from_ints([5, 5, 5, 7]), 8, "t")
    assert Fr.to_ints(m) == [0, 0, 2, 0, 0, 0, 0, 0]
    with pytest.raises(LookupInputNotInTable, match="input value 6 is not in the table"):
        lookup.multiplicities(Fr.from_ints([6]), Fr.from_ints([5, 7]), 4, "t")


@pytest.mark.parametrize("scheme", ["shplonk", "gwc"])
@pytest.mark.parametrize("name", LOOKUP_CASES)
def test_log_derivative_proofs_verify_and_tampered_ones_do_not(name, scheme):
    circuit, params = cases.circuit(name), cases.params(cases.k_of(name))
    proof = pipeline.prove(circuit, params, "chunked", scheme, seed=3, dialect="scroll-v1.1").proof
    pipeline.verify(circuit, proof, params, dialect="scroll-v1.1")
    with pytest.raises(VerificationError):  # the classic dialect's key is another key
        pipeline.verify(circuit, proof, params)
    data = bytearray(proof.transcript)
    data[len(data) // 2] ^= 4
    tampered = ProofFile(proof.k, proof.multiopen, proof.vk_digest, proof.instances, bytes(data), proof.copies)
    with pytest.raises(Exception) as exc:
        pipeline.verify(circuit, tampered, params, dialect="scroll-v1.1")
    assert exc.value.exit_code == 1


def test_a_prover_with_wrong_multiplicities_is_caught(monkeypatch):
    """m moved from one table row to another row of a different value: φ no longer returns to 0."""
    name = LOOKUP_CASES[0]
    circuit, params = cases.circuit(name), cases.params(cases.k_of(name))
    honest = lookup.multiplicities

    def cheat(inputs, table, n, what):
        m = honest(inputs, table, n, what)
        ints = Fr.to_ints(m)
        rows = [r for r in range(len(table)) if ints[r]]
        values = Fr.to_ints(table)
        other = next(r for r in range(len(table)) if values[r] != values[rows[0]])
        ints[rows[0]] -= 1
        ints[other] += 1
        return Fr.from_ints(ints)

    monkeypatch.setattr(lookup, "multiplicities", cheat)
    proof = pipeline.prove(circuit, params, "chunked", "shplonk", seed=3, dialect="scroll-v1.1", check=False).proof
    with pytest.raises(VerificationError):
        pipeline.verify(circuit, proof, params, dialect="scroll-v1.1")
