"""G1 arithmetic and encodings against py_ecc's optimized_bn128 (an independent implementation)."""

import random

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from py_ecc import optimized_bn128 as bn

from halo2py.arith.constants import FQ_MODULUS, FR_MODULUS
from halo2py.arith.field import Fq
from halo2py.curve import (
    G1,
    PointError,
    decode_compressed,
    decode_raw,
    decode_uncompressed,
    encode_compressed,
    encode_raw,
    encode_uncompressed,
    raw_view,
)
from halo2py.errors import InputError

R = FR_MODULUS
Q = FQ_MODULUS
rnd = random.Random(20240611)


def ref_point(k: int):
    return bn.multiply(bn.G1, k % R)


def ref_affine(pt):
    """py_ecc point → (x, y) ints, None at infinity."""
    if bn.is_inf(pt):
        return None
    x, y = bn.normalize(pt)
    return int(x), int(y)


def ours(pt) -> np.ndarray:
    """py_ecc point → our affine row, built from ints (not through the code under test's bridge)."""
    xy = ref_affine(pt)
    return np.zeros(8, dtype=np.uint64) if xy is None else G1.from_ints(*xy)


def rescaled(aff: np.ndarray) -> np.ndarray:
    """A Jacobian representative with a random Z ≠ 1: (x·λ², y·λ³, λ)."""
    lam = rnd.randrange(2, Q)
    x, y = G1.to_ints(aff)
    return Fq.from_ints([x * lam * lam, y * lam**3, lam]).reshape(12)


@pytest.fixture(scope="module")
def pts():
    ks = [rnd.randrange(1, R) for _ in range(8)]
    return [(k, ref_point(k)) for k in ks]


def test_generator_and_identity():
    assert G1.to_ints(G1.generator()) == (1, 2)
    assert G1.is_identity(G1.identity())
    assert G1.to_ints(np.zeros(8, dtype=np.uint64)) is None
    assert G1.is_on_curve(np.zeros(8, dtype=np.uint64))


def test_add_double_neg_match_py_ecc(pts):
    for (_, a), (_, b) in zip(pts, pts[1:]):
        pa, pb = rescaled(ours(a)), rescaled(ours(b))
        assert G1.to_ints(G1.to_affine(G1.add(pa, pb))) == ref_affine(bn.add(a, b))
        assert G1.to_ints(G1.to_affine(G1.add_mixed(pa, ours(b)))) == ref_affine(bn.add(a, b))
        assert G1.to_ints(G1.to_affine(G1.double(pa))) == ref_affine(bn.double(a))
        assert G1.to_ints(G1.neg(ours(a))) == ref_affine(bn.neg(a))
        assert G1.eq(G1.neg(pa), ours(bn.neg(a)))


def test_batched_ops_match_rowwise(pts):
    a = np.stack([rescaled(ours(p)) for _, p in pts])
    b = np.stack([ours(p) for _, p in pts[::-1]])
    sums = G1.batch_to_affine(G1.add_mixed(a, b))
    for i, ((_, p), (_, q)) in enumerate(zip(pts, pts[::-1])):
        assert G1.to_ints(sums[i]) == ref_affine(bn.add(p, q))


def test_exceptional_cases():
    p_ref = ref_point(rnd.randrange(1, R))
    p = ours(p_ref)
    pj = rescaled(p)
    zero_aff = np.zeros(8, dtype=np.uint64)
    two_p = ref_affine(bn.double(p_ref))
    # mixed: P + P, P + (−P), P + O, O + P, O + O
    assert G1.to_ints(G1.to_affine(G1.add_mixed(pj, p))) == two_p
    assert G1.is_identity(G1.add_mixed(pj, G1.neg(p)))
    assert G1.eq(G1.add_mixed(pj, zero_aff), p)
    assert G1.eq(G1.add_mixed(G1.identity(), p), p)
    assert G1.is_identity(G1.add_mixed(G1.identity(), zero_aff))
    # Jacobian: the same with two different representatives of P
    assert G1.to_ints(G1.to_affine(G1.add(pj, rescaled(p)))) == two_p
    assert G1.is_identity(G1.add(pj, rescaled(G1.neg(p))))
    assert G1.eq(G1.add(pj, G1.identity()), p)
    assert G1.eq(G1.add(G1.identity(), pj), p)
    assert G1.is_identity(G1.double(G1.identity()))


