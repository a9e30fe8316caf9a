"""MSM against py_ecc: naive Σ kᵢ·Pᵢ for small n, and bases of known discrete log for large n,
with scalars and bases that stress the batch-affine buckets."""

import json
import random
import sys

import numba
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from py_ecc import optimized_bn128 as bn
from typer.testing import CliRunner

import halo2py.curve.msm  # noqa: F401  (the module, shadowed by the re-exported function)
from halo2py.arith.constants import FR_MODULUS
from halo2py.arith.field import Fr
from halo2py.arith.ifma import cpu_has_ifma
from halo2py.cli.app import app, main
from halo2py.curve import G1, msm, msm_affine, vector
from halo2py.curve._atomic import fetch_add
from halo2py.errors import InputError
from halo2py.profiling.model import msm_scratch_bytes

R = FR_MODULUS
msm_mod = sys.modules["halo2py.curve.msm"]
rnd = random.Random(7)
# The scalar batch kernels, and the IFMA ones where the CPU has them (both against py_ecc).
PATHS = pytest.mark.parametrize("ifma", [False, pytest.param(True, marks=pytest.mark.skipif(
    not cpu_has_ifma(), reason="this CPU has no AVX-512 IFMA"))])


def py_ecc_affine(pt) -> np.ndarray:
    if bn.is_inf(pt):
        return np.zeros(8, dtype=np.uint64)
    x, y = bn.normalize(pt)
    return G1.from_ints(int(x), int(y))


def naive(bases_ref, ks):
    acc = bn.Z1
    for p, k in zip(bases_ref, ks):
        acc = bn.add(acc, bn.multiply(p, k))
    return acc


def scalars_with_edges(n):
    ks = [rnd.randrange(R) for _ in range(n)]
    for i, edge in enumerate([0, R - 1, 1]):
        if i < n:
            ks[(i * 7) % n] = edge
    return ks


def py_ecc_bases(n):
    """Distinct random-looking points from py_ecc alone: a walk P, P + S, P + 2S, …"""
    p = bn.multiply(bn.G1, rnd.randrange(1, R))
    step = bn.multiply(bn.G1, rnd.randrange(1, R))
    out = []
    for _ in range(n):
        out.append(p)
        p = bn.add(p, step)
    return out


@pytest.mark.parametrize("glv", [True, False])
@pytest.mark.parametrize("n", [1, 2, 3, 17, 256])
def test_msm_matches_naive_sum(n, glv):
    bases_ref = py_ecc_bases(n)
    bases = np.stack([py_ecc_affine(p) for p in bases_ref])
    ks = scalars_with_edges(n)
    expect = py_ecc_affine(naive(bases_ref, ks))
    got = msm(bases, Fr.from_ints(ks), glv=glv)
    assert G1.eq(got, expect)
    assert np.array_equal(msm_affine(bases, Fr.from_ints(ks)), expect)


@PATHS
@pytest.mark.parametrize("glv", [True, False])
def test_repeated_and_identity_bases(glv, ifma):
    p = bn.multiply(bn.G1, rnd.randrange(1, R))
    q = bn.multiply(bn.G1, rnd.randrange(1, R))
    pool = [p, p, bn.neg(p), bn.Z1, q, p, bn.Z1, q, bn.neg(q)]
    ks = scalars_with_edges(len(pool))
    ks[1] = ks[0]
    ks[2] = ks[0]  # P·k + P·k − P·k: exercises doubling and cancellation in one bucket
    bases = np.stack([py_ecc_affine(b) for b in pool])
    assert G1.eq(msm(bases, Fr.from_ints(ks), glv=glv, ifma=ifma), py_ecc_affine(naive(pool, ks)))


