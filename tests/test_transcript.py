"""The Blake2b transcript against a hand-built reference: hashlib calls with halo2's prefixes and
py_ecc points encoded by hand (x little-endian, y's parity in bit 7 of byte 31)."""

import hashlib
import random

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from py_ecc import optimized_bn128 as bn

from halo2py.arith.constants import FQ_MODULUS, FR_MODULUS
from halo2py.curve.points import G1
from halo2py.errors import Halo2pyError
from halo2py.transcript import Blake2bRead, Blake2bWrite, TranscriptError

R = FR_MODULUS


def ref_state():
    return hashlib.blake2b(digest_size=64, person=b"Halo2-Transcript")


def ref_challenge(state) -> int:
    state.update(b"\x00")
    return int.from_bytes(state.copy().digest(), "little") % R


def py_point(k: int):
    """k·G as (py_ecc affine ints, our affine array)."""
    point = bn.multiply(bn.G1, k)
    x, y = bn.normalize(point)
    return (int(x), int(y)), G1.from_py_ecc(point)


def ref_compressed(x: int, y: int) -> bytes:
    raw = bytearray(x.to_bytes(32, "little"))
    raw[31] |= (y & 1) << 7
    return bytes(raw)


def test_fresh_challenge_is_digest_of_prefix_zero():
    expected = int.from_bytes(hashlib.blake2b(b"\x00", digest_size=64, person=b"Halo2-Transcript").digest(),
                              "little") % R
    assert Blake2bWrite().squeeze_challenge() == expected
    assert Blake2bRead(b"").squeeze_challenge() == expected


def test_squeezing_keeps_the_prefix_in_the_state():
    t = Blake2bWrite()
    ref = ref_state()
    for _ in range(3):
        assert t.squeeze_challenge() == ref_challenge(ref)


def test_writer_matches_reference_and_proof_layout():
    rng = random.Random(1)
    t = Blake2bWrite()
    ref = ref_state()
    expected_proof = b""
    for step in range(6):
        k = rng.randrange(1, R)
        (x, y), pt = py_point(k)
        s = rng.randrange(R)
        t.write_point(pt)
        ref.update(b"\x01" + x.to_bytes(32, "little") + y.to_bytes(32, "little"))
        expected_proof += ref_compressed(x, y)
        t.write_scalar(s)
        ref.update(b"\x02" + s.to_bytes(32, "little"))
        expected_proof += s.to_bytes(32, "little")
        if step % 2:
            t.common_scalar(s + 1)
            ref.update(b"\x02" + ((s + 1) % R).to_bytes(32, "little"))
            t.common_point(pt)
            ref.update(b"\x01" + x.to_bytes(32, "little") + y.to_bytes(32, "little"))
        assert t.squeeze_challenge() == ref_challenge(ref)
    assert t.proof_bytes == expected_proof
    assert t.finalize() == expected_proof
    assert len(expected_proof) == 6 * 64


def test_both_parities_of_y_round_trip():
    parities = set()
    t = Blake2bWrite()
    points = []
    for k in range(1, 12):
        (x, y), pt = py_point(k)
        parities.add(y & 1)
        points.append(pt)
        t.write_point(pt)
    assert parities == {0, 1}
    r = Blake2bRead(t.proof_bytes)
    for pt in points:
        assert np.array_equal(r.read_point(), pt)
    r.assert_exhausted()


@given(st.lists(st.tuples(st.sampled_from(["point", "scalar", "challenge", "common"]),
                          st.integers(1, R - 1)), max_size=12))
def test_reader_replays_writer(ops):
    w = Blake2bWrite()
    written = []
    for kind, v in ops:
        if kind == "point":
            pt = py_point(v)[1]
            w.write_point(pt)
            written.append(pt)
        elif kind == "scalar":
            w.write_scalar(v)
            written.append(v)
        elif kind == "common":
            w.common_scalar(v)
        else:
            written.append(w.squeeze_challenge())
    r = Blake2bRead(w.proof_bytes)
    it = iter(written)
    for kind, v in ops:
        if kind == "point":
            assert np.array_equal(r.read_point(), next(it))
        elif kind == "scalar":
            assert r.read_scalar() == next(it)
        elif kind == "common":
            r.common_scalar(v)
        else:
            assert r.squeeze_challenge() == next(it)
    r.assert_exhausted()
    assert r.squeeze_challenge() == w.squeeze_challenge()


def test_transcript_error_is_an_invalid_proof():
    assert issubclass(TranscriptError, Halo2pyError)
    assert TranscriptError.exit_code == 1


def test_reading_past_the_end():
    w = Blake2bWrite()
    w.write_scalar(5)
    r = Blake2bRead(w.proof_bytes[:31])
    with pytest.raises(TranscriptError, match="ends early"):
        r.read_scalar()
    with pytest.raises(TranscriptError, match="ends early"):
        Blake2bRead(b"").read_point()


def test_trailing_bytes_are_rejected():
    w = Blake2bWrite()
    w.write_scalar(7)
    r = Blake2bRead(w.proof_bytes + b"\x00")
    assert r.read_scalar() == 7
    with pytest.raises(TranscriptError, match="unread"):
        r.assert_exhausted()


def test_non_canonical_scalar():
    with pytest.raises(TranscriptError, match="scalar"):
        Blake2bRead(R.to_bytes(32, "little")).read_scalar()


def test_malformed_points():
    # x = 0: 0 + 3 is not a square in Fq, so no point has it; find such an x and a non-canonical x.
    bad_x = next(x for x in range(1, 100) if pow((x ** 3 + 3) % FQ_MODULUS, (FQ_MODULUS - 1) // 2, FQ_MODULUS) != 1)
    for data in (bad_x.to_bytes(32, "little"), FQ_MODULUS.to_bytes(32, "little")):
        with pytest.raises(TranscriptError, match="invalid point"):
            Blake2bRead(data).read_point()
    identity = bytearray(32)
    identity[31] = 0x40
    with pytest.raises(TranscriptError, match="infinity"):
        Blake2bRead(bytes(identity)).read_point()


def test_writer_refuses_identity():
    with pytest.raises(ValueError, match="infinity"):
        Blake2bWrite().write_point(np.zeros(8, dtype=np.uint64))


def test_a_different_point_gives_a_different_challenge():
    w = Blake2bWrite()
    w.write_point(py_point(3)[1])
    c = w.squeeze_challenge()
    w2 = Blake2bWrite()
    w2.write_point(py_point(4)[1])
    r = Blake2bRead(w2.proof_bytes)
    r.read_point()
    assert r.squeeze_challenge() != c
