"""GLV: constants, φ = [λ] against py_ecc, the scalar split against Python ints, GLV MSM against
py_ecc sums and the plain (non-GLV) path."""

import itertools
import random
import sys

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from py_ecc import optimized_bn128 as bn

import halo2py.curve.msm  # noqa: F401  (the module, shadowed by the re-exported function)
from halo2py.arith.constants import FQ, FR_MODULUS
from halo2py.arith.field import Fq, Fr
from halo2py.arith.ifma import cpu_has_ifma
from halo2py.curve import G1, glv, msm, vector

R = FR_MODULUS
P = FQ.p
msm_mod = sys.modules["halo2py.curve.msm"]
rnd = random.Random(12)


def split_ints(ks):
    """The kernel's split of canonical ints, decoded to signed (k1, k2) pairs."""
    out = np.empty((len(ks), 4), dtype=np.uint64)
    glv.split(Fr.from_montgomery(Fr.from_ints(ks)), out)

    def half(row, j):
        lo, hi = int(row[2 * j]), int(row[2 * j + 1])
        mag = lo | (hi & ((1 << 63) - 1)) << 64
        return -mag if hi >> 63 else mag

    return out, [(half(row, 0), half(row, 1)) for row in out]


def test_constants():
    assert (glv.LAMBDA ** 2 + glv.LAMBDA + 1) % R == 0
    assert pow(glv.BETA, 3, P) == 1 and glv.BETA != 1
    # v1 = (A1, −B1) and v2 = (A2, B2) lie in {(a, b): a + b·λ ≡ 0} and span it (determinant r)
    assert (glv.A1 - glv.B1 * glv.LAMBDA) % R == 0
    assert (glv.A2 + glv.B2 * glv.LAMBDA) % R == 0
    assert glv.A1 * glv.B2 + glv.A2 * glv.B1 == R
    assert max(glv.A1, glv.A2, glv.B1, glv.B2).bit_length() <= 127


def test_phi_is_lambda_on_random_points():
    pts = [bn.multiply(bn.G1, rnd.randrange(1, R)) for _ in range(6)]
    aff = np.stack([G1.from_py_ecc(p) for p in pts] + [np.zeros(8, dtype=np.uint64)])
    phix = np.empty((aff.shape[0], 4), dtype=np.uint64)
    glv.phi_x(aff, phix)
    got = Fq.to_ints(phix)
    for p, x in zip(pts, got):
        lx, ly = bn.normalize(bn.multiply(p, glv.LAMBDA))
        px, py = bn.normalize(p)
        assert x == int(lx) == glv.BETA * int(px) % P and int(ly) == int(py)
    assert got[-1] == 0  # the identity stays (0, 0)


EDGES = [0, 1, 2, R - 1, R - 2, glv.LAMBDA, R - glv.LAMBDA, 2 * glv.LAMBDA % R, 12345 * glv.LAMBDA % R,
         glv.LAMBDA ** 2 % R, 1 << 127, (1 << 128) - 1, 1 << 128, (1 << 253), R // 2, R // 2 + 1,
         glv.A1, glv.A2, glv.B1, glv.B2]


@pytest.mark.parametrize("ks", [EDGES, [rnd.randrange(R) for _ in range(5000)]], ids=["edges", "random"])
def test_split_identity_and_bound(ks):
    _, halves = split_ints(ks)
    bound = 5 * (glv.A1 + glv.A2) // 8 + 1
    for k, (k1, k2) in zip(ks, halves):
        assert (k1 + k2 * glv.LAMBDA - k) % R == 0
        assert abs(k1) <= bound and abs(k2) <= bound < 1 << 127


def test_split_of_multiples_of_lambda_and_small():
    _, halves = split_ints([0, 1, 7, glv.LAMBDA, 3 * glv.LAMBDA % R])
    assert halves[:3] == [(0, 0), (1, 0), (7, 0)]
    assert halves[3:] == [(0, 1), (0, 3)]


@given(st.integers(0, R - 1), st.integers(2, 20))
def test_digits_recombine_to_each_half(k, c):
    rows, [(k1, k2)] = split_ints([k])
    nwin = msm_mod.window_count(c, True)
    for half, value in ((0, k1), (1, k2)):
        digits = [glv.digit(rows, 0, half, w, c) for w in range(nwin)]
        assert all(abs(d) <= msm_mod.window_buckets(c, True, w) for w, d in enumerate(digits))
        assert sum(d << (c * w) for w, d in enumerate(digits)) == value


def known_log_bases(n):
    a, b = rnd.randrange(1, R), rnd.randrange(1, R)
    g = G1.to_jacobian(G1.generator())
    start = G1.scalar_mul(g, a).reshape(1, 12)
    step = G1.scalar_mul(g, b).reshape(1, 12)
    out = np.empty((n, 12), dtype=np.uint64)
    vector.vec_progressions(start, step, out)
    return G1.batch_to_affine(out), [(a + i * b) % R for i in range(n)]


def expected(ks, logs):
    return G1.from_py_ecc(bn.multiply(bn.G1, sum(k * t for k, t in zip(ks, logs)) % R))


@pytest.mark.parametrize("n,window", [(1, None), (2, None), (9, None), (300, None), (3000, None),
                                      (3000, 5), (3000, 8), (3000, 13), (3000, 14), (3000, 15), (3000, 16)])
