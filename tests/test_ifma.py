"""The AVX-512 IFMA lane kernels against Python-int references, and the run-time switch."""

import random

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from numba import njit

from halo2py.arith import ifma, ntt, vector
from halo2py.arith.constants import FQ, FR_MODULUS
from halo2py.arith.field import Fq, Fr
from halo2py.errors import InputError

P = FQ.p
R_INV = FQ.r_inv
needs_ifma = pytest.mark.skipif(not ifma.cpu_has_ifma(), reason="this CPU has no AVX-512 IFMA")
EDGES = [0, 1, 2, P - 1, P - 2, 1 << 252, (1 << 253) + 12345, P - (1 << 200), (1 << 64) - 1, 1 << 208]


def to_block(values) -> np.ndarray:
    """Canonical ints (a multiple of 8 of them) → a (rows, 4, 8) lane block of 64-bit limbs."""
    out = np.zeros((len(values) // 8, 4, 8), dtype=np.uint64)
    for k, v in enumerate(values):
        for i in range(4):
            out[k // 8, i, k % 8] = (v >> (64 * i)) & ((1 << 64) - 1)
    return out


def from_block(block) -> list:
    return [sum(int(block[r, i, j]) << (64 * i) for i in range(4))
            for r in range(block.shape[0]) for j in range(8)]


@njit(cache=True)
def _run(op, a64, b64, out64, out52):
    rows = a64.shape[0]
    a52 = np.empty((rows, ifma.LIMBS, ifma.LANES), dtype=np.uint64)
    b52 = np.empty_like(a52)
    for r in range(rows):
        ifma.pack(a52, r, a64, r)
        ifma.pack(b52, r, b64, r)
        if op == 0:
            ifma.fq_mul(out52, r, a52, r, b52, r)
        elif op == 1:
            ifma.fq_sub(out52, r, a52, r, b52, r)
        else:  # in place: out aliases an input
            out52[r] = a52[r]
            ifma.fq_mul(out52, r, out52, r, b52, r)
        ifma.unpack(out64, r, out52, r)


def run(op, xs, ys):
    a, b = to_block(xs), to_block(ys)
    out64 = np.zeros_like(a)
    out52 = np.zeros((a.shape[0], ifma.LIMBS, ifma.LANES), dtype=np.uint64)
    _run(op, a, b, out64, out52)
    return from_block(out64), out52


def operands(seed, n=64):
    rnd = random.Random(seed)
    xs = [rnd.randrange(P) for _ in range(n)] + EDGES * len(EDGES)
    ys = [rnd.randrange(P) for _ in range(n)] + [e for e in EDGES for _ in EDGES]
    pad = -len(xs) % 8
    return xs + [0] * pad, ys + [P - 1] * pad


@needs_ifma
@given(st.integers(0, 2**32))
def test_mul_and_sub_match_python_ints(seed):
    xs, ys = operands(seed)
    got, raw = run(0, xs, ys)
    assert got == [x * y * R_INV % P for x, y in zip(xs, ys)]  # Montgomery: x·y / 2^256
    assert (raw < (1 << ifma.BITS)).all()  # outputs stay normalized 52-bit limbs
    assert run(1, xs, ys)[0] == [(x - y) % P for x, y in zip(xs, ys)]
    assert run(2, xs, ys)[0] == [x * y * R_INV % P for x, y in zip(xs, ys)]


@needs_ifma
def test_pack_unpack_round_trip_and_limbs():
    xs, _ = operands(3)
    got, raw = run(1, xs, [0] * len(xs))  # x − 0 = x: pack, sub, unpack
    assert got == xs
    assert [ifma.to_limbs52(x) for x in xs] == [tuple(int(v) for v in raw[k // 8, :, k % 8])
                                               for k in range(len(xs))]


@pytest.fixture
def fresh_switch():
    ifma.set_enabled(None)
    yield
    ifma.set_enabled(None)


@pytest.mark.parametrize(("env", "expect"), [("0", False), ("", None)])
def test_switch(monkeypatch, fresh_switch, env, expect):
    monkeypatch.setenv("HALO2PY_IFMA", env)
    assert ifma.enabled() is (ifma.cpu_has_ifma() if expect is None else expect)
    ifma.set_enabled(False)
    assert ifma.enabled() is False


def test_switch_rejects_bad_values(monkeypatch, fresh_switch):
    monkeypatch.setenv("HALO2PY_IFMA", "yes")
    with pytest.raises(InputError, match="HALO2PY_IFMA must be 0 or 1"):
        ifma.enabled()
    monkeypatch.setenv("HALO2PY_IFMA", "1")
    ifma.set_enabled(None)
    monkeypatch.setattr(ifma, "cpu_has_ifma", lambda: False)
    with pytest.raises(InputError, match="no AVX-512 IFMA"):
        ifma.enabled()
    with pytest.raises(InputError, match="no AVX-512 IFMA"):
        ifma.set_enabled(True)


@needs_ifma
@pytest.mark.parametrize("field", [Fr, Fq], ids=["Fr", "Fq"])
def test_row_kernels_match_scalar_kernels(field):
    """vec_mul/vec_scale (IFMA) against the scalar kernels, edge values included, tails too."""
    p = field.modulus
    rnd = random.Random(5)
    for n in (8, 61, 1000):
        xs = [rnd.randrange(p) for _ in range(n)]
        ys = [rnd.randrange(p) for _ in range(n)]
        for i, e in enumerate([0, 1, p - 1, p - 2, 1 << 252, (1 << 253) + 1]):
            xs[i % n], ys[(3 * i) % n] = e % p, e % p
        a, b = field.from_ints(xs), field.from_ints(ys)
        one, two = field.zeros(n), field.zeros(n)
        vector.vec_mul(a, b, one, field.m, field.minv)
        vector.vec_mul_ifma(a, b, two, field.m, field.minv)
        assert np.array_equal(one, two)
        assert field.to_ints(two) == [x * y % p for x, y in zip(xs, ys)]
        s = field.to_mont(rnd.randrange(p))
        vector.vec_scale(a, s, one, field.m, field.minv)
        vector.vec_scale_ifma(a, s, two, field.m, field.minv)
        assert np.array_equal(one, two)
        vector.vec_square(a, one, field.m, field.minv)
        vector.vec_mul_ifma(a, a, a, field.m, field.minv)  # in place
        assert np.array_equal(one, a)


@needs_ifma
@pytest.mark.parametrize("k", [3, 5, 6, 8, 13, 15])
def test_ntt_ifma_matches_scalar(fresh_switch, k):
    """Block stages (the first three scalar under 64 rows at k = 3, 5, one ``dit8_rows`` step
    from k = 6 on; m ≥ 8 IFMA) and the one-pass column stages (k > 12); forward and inverse (its
    reversal and 1/n scaling in one pass, with a tail of 7 rows per pass at k = 13, 15), the
    coset inverse (its un-scaling in the same pass); the coset transform whose scaling rides on
    the bit reversal (a scatter chunk shorter than 256 rows at k = 3 and 5, in tiles from k = 8
    on, a single tile at k = 8)."""
    a = Fr.random(1 << k)
    a[:2] = Fr.from_ints([0, FR_MODULUS - 1])
    powers = Fr.random(1 << k)
    outs = []
    for flag in (False, True):
        ifma.set_enabled(flag)
        outs.append((ntt.ntt(a.copy()), ntt.intt(a.copy()), ntt.coset_ntt(a.copy(), 7),
                     ntt.coset_ntt_with_powers(a, powers, Fr.zeros(1 << k)),
                     ntt.coset_intt(a.copy(), 5)))
    for one, two in zip(*outs):
        assert np.array_equal(one, two)


@needs_ifma
@pytest.mark.parametrize("m", [5, 64, 1024 + 13])
def test_subcoset_fold_ifma_matches_scalar(m):
    """subcoset's fold of four blocks onto a coset: eight values per step, chunk tails (1024 + 13
    leaves 13 rows in the second chunk, 5 rows are all tail) scalar — the scalar kernel's bits."""
    from halo2py.strategies import subcoset
    poly = Fr.random(4 * m)
    starts = [pow(7, lo, FR_MODULUS) for lo in range(0, m, subcoset._FOLD_CHUNK)]
    outs = [Fr.zeros(m), Fr.zeros(m)]
    for fold, out in zip((subcoset._fold, subcoset._fold_ifma), outs):
        fold(poly, out, Fr.from_ints(starts), Fr.to_mont(7), Fr.to_mont(pow(7, m, FR_MODULUS)))
    assert np.array_equal(*outs)
