"""MSM inputs that stress the batch-affine buckets: scalars as witness columns have them (each
value twice in a row, small, constant, 0 / 1 / r − 1), points that overflow the wait queue into
the Jacobian spill (and cancel there), and bucket contents that make the chained bucket sum
double or cancel. Every result against a reference from known discrete logs (py_ecc); IFMA and
scalar paths limb for limb, GLV on and off the same point."""

import random
import sys

import numpy as np
import pytest
from py_ecc import optimized_bn128 as bn

import halo2py.curve.msm  # noqa: F401  (the module, shadowed by the re-exported function)
from halo2py.arith.constants import FR_MODULUS
from halo2py.arith.field import Fr
from halo2py.arith.ifma import cpu_has_ifma
from halo2py.curve import G1, msm, vector
from halo2py.profiling.model import msm_scratch_bytes

R = FR_MODULUS
msm_mod = sys.modules["halo2py.curve.msm"]
rnd = random.Random(31)
PATHS = pytest.mark.parametrize("ifma", [False, pytest.param(True, marks=pytest.mark.skipif(
    not cpu_has_ifma(), reason="this CPU has no AVX-512 IFMA"))])


def py_ecc_affine(pt) -> np.ndarray:
    if bn.is_inf(pt):
        return np.zeros(8, dtype=np.uint64)
    x, y = bn.normalize(pt)
    return G1.from_ints(int(x), int(y))


def known_log_bases(n):
    """Points t_i·G with t_i = a + i·b (mod r) known, built by repeated addition."""
    a, b = rnd.randrange(1, R), rnd.randrange(1, R)
    g = G1.to_jacobian(G1.generator())
    start = G1.scalar_mul(g, a).reshape(1, 12)
    step = G1.scalar_mul(g, b).reshape(1, 12)
    out = np.empty((n, 12), dtype=np.uint64)
    vector.vec_progressions(start, step, out)
    return G1.batch_to_affine(out), [(a + i * b) % R for i in range(n)]


def expected(ks, logs):
    return py_ecc_affine(bn.multiply(bn.G1, sum(k * t for k, t in zip(ks, logs)) % R))


def check_all_paths(bases, ks, logs, windows):
    """Every window × GLV × IFMA path gives the reference point; IFMA and scalar limb for limb."""
    want = expected(ks, logs)
    scalars = Fr.from_ints(ks)
    for window in windows:
        for glv in (True, False):
            one = msm(bases, scalars, window=window, glv=glv, ifma=False)
            assert G1.eq(one, want), (window, glv)
            if cpu_has_ifma():
                assert np.array_equal(one, msm(bases, scalars, window=window, glv=glv, ifma=True))


def witness_like(n):
    """Scalars as stress's witness columns: each value twice in a row, runs of a constant,
    small values, and the edges 0, 1, r − 1."""
    ks = []
    while len(ks) < n:
        kind = rnd.randrange(4)
        if kind == 0:
            ks += [rnd.randrange(R)] * 2
        elif kind == 1:
            ks += [rnd.choice([0, 1, 2, R - 1])] * rnd.randrange(1, 40)
        elif kind == 2:
            ks.append(rnd.randrange(1 << rnd.randrange(1, 64)))
        else:
            ks.append(rnd.randrange(R))
    return ks[:n]


def test_repeated_and_small_scalars():
    bases, logs = known_log_bases(6000)
    check_all_paths(bases, witness_like(6000), logs, (None, 10, 13, 16))


def test_every_scalar_twice_in_a_row():
    """Stress's columns: about every other point finds its bucket busy and waits a batch."""
    bases, logs = known_log_bases(8192)
    ks = [k for k in (rnd.randrange(R) for _ in range(4096)) for _ in range(2)]
    check_all_paths(bases, ks, logs, (None, 13))