def test_scalar_mul(pts):
    g = G1.generator()
    for k, ref in pts[:4]:
        assert G1.eq(G1.scalar_mul(g, k), ours(ref))
    k, ref = pts[0]
    assert G1.eq(G1.scalar_mul(rescaled(g), k + 5 * R), ours(ref))
    assert G1.eq(G1.scalar_mul(g, -k), ours(bn.neg(ref)))
    assert G1.is_identity(G1.scalar_mul(g, 0))
    assert G1.is_identity(G1.scalar_mul(g, R))
    assert G1.eq(G1.scalar_mul(g, R - 1), G1.neg(g))
    assert G1.is_identity(G1.scalar_mul(np.zeros(8, dtype=np.uint64), k))


@given(st.integers(0, R - 1), st.integers(0, R - 1))
def test_scalar_mul_is_linear(a, b):
    g = G1.generator()
    lhs = G1.add(G1.scalar_mul(g, a), G1.scalar_mul(g, b))
    assert G1.eq(lhs, G1.scalar_mul(g, a + b))


def test_batch_to_affine_with_identities(pts):
    rows = [rescaled(ours(p)) for _, p in pts]
    rows.insert(2, G1.identity())
    rows.append(G1.identity())
    aff = G1.batch_to_affine(np.stack(rows))
    expect = [ref_affine(p) for _, p in pts]
    expect.insert(2, None)
    expect.append(None)
    assert G1.to_ints(aff) == expect


def test_on_curve_and_eq(pts):
    good = np.stack([ours(p) for _, p in pts])
    assert G1.is_on_curve(good).all()
    bad = good.copy()
    bad[3, 4:] = Fq.add(bad[3:4, 4:], Fq.ones(1))[0]
    assert G1.is_on_curve(bad).tolist() == [i != 3 for i in range(len(pts))]
    assert not G1.eq(good[0], good[1])
    assert G1.eq(good[0], rescaled(good[0]))
    assert not G1.eq(good[0], G1.identity())


def test_from_ints_rejects_bad_points():
    with pytest.raises(InputError, match="not on the curve"):
        G1.from_ints(1, 3)
    with pytest.raises(InputError, match="canonical"):
        G1.from_ints(1, 2 + Q)
    with pytest.raises(InputError):
        G1.add(np.zeros(8, dtype=np.uint64), G1.identity())


def test_py_ecc_bridge(pts):
    for _, p in pts[:3]:
        ours_p = G1.from_py_ecc(p)
        assert bn.eq(G1.to_py_ecc(ours_p), p)
        assert bn.eq(G1.to_py_ecc(rescaled(ours_p)), p)
    assert bn.is_inf(G1.to_py_ecc(G1.identity()))
    assert G1.is_identity(G1.from_py_ecc(bn.Z1))


def test_random_points_on_curve_and_distinct():
    pts = G1.random(300)
    assert G1.is_on_curve(pts).all() and not G1.is_identity(pts).any()
    assert len({bytes(r) for r in pts}) == 300


# ---- encodings -----------------------------------------------------------------------------------

def sample_with_identity(pts):
    return np.stack([ours(p) for _, p in pts] + [np.zeros(8, dtype=np.uint64)])


def expected_compressed(pt) -> bytes:
    xy = ref_affine(pt)
    if xy is None:
        return bytes(31) + b"\x40"
    b = bytearray(xy[0].to_bytes(32, "little"))
    b[31] |= (xy[1] & 1) << 7
    return bytes(b)


def test_compressed_bytes_and_round_trip(pts):
    arr = sample_with_identity(pts)
    enc = encode_compressed(arr)
    assert enc == b"".join(expected_compressed(p) for _, p in pts) + expected_compressed(bn.Z1)
    assert np.array_equal(decode_compressed(enc), arr)
    assert encode_compressed(arr[0]) == enc[:32]
    # both signs of y occur and survive
    signs = {e[31] >> 7 for e in (enc[i:i + 32] for i in range(0, 32 * len(pts), 32))}
    assert signs == {0, 1}


