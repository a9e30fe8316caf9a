"""GWC and SHPLONK: honest batches verify, any single tampered evaluation or commitment fails,
and the proof points equal what halo2's transcript flow prescribes, recomputed here from τ with
Python ints (so the challenge order and every formula are pinned, not only self-consistency)."""

import random

import pytest
from py_ecc import optimized_bn128 as bn

from halo2py.arith.constants import FR_MODULUS as R
from halo2py.arith.field import Fr
from halo2py.commitment import kzg
from halo2py.commitment.multiopen import ProverQuery, VerifierQuery, create_proof, verify_proof
from halo2py.commitment.params import ParamsKZG
from halo2py.curve.points import G1
from halo2py.errors import InputError
from halo2py.randomness import seeded_rng
from halo2py.transcript import Blake2bRead, Blake2bWrite, TranscriptError

K = 4
N = 1 << K
OMEGA = pow(pow(7, (R - 1) >> 28, R), 1 << (28 - K), R)
X = 0x1234567890ABCDEF
POINTS = [X, OMEGA * X % R, pow(OMEGA, -1, R) * X % R]
# (polynomial index, point index): rotations 0/+1/−1 of one polynomial, two polynomials sharing a
# rotation set, and a point order that differs from the polynomial order.
LAYOUT = [(0, 0), (0, 1), (1, 0), (2, 2), (2, 0), (3, 1), (3, 0)]


@pytest.fixture(scope="module")
def env():
    params = ParamsKZG.setup(K, seeded_rng(21, "setup"))
    tau = Fr.to_ints(Fr.random(1, seeded_rng(21, "setup")))[0]
    rng = random.Random(4)
    coeffs = [[rng.randrange(R) for _ in range(m)] for m in (N, N, N - 3, N)]
    polys = [Fr.from_ints(c) for c in coeffs]
    commitments = [kzg.commit(params, p) for p in polys]
    return params, tau, coeffs, polys, commitments


def horner(coeffs, z):
    acc = 0
    for c in reversed(coeffs):
        acc = (acc * z + c) % R
    return acc


def prove(env, scheme, layout=LAYOUT):
    params, _, _, polys, _ = env
    t = Blake2bWrite()
    create_proof(params, t, [ProverQuery(POINTS[j], polys[i]) for i, j in layout], scheme)
    return t.proof_bytes


def verifier_queries(env, layout=LAYOUT):
    _, _, coeffs, _, commitments = env
    return [VerifierQuery(POINTS[j], commitments[i], horner(coeffs[i], POINTS[j])) for i, j in layout]


def check(env, scheme, proof, queries):
    return verify_proof(env[0], Blake2bRead(proof), queries, scheme)


@pytest.mark.parametrize("scheme", ["gwc", "shplonk"])
def test_honest_batch_verifies(env, scheme):
    proof = prove(env, scheme)
    assert len(proof) == (3 * 32 if scheme == "gwc" else 64)  # one W per point / h and h'
    assert proof == prove(env, scheme)  # deterministic
    reader = Blake2bRead(proof)
    assert verify_proof(env[0], reader, verifier_queries(env), scheme)
    reader.assert_exhausted()


@pytest.mark.parametrize("scheme", ["gwc", "shplonk"])
def test_every_single_tampering_is_rejected(env, scheme):
    proof = prove(env, scheme)
    honest = verifier_queries(env)
    other = kzg.commit(env[0], Fr.from_ints([5, 6, 7]))
    for idx in range(len(honest)):
        q = honest[idx]
        wrong_eval = honest[:idx] + [VerifierQuery(q.point, q.commitment, q.eval + 1)] + honest[idx + 1:]
        assert not check(env, scheme, proof, wrong_eval), f"eval {idx} tampered"
    # a wrong commitment: replace all queries of polynomial 1 (keeps the query structure)
    wrong_commitment = [VerifierQuery(q.point, other if i == 1 else q.commitment, q.eval)
                        for q, (i, _) in zip(honest, LAYOUT)]
    assert not check(env, scheme, proof, wrong_commitment)


@pytest.mark.parametrize("scheme", ["gwc", "shplonk"])
def test_tampered_proof_bytes(env, scheme):
    proof = bytearray(prove(env, scheme))
    proof[0] ^= 1  # another x: either no point (TranscriptError) or the wrong point
    try:
        assert not check(env, scheme, bytes(proof), verifier_queries(env))
    except TranscriptError:
        pass
    with pytest.raises(TranscriptError):
        check(env, scheme, bytes(proof[:-1]), verifier_queries(env))