def test_one_scalar_for_all_points():
    """Every point in one bucket per window: the queue overflows into the spill."""
    bases, logs = known_log_bases(5000)
    for k in (1, 2, R - 1, rnd.randrange(R)):
        check_all_paths(bases, [k] * 5000, logs, (None, 13))


def test_spilled_points_that_cancel():
    """P, Q, −P, −Q, … with one scalar: the bucket holds P with Q pending, the rest wait and
    then spill, where they cancel in pairs; the spill folded back must leave the bucket as is."""
    pool, logs = known_log_bases(2)
    cycle = np.stack([pool[0], pool[1], G1.neg(pool[0]), G1.neg(pool[1])])
    for extra in (0, 1, 2, 3):
        n = 4 * 800 + extra
        bases = cycle[np.arange(n) % 4]
        signs = [(1, 0), (0, 1), (-1, 0), (0, -1)]
        k = rnd.randrange(R)
        total = [sum(signs[i % 4][j] for i in range(n)) for j in range(2)]
        want = py_ecc_affine(bn.multiply(bn.G1, k * (total[0] * logs[0] + total[1] * logs[1]) % R))
        for glv in (True, False):
            for ifma in (False, True) if cpu_has_ifma() else (False,):
                got = msm(bases, Fr.from_ints([k] * n), window=13, glv=glv, ifma=ifma)
                assert G1.eq(got, want), (extra, glv, ifma)


@PATHS
@pytest.mark.parametrize("glv", [True, False])
def test_bucket_sum_chains_double_and_cancel(glv, ifma):
    """A scalar d < 2^(c−1) puts its point in bucket d − 1 of window 0 alone (GLV leaves such a
    scalar whole), so the buckets can be filled by hand: with c = 13 the sum runs 256 chains
    over buckets j, j + 256, …; equal points along a chain make its running sums double, opposite
    ones make them cancel, empty buckets make the weighted sum double (W += R with R = W)."""
    c = 13
    nb = 1 << (c - 1)
    m = msm_mod.reduction_chains(nb, msm_mod.batch_size(c))
    assert m == 256
    pool, logs = known_log_bases(3)
    p, q = pool[0], pool[1]
    rows, ks, ls = [], [], []

    def put(bucket, point, log):
        rows.append(point)
        ks.append(bucket + 1)
        ls.append(log)

    for j in range(m):
        kind = j % 5
        for i in range(nb // m):
            b = j + m * i
            if b == nb - 1:  # d = 2^(c−1) would recode to −2^(c−1) and a carry
                continue
            if kind == 0:  # the same point all along the chain
                put(b, p, logs[0])
            elif kind == 1:  # P, −P, P, −P, …: the running sum cancels every other step
                put(b, p if i % 2 else G1.neg(p), logs[0] if i % 2 else -logs[0])
            elif kind == 2 and i % 3 == 0:  # mostly empty buckets
                put(b, q, logs[1])
            elif kind == 3:  # P then −P from the top: the running sum cancels, then restarts
                put(b, G1.neg(p) if i == 14 else p, -logs[0] if i == 14 else logs[0])
            # kind 4: an empty chain
    bases = np.stack(rows)
    want = expected(ks, ls)
    got = msm(bases, Fr.from_ints(ks), window=c, glv=glv, ifma=ifma)
    assert G1.eq(got, want)


def test_reduction_chains_fit_the_batch():
    for nb, batch, m in [(1 << 15, 2048, 512), (1 << 12, 1024, 256), (512, 128, 64), (32, 1, 1),
                         (4096, 64, 64), (1 << 19, 2048, 2048)]:
        assert msm_mod.reduction_chains(nb, batch) == m
        assert msm_mod.reduction_chains.py_func(nb, batch) == m


def test_scratch_model_counts_the_chains():
    c = msm_mod.window_bits(1 << 18, True)
    nb = 1 << (c - 1)
    assert msm_scratch_bytes(1 << 18, 2) > 2 * 32 * (1 << 18) + 2 * nb * (64 + 96)
