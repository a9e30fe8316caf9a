"""Radix-2 NTT over Fr against naive evaluation with Python integers."""

import numba
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from halo2py.arith import ntt
from halo2py.arith.constants import FR_MODULUS as P
from halo2py.arith.field import Fr
from halo2py.errors import InputError
from halo2py.randomness import seeded_rng

# halo2curves' bn256 Fr ROOT_OF_UNITY (a primitive 2^28-th root of unity, 7^((r-1)/2^28)).
HALO2CURVES_ROOT_OF_UNITY = 0x03DDB9F5166D18B798865EA93DD31F743215CF6DD39329C8D34F1ED960C37C9C


def naive_eval(coeffs, x):
    acc = 0
    for c in reversed(coeffs):
        acc = (acc * x + c) % P
    return acc


def naive_dft(coeffs, w):
    n = len(coeffs)
    return [naive_eval(coeffs, pow(w, i, P)) for i in range(n)]


def random_ints(n, seed):
    return Fr.to_ints(Fr.random(n, seeded_rng(seed, "ntt-test")))


def test_roots_of_unity():
    assert ntt.root_of_unity(28) == HALO2CURVES_ROOT_OF_UNITY
    for k in (1, 2, 10, 27, 28):
        w = ntt.root_of_unity(k)
        assert pow(w, 1 << k, P) == 1
        assert pow(w, 1 << (k - 1), P) == P - 1  # primitive
        assert pow(ntt.root_of_unity(28), 1 << (28 - k), P) == w
    assert ntt.root_of_unity(0) == 1
    with pytest.raises(InputError, match="out of range"):
        ntt.root_of_unity(29)


@pytest.mark.parametrize("k", range(0, 7))
def test_ntt_matches_naive_dft(k):
    xs = random_ints(1 << k, k)
    a = Fr.from_ints(xs)
    assert ntt.ntt(a) is a
    assert Fr.to_ints(a) == naive_dft(xs, ntt.root_of_unity(k))
    assert Fr.to_ints(ntt.intt(a)) == xs


@given(st.lists(st.integers(0, P - 1), min_size=8, max_size=8))
@settings(max_examples=25)
def test_intt_matches_naive_inverse(ys):
    """intt(y)[j] = (1/n) Σ_i y_i ω^(−ij): checked directly, not only as ntt's inverse."""
    n = len(ys)
    w_inv = pow(ntt.root_of_unity(3), -1, P)
    n_inv = pow(n, -1, P)
    want = [v * n_inv % P for v in naive_dft(ys, w_inv)]
    assert Fr.to_ints(ntt.intt(Fr.from_ints(ys))) == want


@pytest.mark.parametrize("k", [ntt.LOG_BLOCK + 2, 16])
def test_round_trip_and_spot_values_large(k):
    """Sizes beyond one block exercise the streaming stages; spot-check outputs by Horner."""
    a = Fr.random(1 << k, seeded_rng(k, "large"))
    xs = Fr.to_ints(a)
    b = ntt.ntt(a.copy())
    w = ntt.root_of_unity(k)
    got = Fr.to_ints(b)
    for i in (0, 1, 2, 3, (1 << k) // 2 + 1, (1 << k) - 1):
        assert got[i] == naive_eval(xs, pow(w, i, P)), i
    assert (ntt.intt(b) == a).all()


def test_convolution_theorem():
    """ntt(a)·ntt(b) → intt is the cyclic convolution of a and b."""
    n = 16
    xs, ys = random_ints(n, 101), random_ints(n, 102)
    fa, fb = ntt.ntt(Fr.from_ints(xs)), ntt.ntt(Fr.from_ints(ys))
    conv = Fr.to_ints(ntt.intt(Fr.mul(fa, fb)))
    assert conv == [sum(xs[j] * ys[(i - j) % n] for j in range(n)) % P for i in range(n)]


@pytest.mark.parametrize("k", [0, 1, 3, 5])
def test_coset_ntt_matches_naive(k):
    n = 1 << k
    xs = random_ints(n, 200 + k)
    shift = random_ints(1, 300 + k)[0]
    a = Fr.from_ints(xs)
    ntt.coset_ntt(a, shift)
    w = ntt.root_of_unity(k)
    assert Fr.to_ints(a) == [naive_eval(xs, shift * pow(w, i, P) % P) for i in range(n)]
    assert Fr.to_ints(ntt.coset_intt(a, shift)) == xs


def test_coset_round_trip_large():
    a = Fr.random(1 << 15, seeded_rng(5, "coset"))
    b = ntt.coset_intt(ntt.coset_ntt(a.copy(), 7), 7)
    assert (a == b).all()


def test_distribute_powers():
    n = 10_000  # several chunks, the last one partial
    xs = random_ints(n, 400)
    s = random_ints(1, 401)[0]
    a = Fr.from_ints(xs)
    out = Fr.zeros(n)
    assert ntt.distribute_powers(a, s, out=out) is out
    got = Fr.to_ints(out)
    for j in (0, 1, 4095, 4096, 4097, 9999):
        assert got[j] == xs[j] * pow(s, j, P) % P
    assert Fr.to_ints(a) == xs
    ntt.distribute_powers(a, s)
    assert (a == out).all()


def test_thread_count_does_not_change_result():
    a = Fr.random(1 << 14, seeded_rng(9, "threads"))
    before = numba.get_num_threads()
    try:
        numba.set_num_threads(1)
        one = ntt.ntt(a.copy())
        numba.set_num_threads(numba.config.NUMBA_NUM_THREADS)
        many = ntt.ntt(a.copy())
    finally:
        numba.set_num_threads(before)
    assert (one == many).all()


def test_twiddles_are_cached():
    t = ntt.twiddles(14)
    assert ntt.twiddles(14) is t
    assert t.shape == (1 << 13, 4)
    w = ntt.root_of_unity(14)
    assert Fr.to_ints(t[:3]) == [1, w, w * w % P]
    assert ntt.twiddle_cache_bytes() >= t.nbytes
    ntt.clear_twiddle_cache()
    assert ntt.twiddles(14) is not t


@pytest.mark.parametrize("n", [0, 3, 6, 12])
def test_rejects_non_power_of_two(n):
    with pytest.raises(InputError, match="power of two"):
        ntt.ntt(Fr.zeros(n))


def test_rejects_too_large():
    huge = np.broadcast_to(np.zeros(4, dtype=np.uint64), (1 << 29, 4))  # no memory behind it
    with pytest.raises(InputError, match="at most 2\\^28"):
        ntt.ntt(huge)


@pytest.mark.parametrize("bad", [
    np.zeros((8, 3), dtype=np.uint64),
    np.zeros(8, dtype=np.uint64),
    np.zeros((8, 4), dtype=np.int64),
], ids=["cols3", "1d", "int64"])
def test_rejects_bad_shape(bad):
    with pytest.raises(InputError, match=r"shape \(n, 4\)"):
        ntt.intt(bad)


def test_rejects_strided_and_read_only():
    with pytest.raises(InputError, match="C-contiguous"):
        ntt.ntt(Fr.zeros(16)[::2])
    a = Fr.ones(8)
    a.flags.writeable = False
    with pytest.raises(InputError, match="writeable"):
        ntt.coset_ntt(a, 5)


def test_coset_intt_rejects_zero_shift():
    with pytest.raises(InputError, match="shift"):
        ntt.coset_intt(Fr.ones(4), P)