@pytest.mark.parametrize("n", [1, 2, 5, 64])
def test_small_msm_matches_py_ecc_with_edge_scalars_and_bases(n):
    """G1.small_msm (the verifier's serial Straus) against py_ecc's Σ k·P: random bases and
    scalars with 0, 1 and r − 1 among them, then repeated, negated and identity bases (every
    exceptional addition: P + P in the tables, P + (−P) and ∞ operands in the sum)."""
    bases_ref = py_ecc_bases(n)
    ks = scalars_with_edges(n)
    bases = np.stack([py_ecc_affine(b) for b in bases_ref])
    assert np.array_equal(G1.to_affine(G1.small_msm(bases, ks)), py_ecc_affine(naive(bases_ref, ks)))
    p = bn.multiply(bn.G1, rnd.randrange(1, R))
    pool = [p, p, bn.neg(p), bn.Z1, p]
    k = rnd.randrange(R)
    for ks in ([k, k, k, 5, 3], [k, 0, k, 0, R - k], [1, 1, 1, 1, 1]):
        got = G1.small_msm(np.stack([py_ecc_affine(b) for b in pool]), ks)
        assert np.array_equal(G1.to_affine(got), py_ecc_affine(naive(pool, ks)))
    assert G1.is_identity(G1.small_msm(bases, [0] * n))


def test_one_point_to_affine_over_ints_is_the_batch_kernel():
    """A single Jacobian point goes to affine over Python ints; a batch by the kernel: the same
    rows, the identity included."""
    jac = msm_mod.msm(G1.random(8), Fr.random(8))
    points = np.stack([jac, G1.double(jac), np.zeros(12, dtype=np.uint64), G1.add(jac, G1.double(jac))])
    batch = G1.batch_to_affine(points)
    assert [G1.to_affine(p).tolist() for p in points] == batch.tolist()
    assert not batch[2].any() and G1.is_on_curve(batch).all()


def test_degenerate_sums_are_identity():
    bases = G1.random(5)
    assert G1.is_identity(msm(bases, Fr.zeros(5)))
    assert G1.is_identity(msm(bases, Fr.zeros(5), glv=False))
    assert G1.is_identity(msm(np.zeros((4, 8), dtype=np.uint64), Fr.random(4)))
    assert G1.is_identity(msm(np.zeros((0, 8), dtype=np.uint64), Fr.zeros(0)))
    # P·k + (−P)·k
    both = np.stack([bases[0], G1.neg(bases[0])])
    k = Fr.from_ints([12345, 12345])
    assert np.array_equal(msm_affine(both, k), np.zeros(8, dtype=np.uint64))


def known_log_bases(n):
    """Points t_i·G with t_i = a + i·b (mod r) known, built by repeated addition."""
    a, b = rnd.randrange(1, R), rnd.randrange(1, R)
    g = G1.to_jacobian(G1.generator())
    start = G1.scalar_mul(g, a).reshape(1, 12)
    step = G1.scalar_mul(g, b).reshape(1, 12)
    out = np.empty((n, 12), dtype=np.uint64)
    vector.vec_progressions(start, step, out)
    return G1.batch_to_affine(out), [(a + i * b) % R for i in range(n)]


@PATHS
@pytest.mark.parametrize("glv", [True, False])
@pytest.mark.parametrize("window", [None, 8, 13, 15])
def test_large_msm_both_bucket_kinds(window, glv, ifma):
    """n = 3000 with Jacobian buckets (c = 8) and batch-affine buckets (c ≥ 13, batches filled)."""
    bases, logs = known_log_bases(3000)
    ks = scalars_with_edges(3000)
    expect = py_ecc_affine(bn.multiply(bn.G1, sum(k * t for k, t in zip(ks, logs)) % R))
    assert G1.eq(msm(bases, Fr.from_ints(ks), window=window, glv=glv, ifma=ifma), expect)


@PATHS
@pytest.mark.parametrize("glv", [True, False])
def test_batch_affine_with_colliding_buckets(glv, ifma):
    """Few distinct bases and scalars: most additions hit a busy bucket (spill), double, or cancel."""
    pool, logs = known_log_bases(4)
    idx = [rnd.randrange(4) for _ in range(2500)]
    kpool = [rnd.randrange(R) for _ in range(3)] + [R - 1]
    kidx = [rnd.randrange(4) for _ in range(2500)]
    bases = pool[idx]
    ks = [kpool[j] for j in kidx]
    total = sum(ks[i] * logs[idx[i]] for i in range(2500)) % R
    expect = py_ecc_affine(bn.multiply(bn.G1, total))
    assert msm_mod.batch_size(13) > 0
    assert G1.eq(msm(bases, Fr.from_ints(ks), window=13, glv=glv, ifma=ifma), expect)


