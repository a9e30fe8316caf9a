"""The proof file container and the verifying-key file: round trips, and every malformed variant
rejected as bad input (exit 2) rather than as an invalid proof or a crash."""

import struct

import pytest
from hypothesis import given
from hypothesis import strategies as st

import plonk_cases as cases
from halo2py import pipeline
from halo2py.arith.constants import FR_MODULUS as R
from halo2py.errors import InputError
from halo2py.plonk.container import CONTAINER_VERSION, MAGIC, SCHEMES, ContainerError, ProofFile
from halo2py.plonk.verifier import VerificationError
from halo2py.plonk.vkfile import vk_from_bytes, vk_to_bytes

HEADER = len(MAGIC) + 4 + 32 + 1  # magic, version/k/scheme, vk digest, copies


def proof_files():
    scalar = st.integers(0, R - 1)
    return st.builds(ProofFile, st.integers(0, 255), st.sampled_from(SCHEMES), scalar,
                     st.lists(st.lists(scalar, max_size=4), max_size=3), st.binary(max_size=200))


@given(proof_files())
def test_container_round_trip(proof):
    assert ProofFile.from_bytes(proof.to_bytes()) == proof


def test_real_proof_round_trip():
    proof = cases.proof("range_check", "chunked", "gwc")
    data = proof.to_bytes()
    assert data[:len(MAGIC)] == MAGIC
    assert ProofFile.from_bytes(data) == proof


def reject(data: bytes, message: str | None = None):
    with pytest.raises(ContainerError, match=message) as exc:
        ProofFile.from_bytes(data)
    assert exc.value.exit_code == 2


@pytest.fixture(scope="module")
def proof_bytes() -> bytes:
    """A small container with two instance columns, so the instance parsing is exercised too."""
    return ProofFile(4, "shplonk", 12345, [[1, 2, R - 1], [7]], bytes(range(96))).to_bytes()


def test_bad_magic(proof_bytes):
    for i in range(len(MAGIC)):
        data = bytearray(proof_bytes)
        data[i] ^= 0x20
        reject(bytes(data), "not a halo2py proof file")
    reject(b"PK\x03\x04" + proof_bytes[4:], "bad magic")


@pytest.mark.parametrize("version", [0, CONTAINER_VERSION + 1, 0xFFFF])
def test_unknown_version(proof_bytes, version):
    data = proof_bytes[:8] + struct.pack("<H", version) + proof_bytes[10:]
    reject(data, f"unsupported proof file version {version}")


def test_unknown_scheme(proof_bytes):
    reject(proof_bytes[:11] + bytes([len(SCHEMES)]) + proof_bytes[12:], "unknown multiopen scheme id 2")


def test_every_truncation(proof_bytes):
    for length in range(len(proof_bytes)):
        reject(proof_bytes[:length], "truncated while reading|more than its data holds")


def test_trailing_bytes(proof_bytes):
    reject(proof_bytes + b"\0", "1 trailing bytes")


@pytest.mark.parametrize("value", [R, R + 1, 2**256 - 1])
def test_non_canonical_instance(proof_bytes, value):
    data = bytearray(proof_bytes)
    first_value = HEADER + 4 + 4
    data[first_value:first_value + 32] = value.to_bytes(32, "little")
    reject(bytes(data), "instance value is not a canonical field element")


@pytest.mark.parametrize("offset", [HEADER, HEADER + 4], ids=["instance column count", "instance count"])
def test_huge_counts_are_truncation_not_allocation(proof_bytes, offset):
    """The parser reads on (and fails) instead of trusting a declared count of 2^32 − 1."""
    data = proof_bytes[:offset] + struct.pack("<I", 2**32 - 1) + proof_bytes[offset + 4:]
    reject(data)


def test_huge_transcript_length(proof_bytes):
    at = len(proof_bytes) - 96 - 8
    reject(proof_bytes[:at] + struct.pack("<Q", 2**64 - 1) + proof_bytes[at + 8:], "truncated while reading transcript")


# --- verifying-key files ---------------------------------------------------------------------

@pytest.fixture(scope="module")
def fib_vk():
    return pipeline.verifying_key(cases.circuit("fibonacci"), cases.params(cases.k_of("fibonacci")))


@pytest.mark.parametrize("case", list(cases.CASES))
def test_vk_round_trip(case):
    vk = pipeline.verifying_key(cases.circuit(case), cases.params(cases.k_of(case)))
    back = vk_from_bytes(vk_to_bytes(vk), cases.compiled(case))
    assert back.k == vk.k and back.transcript_repr == vk.transcript_repr
    assert (back.fixed_commitments == vk.fixed_commitments).all()
    assert (back.permutation_commitments == vk.permutation_commitments).all()
    layout = cases.layout(case)
    assert len(back.fixed_commitments) == len(layout.fixed_columns)
    assert len(back.permutation_commitments) == len(layout.permutation_columns)


def test_bit_flips_of_a_vk_file_are_rejected(fib_vk):
    """One bit of every byte, and both flag bits (sign, identity) of every point."""
    data = vk_to_bytes(fib_vk)
    flags = [8 * (len(data) - 1 - 32 * p) + b for p in range(3) for b in (6, 7)]
    for bit in [8 * i + i % 8 for i in range(len(data))] + flags:
        corrupt = bytearray(data)
        corrupt[bit // 8] ^= 1 << (bit % 8)
        with pytest.raises(InputError):
            vk_from_bytes(bytes(corrupt), fib_vk.cs, "vk")


def test_truncated_or_extended_vk_file(fib_vk):
    data = vk_to_bytes(fib_vk)
    for length in range(len(data)):
        with pytest.raises(InputError):
            vk_from_bytes(data[:length], fib_vk.cs)
    with pytest.raises(InputError, match="expected 3 points, found 97 bytes"):
        vk_from_bytes(data + b"\0", fib_vk.cs)


def test_vk_of_another_circuit_is_rejected(fib_vk):
    with pytest.raises(InputError, match="made for a different constraint system"):
        vk_from_bytes(vk_to_bytes(fib_vk), cases.compiled("range_check"))


def write_vk(tmp_path, spec, k, assignments=()):
    vk = pipeline.verifying_key(cases.build(spec, k, assignments), cases.params(k))
    path = tmp_path / f"{spec}-{k}.vk"
    path.write_bytes(vk_to_bytes(vk))
    return str(path)


def test_vk_file_for_another_k_is_bad_input(tmp_path):
    """Same constraint system, other k: the file parses, and the k mismatch is reported."""
    proof = cases.proof("fibonacci")
    with pytest.raises(InputError, match="the vk is for k = 5 but the proof is for k = 4"):
        pipeline.verify(cases.circuit("fibonacci"), proof, cases.params(4), write_vk(tmp_path, "fibonacci", 5))


def test_vk_file_with_other_fixed_columns_rejects_the_proof(tmp_path):
    """Same constraint system and k, another selector layout (terms=9): an invalid proof, exit 1."""
    proof = cases.proof("fibonacci")
    vk_path = write_vk(tmp_path, "fibonacci", 4, ("terms=9",))
    with pytest.raises(VerificationError, match="different verifying key") as exc:
        pipeline.verify(cases.circuit("fibonacci"), proof, cases.params(4), vk_path)
    assert exc.value.exit_code == 1