def test_linear_combination_commitment(env):
    """A verifier commitment given as Σ s·C (how a verifier forms h from its pieces)."""
    params, _, coeffs, polys, commitments = env
    s = 987654321
    combined = [(a + s * b) % R for a, b in zip(coeffs[0], coeffs[1])]
    poly = Fr.from_ints(combined)
    msm_commitment = [(1, commitments[0]), (s, commitments[1])]
    for scheme in ("gwc", "shplonk"):
        t = Blake2bWrite()
        create_proof(params, t, [ProverQuery(POINTS[0], poly), ProverQuery(POINTS[1], polys[3])], scheme)
        queries = [VerifierQuery(POINTS[0], msm_commitment, horner(combined, POINTS[0])),
                   VerifierQuery(POINTS[1], commitments[3], horner(coeffs[3], POINTS[1]))]
        assert check(env, scheme, t.proof_bytes, queries)


def test_scheme_mismatch_and_unknown_scheme(env):
    gwc_proof = prove(env, "gwc")
    assert not check(env, "shplonk", gwc_proof[:64], verifier_queries(env))
    with pytest.raises(InputError, match="unknown multiopen scheme"):
        create_proof(env[0], Blake2bWrite(), [], "kzg-magic")


# ---- the exact halo2 flow, recomputed from τ --------------------------------------------------

def _point(scalar):
    return G1.from_py_ecc(bn.multiply(bn.G1, scalar % R))


def _lagrange_eval(points, evals, x):
    total = 0
    for i, (pi, yi) in enumerate(zip(points, evals)):
        term = yi
        for j, pj in enumerate(points):
            if j != i:
                term = term * (x - pj) * pow(pi - pj, -1, R) % R
        total += term
    return total % R


def _vanishing(points, x):
    acc = 1
    for p in points:
        acc = acc * (x - p) % R
    return acc


def test_gwc_points_follow_halo2(env):
    params, tau, coeffs, _, _ = env
    proof = prove(env, "gwc")
    ref = Blake2bWrite()
    v = ref.squeeze_challenge()
    # points in order of first appearance; polynomials at each point in query order, powers of v
    # restarting at every point
    for j in (0, 1, 2):
        polys_here = [coeffs[i] for i, jj in LAYOUT if jj == j]
        z = POINTS[j]
        num = sum(pow(v, m, R) * (horner(c, tau) - horner(c, z)) for m, c in enumerate(polys_here))
        ref.write_point(_point(num * pow(tau - z, -1, R)))
    assert proof == ref.proof_bytes


def test_shplonk_points_follow_halo2(env):
    params, tau, coeffs, _, _ = env
    proof = prove(env, "shplonk")
    # rotation sets in order of their first polynomial; members in order of first appearance
    sets = [([POINTS[0], POINTS[1]], [0, 3]), ([POINTS[0]], [1]), ([POINTS[0], POINTS[2]], [2])]
    super_points = POINTS
    ref = Blake2bWrite()
    y = ref.squeeze_challenge()
    v = ref.squeeze_challenge()
    h_tau = 0
    for i, (pts, members) in enumerate(sets):
        inner = 0
        for m, idx in enumerate(members):
            evals = [horner(coeffs[idx], p) for p in pts]
            inner += pow(y, m, R) * (horner(coeffs[idx], tau) - _lagrange_eval(pts, evals, tau))
        h_tau += pow(v, i, R) * inner * pow(_vanishing(pts, tau), -1, R)
    h_tau %= R
    ref.write_point(_point(h_tau))
    u = ref.squeeze_challenge()
    l_tau = 0
    z_diffs = []
    for i, (pts, members) in enumerate(sets):
        z_i = _vanishing([p for p in super_points if p not in pts], u)
        z_diffs.append(z_i)
        for m, idx in enumerate(members):
            evals = [horner(coeffs[idx], p) for p in pts]
            l_tau += pow(v, i, R) * z_i * pow(y, m, R) * (horner(coeffs[idx], tau) - _lagrange_eval(pts, evals, u))
    l_tau -= _vanishing(super_points, u) * h_tau
    ref.write_point(_point(l_tau * pow(tau - u, -1, R) * pow(z_diffs[0], -1, R)))
    assert proof == ref.proof_bytes