@pytest.mark.skipif(not cpu_has_ifma(), reason="this CPU has no AVX-512 IFMA")
@pytest.mark.parametrize("glv", [True, False])
def test_ifma_and_scalar_paths_agree_limb_for_limb(glv):
    """Random and repeated bases (doubling lanes), every bucket kind: the same Jacobian point."""
    bases = np.concatenate([G1.random(3000), np.repeat(G1.random(8), 64, axis=0)])
    scalars = Fr.random(bases.shape[0])
    for window in (None, 10, 13, 16):
        one = msm(bases, scalars, window=window, glv=glv, ifma=False)
        assert np.array_equal(one, msm(bases, scalars, window=window, glv=glv, ifma=True))


def test_ifma_on_a_cpu_without_it_is_an_error(monkeypatch):
    monkeypatch.setattr(msm_mod, "cpu_has_ifma", lambda: False)
    with pytest.raises(InputError, match="no AVX-512 IFMA"):
        msm(G1.random(2), Fr.random(2), ifma=True)


@given(st.integers(0, R - 1), st.integers(2, 20))
def test_booth_digits_recombine(k, c):
    s = Fr.from_montgomery(Fr.from_ints([k]))
    nwin = (msm_mod.SCALAR_BITS + c - 1) // c
    digits = [msm_mod.booth_digit(s, 0, w, c) for w in range(nwin)]
    assert all(abs(d) <= 1 << (c - 1) for d in digits)
    assert sum(d << (c * w) for w, d in enumerate(digits)) == k


@PATHS
@pytest.mark.parametrize("glv", [True, False])
@pytest.mark.parametrize("threads", [1, 2])
def test_columns_are_each_their_own_msm(glv, ifma, threads):
    """``msm_columns`` over 1, 2, 3 and 5 columns (groups of ``threads`` per call, the last one
    short) gives each column's ``msm`` limb for limb, and py_ecc's point; witness-like columns
    (repeats, constants) among random ones."""
    n = 700
    bases, logs = known_log_bases(n)
    columns = [scalars_with_edges(n), witness_like(n), [0] * n, witness_like(n), scalars_with_edges(n)]
    before = numba.get_num_threads()
    try:
        numba.set_num_threads(min(threads, numba.config.NUMBA_NUM_THREADS))
        for m in (1, 2, 3, 5):
            arrays = [Fr.from_ints(ks) for ks in columns[:m]]
            copies = [a.copy() for a in arrays]
            points = msm_mod.msm_columns(bases, arrays, glv=glv, ifma=ifma, window=10)
            assert points.shape == (m, 12)
            for j in range(m):
                assert np.array_equal(points[j], msm(bases, arrays[j], glv=glv, ifma=ifma, window=10))
                assert G1.eq(points[j], expected(columns[j], logs))
                assert np.array_equal(arrays[j], copies[j])  # the columns are only read
    finally:
        numba.set_num_threads(before)


def test_columns_edge_cases():
    bases = G1.random(3)
    assert msm_mod.msm_columns(bases, []).shape == (0, 12)
    empty = msm_mod.msm_columns(np.zeros((0, 8), dtype=np.uint64), [Fr.zeros(0), Fr.zeros(0)])
    assert empty.shape == (2, 12) and not empty.any()
    with pytest.raises(InputError, match="3 bases but 2 scalars"):
        msm_mod.msm_columns(bases, [Fr.random(3), Fr.random(2)])


def test_msm_input_errors():
    with pytest.raises(InputError, match="2 bases but 3 scalars"):
        msm(G1.random(2), Fr.random(3))
    with pytest.raises(InputError, match=r"\(n, 8\)"):
        msm(np.zeros((2, 12), dtype=np.uint64), Fr.random(2))
    with pytest.raises(InputError, match="window"):
        msm(G1.random(2), Fr.random(2), window=1)


