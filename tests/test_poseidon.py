"""Poseidon (BN254, t = 3): generated parameters, the plain-int permutation, and the circuit.

References, independent of our code: the Poseidon authors' published permutation vectors
(hadeshash ``test_vectors.txt``, repeated in circomlibjs ``test/poseidonperm.js`` and
``test/poseidon.js``), circomlib's published constants, and ``light-poseidon-python`` (bindings
to the light-poseidon Rust crate, circomlibjs-compatible) on random inputs.
"""

import random
from functools import reduce

import pytest
from hypothesis import given
from hypothesis import strategies as st

from halo2py.circuits.poseidon import Poseidon, PoseidonParams
from halo2py.circuits.poseidon_params import bn254_t3, hash2, permute, round_states
from halo2py.arith.constants import FR_MODULUS
from halo2py.arith.field import Fr
from halo2py.errors import InputError
from halo2py.frontend.circuit import load_circuit_class, synthesize
from halo2py.frontend.mock import ConstraintNotSatisfied, MockProver, PermutationNotSatisfied

# poseidonperm_x5_254_3 applied to [0, 1, 2]; word 0 is circomlib's poseidon([1, 2]).
PERM_0_1_2 = [
    0x115CC0F5E7D690413DF64C6B9662E9CF2A3617F2743245519E19607A4417189A,
    0x0FCA49B798923AB0239DE1C9E7A4A9A2210312B6A2F616D18B5A87F9B628AE29,
    0x0E7AE82E40091E63CBD4F16A6D16310B3729D4B6E138FCF54110E2867045A30C,
]

fr = st.integers(min_value=0, max_value=FR_MODULUS - 1)


def test_permutation_matches_published_vector():
    assert permute([0, 1, 2]) == PERM_0_1_2


def test_hash_matches_circomlib_vector():
    assert hash2(1, 2) == PERM_0_1_2[0]


def test_generated_constants_match_circomlib_tables():
    """First/last round constant and the first MDS row as printed in circomlib's tables."""
    spec = bn254_t3()
    assert len(spec.round_constants) == 65
    assert spec.round_constants[0][0] == (
        0x0EE9A592BA9A9518D05986D656F40C2114C4993C11BB29938D21D47304CD8E6E
    )
    assert spec.round_constants[-1][2] == (
        0x1DA55CC900F0D21F4A3E694391918A1B3C23B2AC773C6B3EF88E2E4228325161
    )
    assert spec.mds[0] == (
        0x109B7F411BA0E4C9B2B70CAF5C36A7B194BE7C11AD24378BFEDB68592BA8118B,
        0x16ED41E13BB9C0C66AE119424FDDBCBC9314DC9FDBDEEA55D6C64543DC4903E0,
        0x2B90BBA00FCA0589F617E7DCBFE82E0DF706AB640CEB247B791A93B74E36736D,
    )


@given(fr, fr)
def test_hash_matches_light_poseidon(a, b):
    from light_poseidon_python import poseidon_hash

    assert hash2(a, b) == int(poseidon_hash([a, b]))


def test_round_states_end_in_the_permutation():
    states = list(round_states([3, 5, 7]))
    assert len(states) == 65
    assert states[-1] == permute([3, 5, 7])
    assert len({tuple(s) for s in states}) == 65


def test_permutation_rejects_wrong_width():
    with pytest.raises(ValueError, match="3 cells"):
        permute([1, 2])


# --- the circuit ------------------------------------------------------------------------------
def _light_poseidon_chain(message):
    from light_poseidon_python import poseidon_hash

    return reduce(lambda a, b: int(poseidon_hash([a, b])), message)


def _output_row(synthesis, hash_number: int) -> int:
    region = next(r for r in synthesis.assignment.regions if r.name == f"poseidon hash {hash_number}")
    return region.start + bn254_t3().rounds


@pytest.fixture(scope="module")
def honest():
    """The default circuit (message 1..4, three hashes) on a random message, synthesised once."""
    rng = random.Random(20240607)
    message = [rng.randrange(FR_MODULUS) for _ in range(4)]
    circuit = Poseidon(PoseidonParams(), {"message": [hex(x) for x in message]})
    return message, circuit, synthesize(circuit)


def test_circuit_digest_matches_reference(honest):
    message, circuit, syn = honest
    expected = _light_poseidon_chain(message)
    assert circuit.instances() == [[expected]]
    state = syn.config.state[0]
    assert syn.assignment.value(state, _output_row(syn, 3)) == expected
    assert syn.assignment.value(syn.config.digest, 0) == expected


def test_circuit_single_hash_is_circomlib_vector():
    circuit = Poseidon(PoseidonParams(length=2), {"message": [1, 2]})
    assert circuit.instances() == [[PERM_0_1_2[0]]]
    assert MockProver.run(None, circuit).verify() == []


def test_mock_prover_accepts_honest_witness(honest):
    assert MockProver(honest[2].assignment).verify() == []


def test_degree_six_needs_extension_eight(honest):
    cs = honest[2].cs
    assert cs.degree() == 6
    assert cs.quotient_extension() == 8


def test_tampered_state_cell_fails_round_gates():
    circuit = Poseidon(PoseidonParams(length=3))
    syn = synthesize(circuit)
    s1 = syn.config.state[1]
    row = _output_row(syn, 2) - 30  # a partial round in the middle of the second hash
    column = syn.assignment.advice[s1.index]
    column[row] = Fr.add(column[row:row + 1], Fr.from_ints([1]))[0]
    failures = MockProver(syn.assignment).verify()
    assert failures and all(isinstance(f, ConstraintNotSatisfied) for f in failures)
    rows = {(f.gate_name, f.location.row) for f in failures}
    assert ("partial round", row - 1) in rows  # the round that produced the cell
    assert ("partial round", row) in rows      # the round that consumed it
    assert {f.location.region_name for f in failures} == {"poseidon hash 2"}


def test_nonzero_capacity_is_caught_by_the_constant_copy():
    """A forged trace of the permutation of [7, 1, 2] satisfies every round gate; only the
    copy pinning the capacity to the constant 0 (and the digest copy) can reject it."""
    syn = synthesize(Poseidon(PoseidonParams(length=2), {"message": [1, 2]}))
    start = _output_row(syn, 1) - bn254_t3().rounds
    forged = [[7, 1, 2]] + list(round_states([7, 1, 2]))
    for j, column in enumerate(syn.config.state):
        syn.assignment.advice[column.index][start:start + len(forged)] = Fr.from_ints(
            [st[j] for st in forged])
    failures = MockProver(syn.assignment).verify()
    assert failures and all(isinstance(f, PermutationNotSatisfied) for f in failures)
    # halo2's directions: copy(constants cell, capacity cell), copy(output cell, digest cell)
    assert {(f.column.name, f.other_column.name) for f in failures} == {("constants", "s0"),
                                                                        ("s0", "digest")}


def test_wrong_public_digest_fails_the_copy():
    class WrongDigest(Poseidon):
        def instances(self):
            return [[self.digest() + 1]]

    failures = MockProver.run(None, WrongDigest()).verify()
    assert len(failures) == 1 and isinstance(failures[0], PermutationNotSatisfied)


def test_registered_under_its_name():
    assert load_circuit_class("poseidon") is Poseidon


def test_bad_message_and_params_are_input_errors():
    with pytest.raises(InputError, match="length=4"):
        Poseidon(inputs={"message": [1, 2, 3]}).instances()
    with pytest.raises(InputError, match="at least 2"):
        PoseidonParams(length=1)
    with pytest.raises(InputError, match="k >= 9"):
        synthesize(Poseidon(PoseidonParams(length=5)))