def test_glv_msm_matches_reference(n, window):
    """Every window width, incl. those whose top window has few buckets (c = 14, 15)."""
    bases, logs = known_log_bases(n)
    ks = [rnd.randrange(R) for _ in range(n)]
    for i, edge in enumerate([0, R - 1, glv.LAMBDA, 1]):
        ks[(i * 5) % n] = edge
    scalars = Fr.from_ints(ks)
    got = msm(bases, scalars, window=window)
    assert G1.eq(got, expected(ks, logs))
    assert G1.eq(got, msm(bases, scalars, window=window, glv=False))


def test_glv_msm_repeated_identity_and_zero():
    """Few distinct bases, identities and zero scalars: collisions, doublings, cancellations."""
    pool, logs = known_log_bases(3)
    pool = np.vstack([pool, np.zeros((1, 8), dtype=np.uint64)])
    logs = logs + [0]
    idx = [rnd.randrange(4) for _ in range(2500)]
    kpool = [0, glv.LAMBDA, R - 1, rnd.randrange(R)]
    ks = [kpool[rnd.randrange(4)] for _ in range(2500)]
    ks[1], idx[1] = ks[0], idx[0]
    bases = pool[idx]
    want = expected(ks, [logs[j] for j in idx])
    for window in (None, 13, 16):
        assert G1.eq(msm(bases, Fr.from_ints(ks), window=window), want)
    # P·k + (−P)·k and all-zero scalars
    both = np.stack([pool[0], G1.neg(pool[0])])
    assert G1.is_identity(msm(both, Fr.from_ints([glv.LAMBDA + 5] * 2)))
    assert G1.is_identity(msm(pool, Fr.zeros(4)))


@pytest.mark.parametrize("split,c,batch", [(True, 13, 256), (True, 6, 0), (False, 13, 64), (False, 6, 1),
                                           (True, 16, 2048), (True, 15, 2048)])
@pytest.mark.parametrize("plan", ["threads", "uneven"])
def test_tasks_sum_to_the_msm(split, c, batch, plan):
    """Windows cut into item ranges (the plan for 3 threads, or uneven thirds of every window)
    sum to the right point; c = 15 with GLV has a top window of few (Jacobian) buckets."""
    n = 1000
    bases, logs = known_log_bases(n)
    ks = [rnd.randrange(R) for _ in range(n)]
    prepared = Fr.from_montgomery(Fr.from_ints(ks))
    phix = np.empty((n if split else 0, 4), dtype=np.uint64)
    if split:
        glv.split(prepared, prepared)
        glv.phi_x(bases, phix)
    items = n * (2 if split else 1)
    if plan == "threads":
        tasks = msm_mod.plan_tasks(items, 3, split, 3)
        assert len(tasks) == msm_mod.window_count(3, split) + 3
        tasks = msm_mod.plan_tasks(items, c, split, 3)
    else:
        cuts = [(0, 1), (1, items // 3), (items // 3, items)]
        tasks = np.array([(0, w, lo, hi) for w in range(msm_mod.window_count(c, split)) for lo, hi in cuts])
    for use_ifma in (None, True) if cpu_has_ifma() else (None,):  # scalar and IFMA batches
        out = np.zeros((1, 12), dtype=np.uint64)
        msm_mod.pippenger(bases, phix, prepared[None], split, c, batch, tasks, 2, np.zeros(1, dtype=np.int64), out,
                          use_ifma)
        assert G1.eq(out[0], expected(ks, logs))


@pytest.mark.parametrize("split", [True, False])
def test_columns_in_one_call_sum_each_to_its_msm(split):
    """Three columns' tasks in one queue, the last ones cut, every column's windows apart:
    each column's point is its own MSM (py_ecc), whichever column's tasks come first."""
    n, c = 600, 10
    bases, logs = known_log_bases(n)
    ks = [[rnd.randrange(R) for _ in range(n)] for _ in range(3)]
    prepared = np.stack([Fr.from_montgomery(Fr.from_ints(col)) for col in ks])
    phix = np.empty((n if split else 0, 4), dtype=np.uint64)
    if split:
        for j in range(3):
            glv.split(prepared[j], prepared[j])
        glv.phi_x(bases, phix)
    items = n * (2 if split else 1)
    tasks = msm_mod.plan_tasks(items, c, split, 2, 3)
    for order in (tasks, tasks[::-1].copy()):
        out = np.zeros((3, 12), dtype=np.uint64)
        msm_mod.pippenger(bases, phix, prepared, split, c, 64, order, 2, np.zeros(1, dtype=np.int64), out, None)
        for j in range(3):
            assert G1.eq(out[j], expected(ks[j], logs)), j


def test_plan_covers_every_window_once():
    for items, c, split, threads in [(1 << 21, 16, True, 2), (1 << 18, 15, False, 2), (100, 13, True, 2),
                                     (1 << 20, 8, True, 1), (1 << 20, 20, True, 8)]:
        for columns in (1, 3):
            tasks = msm_mod.plan_tasks(items, c, split, threads, columns)
            windows = msm_mod.window_count(c, split)
            for col, w in itertools.product(range(columns), range(windows)):
                rows = sorted((lo, hi) for tc, tw, lo, hi in tasks if (tc, tw) == (col, w))
                assert rows[0][0] == 0 and rows[-1][1] == items
                assert all(a[1] == b[0] for a, b in itertools.pairwise(rows))
            cut = min(threads, columns * windows) if threads > 1 and items >= 8 << c else 0
            assert len(tasks) == columns * windows + cut
            assert all(hi - lo == items for _, _, lo, hi in tasks[:len(tasks) - 2 * cut])  # halves come last