def test_uncompressed_and_raw_round_trip(pts):
    arr = sample_with_identity(pts)
    enc = encode_uncompressed(arr)
    for i, (_, p) in enumerate(pts):
        x, y = ref_affine(p)
        assert enc[64 * i:64 * i + 64] == x.to_bytes(32, "little") + y.to_bytes(32, "little")
    assert enc[-64:] == bytes(64)
    assert np.array_equal(decode_uncompressed(enc), arr)
    raw = encode_raw(arr)
    x0 = ref_affine(pts[0][1])[0]
    assert raw[:32] == (x0 * 2**256 % Q).to_bytes(32, "little")
    assert np.array_equal(decode_raw(raw), arr)
    view = raw_view(arr)  # what a params file is written from: the same bytes, no copy of the points
    assert bytes(view) == raw and np.shares_memory(np.frombuffer(view, dtype=np.uint8), arr)
    assert bytes(raw_view(arr[::2])) == encode_raw(np.ascontiguousarray(arr[::2]))  # a strided one is copied


def _no_root_x() -> int:
    x = 5
    while pow(x**3 + 3, (Q - 1) // 2, Q) == 1:
        x += 1
    return x


def test_compressed_rejections(pts):
    good = bytearray(encode_compressed(sample_with_identity(pts[:3])))
    nb = len(good) // 32

    def rejects(mutate, match):
        data = bytearray(good)
        mutate(data)
        with pytest.raises(InputError, match=match):
            decode_compressed(bytes(data))

    rejects(lambda d: d.__setitem__(32 + 31, d[32 + 31] | 0x40), "point 1: identity flag")
    rejects(lambda d: d.__setitem__(32 * (nb - 1) + 31, 0xC0), f"point {nb - 1}: identity flag")
    rejects(lambda d: d.__setitem__(slice(32, 64), bytes(32)), "point 1: no curve point")
    no_root = _no_root_x().to_bytes(32, "little")
    rejects(lambda d: d.__setitem__(slice(64, 96), no_root), "point 2: no curve point")
    # x + q still fits in 254 bits for small x: non-canonical
    x_plus_q = (ref_affine(pts[0][1])[0] + Q)
    if x_plus_q < 2**254:
        rejects(lambda d: d.__setitem__(slice(0, 32), x_plus_q.to_bytes(32, "little")), "point 0: x")
    rejects(lambda d: d.__setitem__(slice(0, 32), (2**254 - 1).to_bytes(32, "little")), "point 0: x")
    with pytest.raises(InputError, match="multiple of 32"):
        decode_compressed(bytes(good[:-1]))
    # every single-bit flip of the flag-free part either fails or decodes to another point
    for bit in range(0, 254, 37):
        data = bytearray(good[:32])
        data[bit // 8] ^= 1 << (bit % 8)
        try:
            other = decode_compressed(bytes(data))
        except InputError:
            continue
        assert not np.array_equal(other[0], ours(pts[0][1]))


def test_uncompressed_rejections(pts):
    good = encode_uncompressed(sample_with_identity(pts[:2]))
    bad_y = bytearray(good)
    bad_y[32] ^= 1
    with pytest.raises(InputError, match="point 0 is not on the curve"):
        decode_uncompressed(bytes(bad_y))
    big = bytearray(good)
    big[64 + 32:64 + 64] = Q.to_bytes(32, "little")
    with pytest.raises(InputError, match="point 1: y"):
        decode_uncompressed(bytes(big))
    half = bytearray(good)
    half[128:160] = (1).to_bytes(32, "little")  # identity row with x = 1, y = 0
    with pytest.raises(InputError, match="point 2"):
        decode_uncompressed(bytes(half))
    raw = bytearray(encode_raw(sample_with_identity(pts[:2])))
    raw[5] ^= 0x10
    with pytest.raises(InputError, match="point 0"):
        decode_raw(bytes(raw))
    with pytest.raises(PointError, match="multiple of 64"):
        decode_raw(bytes(raw[:-3]))
