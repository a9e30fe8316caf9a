"""The three halo2curves compressed G1 encodings: bytes against a reference written here from py_ecc
ints and the halo2curves rules, strict rejections, and the first commitments of Rust's proofs."""

import random

import halo2_vectors as hv
import numpy as np
import pytest
from py_ecc import optimized_bn128 as bn

from halo2py.arith.constants import FQ_MODULUS as Q
from halo2py.curve import PointEncoding, decode_compressed, encode_compressed, encoding_for
from halo2py.curve.points import G1, PointError

LEGACY, V04, V07 = PointEncoding.LEGACY, PointEncoding.V0_4, PointEncoding.V0_7


def reference(xy, encoding) -> bytes:
    """halo2curves' writer: (sign bit, identity bytes) per generation; xy None is the identity."""
    sign_bit, identity_byte = {LEGACY: (7, 0x00), V04: (6, 0x80), V07: (7, 0x40)}[encoding]
    if xy is None:
        return bytes(31) + bytes([identity_byte])
    b = bytearray(xy[0].to_bytes(32, "little"))
    b[31] |= (xy[1] & 1) << sign_bit
    return bytes(b)


@pytest.fixture(scope="module")
def sample():
    """Random points (both parities of y) and the identity, as affine arrays and int pairs."""
    rng = random.Random(41)
    pairs = [tuple(int(c) for c in bn.normalize(bn.multiply(bn.G1, rng.randrange(1, 2**250)))) for _ in range(12)]
    assert {y & 1 for _, y in pairs} == {0, 1}
    points = np.stack([G1.from_ints(x, y) for x, y in pairs] + [np.zeros(8, dtype=np.uint64)])
    return points, pairs + [None]


@pytest.mark.parametrize("encoding", list(PointEncoding))
def test_bytes_match_halo2curves_rules_and_round_trip(sample, encoding):
    points, pairs = sample
    data = encode_compressed(points, encoding)
    assert data == b"".join(reference(p, encoding) for p in pairs)
    assert np.array_equal(decode_compressed(data, encoding), points)


def test_default_is_v07():
    points = G1.random(3)
    assert encode_compressed(points) == encode_compressed(points, V07)
    assert np.array_equal(decode_compressed(encode_compressed(points, V07)), points)


def test_names():
    assert encoding_for("legacy") is LEGACY
    assert encoding_for("identity_bit7_ysign_bit6") is encoding_for("v0.4") is V04
    assert encoding_for("V0.7") is V07 and encoding_for(V04) is V04
    with pytest.raises(PointError, match="unknown point encoding 'v0.5'"):
        encoding_for("v0.5")


def _no_root_x() -> int:
    x = 1
    while pow(x**3 + 3, (Q - 1) // 2, Q) == 1:
        x += 1
    return x


def _with(good: bytes, i: int, chunk: bytes) -> bytes:
    return good[:32 * i] + chunk + good[32 * (i + 1):]


@pytest.mark.parametrize("encoding", list(PointEncoding))
def test_common_rejections(sample, encoding):
    points, pairs = sample
    good = encode_compressed(points, encoding)
    with pytest.raises(PointError, match="point 2: no curve point"):
        decode_compressed(_with(good, 2, reference((_no_root_x(), 0), encoding)), encoding)
    x_plus_q = pairs[0][0] + Q
    if x_plus_q < 2**254:
        with pytest.raises(PointError, match="point 0: x is not a canonical"):
            decode_compressed(_with(good, 0, reference((x_plus_q, pairs[0][1]), encoding)), encoding)
    with pytest.raises(PointError, match="multiple of 32"):
        decode_compressed(good[:-1], encoding)


def test_legacy_rejections(sample):
    points, _ = sample
    good = bytearray(encode_compressed(points, LEGACY))
    flagged = bytearray(good)
    flagged[31] |= 0x40  # no flag lives in bit 6: x ≥ 2^254
    with pytest.raises(PointError, match="point 0: x is not a canonical"):
        decode_compressed(bytes(flagged), LEGACY)
    # x = 0 with the sign bit: not the identity, and no curve point has x = 0
    with pytest.raises(PointError, match="point 1: no curve point"):
        decode_compressed(_with(bytes(good), 1, bytes(31) + b"\x80"), LEGACY)
    # the v0.7 identity is no legacy encoding at all
    with pytest.raises(PointError, match="point 3: x is not a canonical"):
        decode_compressed(_with(bytes(good), 3, bytes(31) + b"\x40"), LEGACY)


@pytest.mark.parametrize("encoding, identity_bit, sign_bit", [(V04, 7, 6), (V07, 6, 7)])
def test_flag_rejections(sample, encoding, identity_bit, sign_bit):
    points, pairs = sample
    good = encode_compressed(points, encoding)
    with_x = bytearray(reference(pairs[4], encoding))
    with_x[31] = (with_x[31] & ~(1 << sign_bit)) | (1 << identity_bit)
    with pytest.raises(PointError, match="point 4: identity flag set but x"):
        decode_compressed(_with(good, 4, bytes(with_x)), encoding)
    both = bytes(31) + bytes([(1 << identity_bit) | (1 << sign_bit)])
    with pytest.raises(PointError, match="point 5: identity flag set but x or the sign bit"):
        decode_compressed(_with(good, 5, both), encoding)
    with pytest.raises(PointError, match="point 6: no curve point"):  # zero bytes: legacy's identity
        decode_compressed(_with(good, 6, bytes(32)), encoding)


@pytest.mark.parametrize("case", [c for c in hv.case_names() if hv.load(c)["commitments"].get("advice")])
def test_first_commitments_of_rust_proofs(case):
    """Each proof opens with copy 0's first-phase advice commitments: Rust's bytes for them are our
    encoding of the vector's coordinates, and decode back to them."""
    data = hv.load(case)
    encoding = encoding_for(data["point_serialization"])
    first = data["commitments"]["advice"][0]
    if data["challenges"].get("circuit"):  # two phases: the last advice column is in phase 1
        first = first[:-1]
    points = np.stack([hv.affine(p) for p in first])
    proof = hv.proof_bytes(data)[:32 * len(first)]
    assert encode_compressed(points, encoding) == proof
    assert np.array_equal(decode_compressed(proof, encoding), points)