def test_bench_msm_cli(monkeypatch, capsys):
    before = numba.get_num_threads()
    try:
        args = ["bench", "msm", "--k", "5", "--runs", "2", "--threads", "1", "--json"]
        result = CliRunner().invoke(app, args)
        assert result.exit_code == 0, result.output
        obj = json.loads(result.stdout)
        assert obj["op"] == "msm" and obj["k"] == 5 and obj["threads"] == 1 and obj["runs"] == 2
        assert 0 < obj["min_ms"] <= obj["median_ms"]
        assert obj["glv"] is True and obj["window"] == msm_mod.window_bits(32, True)
        off = CliRunner().invoke(app, args + ["--no-glv"])
        assert off.exit_code == 0 and json.loads(off.stdout)["glv"] is False
        assert json.loads(off.stdout)["ifma"] is msm_mod.use_ifma()
        scalar = CliRunner().invoke(app, args + ["--no-ifma"])
        assert scalar.exit_code == 0 and json.loads(scalar.stdout)["ifma"] is False
        assert obj["columns"] == 1
        batch = CliRunner().invoke(app, args + ["--columns", "3"])
        assert batch.exit_code == 0 and json.loads(batch.stdout)["columns"] == 3
        assert isinstance(CliRunner().invoke(app, args + ["--columns", "0"]).exception, InputError)
        table = CliRunner().invoke(app, ["bench", "msm", "--k", "2", "--runs", "1"])
        assert table.exit_code == 0 and table.stdout == "" and "median ms" in table.stderr
        assert "GLV on" in table.stderr and "IFMA o" in table.stderr
    finally:
        numba.set_num_threads(before)
    monkeypatch.setattr(sys, "argv", ["halo2py", "bench", "msm", "--k", "25"])
    with pytest.raises(SystemExit) as exc:
        main()
    assert exc.value.code == 2
    assert capsys.readouterr().err.strip() == "error: --k must be between 0 and 24, got 25"


@numba.njit(parallel=True)
def _claim_all(n, workers, runs, taken):
    for _ in numba.prange(workers):
        t = fetch_add(taken, 0, 1)
        while t < n:
            runs[t] += 1
            t = fetch_add(taken, 0, 1)
    return taken[0]


def test_workers_take_every_task_once():
    """The MSM's task handout: each index is returned to exactly one worker."""
    before = numba.get_num_threads()
    try:
        numba.set_num_threads(numba.config.NUMBA_NUM_THREADS)
        for n, workers in [(0, 2), (1, 2), (1000, 2), (1000, 5)]:
            runs = np.zeros(n, dtype=np.int64)
            assert _claim_all(n, workers, runs, np.zeros(1, dtype=np.int64)) == n + workers
            assert (runs == 1).all()
    finally:
        numba.set_num_threads(before)


# ---- inputs that stress the batch-affine buckets ------------------------------------------------
# Scalars as witness columns have them (each value twice in a row, small, constant, 0 / 1 / r − 1),
# points that overflow the wait queue into the Jacobian spill (and cancel there), and bucket
# contents that make the chained bucket sum double or cancel.


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


def test_scalar_weight_counts_rows_by_the_digits_their_scalars_have():
    """Against Python ints: a value of 64 bits or more weighs a row, a smaller nonzero one a
    quarter, zero nothing — on a mix of random, small, one and zero rows."""
    from halo2py.curve.msm import scalar_weight

    rng = np.random.default_rng(7)
    ints = [int.from_bytes(rng.bytes(32), "little") % Fr.modulus for _ in range(40)]
    ints += [int(v) for v in rng.integers(1, 1 << 63, 30)]
    ints += [0] * 20 + [1] * 10 + [(1 << 64) - 1, 1 << 64]
    rng.shuffle(ints)
    expected = sum(1.0 if v >> 64 else (0.25 if v else 0.0) for v in ints)
    assert scalar_weight(Fr.from_ints(ints)) == expected
