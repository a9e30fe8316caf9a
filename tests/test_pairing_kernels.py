"""The Numba pairing (tower, G2 steps, Miller loop, final exponentiation) against independent
references: the schoolbook Python-int Fq12 of ``_fq12_reference`` and py_ecc."""

import _fq12_reference as ref
import numpy as np
import pytest
from py_ecc import optimized_bn128 as bn

from halo2py.arith.constants import FR_MODULUS as R
from halo2py.commitment import pairing
from halo2py.curve import ate, final_exp, miller, tower

P = ref.P
SEEDS = [1, 2, 3]


def k2(c):
    return ref.fq2_to_kernel(c)


def fq6_ref(c0, c1, c2):
    """c0 + c1·v + c2·v² as a reference Fq12 (v = w²)."""
    return [c0, (0, 0), c1, (0, 0), c2, (0, 0)]


def cyclotomic(a):
    """a^((q⁶ − 1)(q² + 1)), computed with the reference: an element of the cyclotomic subgroup."""
    return ref.power(a, (P**6 - 1) * (P**2 + 1))


# ---- Fq2 and Fq6 ------------------------------------------------------------------------------
@pytest.mark.parametrize("seed", SEEDS)
def test_fq2_ops(seed):
    g = ref.rng(seed)
    a, b = ref.rand_fq2(g), ref.rand_fq2(g)
    assert ref.fq2_from_kernel(tower.fq2_mul(k2(a), k2(b))) == ref.fq2_mul(a, b)
    assert ref.fq2_from_kernel(tower.fq2_square(k2(a))) == ref.fq2_mul(a, a)
    assert ref.fq2_from_kernel(tower.fq2_mul_xi(k2(a))) == ref.fq2_mul(a, ref.XI)
    assert ref.fq2_mul(ref.fq2_from_kernel(tower.fq2_inverse(k2(a))), a) == (1, 0)
    assert ref.fq2_from_kernel(tower.fq2_conj(k2(a))) == (a[0], -a[1] % P)


@pytest.mark.parametrize("seed", SEEDS)
def test_fq6_ops(seed):
    g = ref.rng(seed)
    a = [ref.rand_fq2(g) for _ in range(3)]
    b = [ref.rand_fq2(g) for _ in range(3)]
    ka, kb = tuple(k2(c) for c in a), tuple(k2(c) for c in b)

    def back(t):
        return fq6_ref(*(ref.fq2_from_kernel(c) for c in t))

    assert back(tower.fq6_mul(ka, kb)) == ref.mul(fq6_ref(*a), fq6_ref(*b))
    assert back(tower.fq6_square(ka)) == ref.mul(fq6_ref(*a), fq6_ref(*a))
    assert back(tower.fq6_mul_01(ka, kb[0], kb[1])) == ref.mul(fq6_ref(*a), fq6_ref(b[0], b[1], (0, 0)))
    assert ref.mul(back(tower.fq6_inverse(ka)), fq6_ref(*a)) == ref.ONE


# ---- Fq12 -------------------------------------------------------------------------------------
@pytest.mark.parametrize("seed", SEEDS)
def test_fq12_mul_square_inverse(seed):
    g = ref.rng(seed)
    a, b = ref.rand_fq12(g), ref.rand_fq12(g)
    ka, kb = ref.to_kernel(a), ref.to_kernel(b)
    assert ref.from_kernel(tower.fq12_mul(ka, kb)) == ref.mul(a, b)
    assert ref.from_kernel(tower.fq12_square(ka)) == ref.mul(a, a)
    assert ref.mul(ref.from_kernel(tower.fq12_inverse(ka)), a) == ref.ONE


@pytest.mark.parametrize("seed", SEEDS)
def test_fq12_mul_line(seed):
    g = ref.rng(seed)
    f = ref.rand_fq12(g)
    la, lb, lc = (ref.rand_fq2(g) for _ in range(3))
    line = [la, lb, (0, 0), lc, (0, 0), (0, 0)]  # a + b·w + c·w³
    got = tower.fq12_mul_line(ref.to_kernel(f), k2(la), k2(lb), k2(lc))
    assert ref.from_kernel(got) == ref.mul(f, line)


@pytest.mark.parametrize("k", [1, 2, 3, 6])
def test_fq12_frobenius_and_conjugate(k):
    a = ref.rand_fq12(ref.rng(10 + k))
    expected = ref.power(a, P**k)
    if k == 6:
        assert ref.from_kernel(tower.fq12_conj(ref.to_kernel(a))) == expected
    else:
        assert ref.from_kernel(tower.fq12_frobenius(ref.to_kernel(a), k)) == expected


def test_basis_map_to_py_ecc_is_a_ring_map():
    """The documented map into py_ecc's FQ12 preserves products and sends our w to py_ecc's w."""
    g = ref.rng(4)
    a, b = ref.rand_fq12(g), ref.rand_fq12(g)
    assert ref.to_py_ecc(ref.mul(a, b)) == ref.to_py_ecc(a) * ref.to_py_ecc(b)
    w = [(0, 0), (1, 0)] + [(0, 0)] * 4
    assert ref.to_py_ecc(w) == bn.FQ12([0, 1] + [0] * 10)
    assert ref.to_py_ecc([(0, 1)] + [(0, 0)] * 5) ** 2 == -bn.FQ12.one()  # u² = −1


@pytest.mark.parametrize("seed", SEEDS[:2])
def test_cyclotomic_square_and_exp_by_u(seed):
    c = cyclotomic(ref.rand_fq12(ref.rng(seed)))
    assert ref.from_kernel(tower.cyclotomic_square(ref.to_kernel(c))) == ref.mul(c, c)
    assert ref.from_kernel(final_exp.exp_by_u(ref.to_kernel(c))) == ref.power(c, miller.U)


def test_cyclotomic_square_needs_the_subgroup():
    """The Granger–Scott formula is wrong off the subgroup: a test that could catch a misuse."""
    a = ref.rand_fq12(ref.rng(7))
    assert ref.from_kernel(tower.cyclotomic_square(ref.to_kernel(a))) != ref.mul(a, a)


def test_final_exponentiation_matches_py_ecc():
    f = ref.rand_fq12(ref.rng(8))
    got = ref.from_kernel(final_exp.final_exponentiation(ref.to_kernel(f)))
    assert ref.to_py_ecc(got) == ref.to_py_ecc(f) ** ((P**12 - 1) // R)


# ---- G2 steps -----------------------------------------------------------------------------------
def g2_affine(q):
    x, y = bn.normalize(q)
    return (int(x.coeffs[0]), int(x.coeffs[1])), (int(y.coeffs[0]), int(y.coeffs[1]))


def g1_affine(p):
    x, y = bn.normalize(p)
    return int(x), int(y)


def fq2_inv(a):
    n = pow(a[0] * a[0] + a[1] * a[1], -1, P)
    return (a[0] * n % P, -a[1] * n % P)


def projective(q, scale):
    """Kernel (X, Y, Z) for the affine twist point q, scaled by a random Fq2 ``scale``."""
    x, y = g2_affine(q)
    return (k2(ref.fq2_mul(x, scale)), k2(ref.fq2_mul(y, scale)), k2(scale))


def affine_of(t):
    x, y, z = (ref.fq2_from_kernel(c) for c in t)
    zi = fq2_inv(z)
    return ref.fq2_mul(x, zi), ref.fq2_mul(y, zi)


def assert_line(line, slope, t_xy, p_xy):
    """(a, b, c) is an Fq2 multiple of y_P − λ·x_P·w + (λ·x_T − y_T)·w³, by cross-multiplication."""
    a, b, c = (ref.fq2_from_kernel(v) for v in line)
    xp, yp = p_xy
    true_a = (yp, 0)
    true_b = ref.fq2_mul(slope, (-xp % P, 0))
    true_c = ref.fq2_add(ref.fq2_mul(slope, t_xy[0]), (-t_xy[1][0] % P, -t_xy[1][1] % P))
    assert a != (0, 0)
    assert ref.fq2_mul(a, true_b) == ref.fq2_mul(b, true_a)
    assert ref.fq2_mul(a, true_c) == ref.fq2_mul(c, true_a)


@pytest.mark.parametrize("seed", SEEDS)
def test_double_step(seed):
    g = ref.rng(seed)
    q = bn.multiply(bn.G2, g.randrange(1, R))
    p = bn.multiply(bn.G1, g.randrange(1, R))
    xp, yp = g1_affine(p)
    t, *line = miller.double_step(projective(q, ref.rand_fq2(g)), ref.mont(xp), ref.mont(yp))
    assert affine_of(t) == g2_affine(bn.double(q))
    x, y = g2_affine(q)
    slope = ref.fq2_mul(ref.fq2_mul((3, 0), ref.fq2_mul(x, x)), fq2_inv(ref.fq2_mul((2, 0), y)))
    assert_line(line, slope, (x, y), (xp, yp))


@pytest.mark.parametrize("seed", SEEDS)
def test_add_step(seed):
    g = ref.rng(seed)
    q1 = bn.multiply(bn.G2, g.randrange(1, R))
    q2 = bn.multiply(bn.G2, g.randrange(1, R))
    p = bn.multiply(bn.G1, g.randrange(1, R))
    xp, yp = g1_affine(p)
    (qx, qy) = g2_affine(q2)
    t, *line = miller.add_step(projective(q1, ref.rand_fq2(g)), k2(qx), k2(qy), ref.mont(xp), ref.mont(yp))
    assert affine_of(t) == g2_affine(bn.add(q1, q2))
    x1, y1 = g2_affine(q1)
    dy = ref.fq2_add(y1, (-qy[0] % P, -qy[1] % P))
    dx = ref.fq2_add(x1, (-qx[0] % P, -qx[1] % P))
    assert_line(line, ref.fq2_mul(dy, fq2_inv(dx)), (qx, qy), (xp, yp))


@pytest.mark.parametrize("power", [1, 2])
def test_twist_frobenius_is_multiplication_by_q(power):
    """On G2 the q-power Frobenius acts as the scalar q (mod r)."""
    q = bn.multiply(bn.G2, ref.rng(power).randrange(1, R))
    x, y = g2_affine(q)
    step = miller.twist_frobenius if power == 1 else miller.twist_frobenius2
    got = tuple(ref.fq2_from_kernel(c) for c in step(k2(x), k2(y)))
    assert got == g2_affine(bn.multiply(q, P**power % R))


# ---- the pairing ------------------------------------------------------------------------------
def rows(pairs):
    g1 = np.array([[v for c in g1_affine(p) for v in ref.mont(c)] for p, _ in pairs], dtype=np.uint64)
    g2 = np.array([[v for c in g2_affine(q) for part in c for v in ref.mont(part)] for _, q in pairs],
                  dtype=np.uint64)
    return g1, g2


def product(pairs):
    out = np.empty((ate.FQ12_ROWS, 4), dtype=np.uint64)
    ate.pairing_product(*rows(pairs), out)
    return ref.from_rows(out)


def test_pairing_value_equals_py_ecc():
    g = ref.rng(20)
    p = bn.multiply(bn.G1, g.randrange(1, R))
    q = bn.multiply(bn.G2, g.randrange(1, R))
    assert ref.to_py_ecc(product([(p, q)])) == bn.pairing(q, p)


def test_two_pair_product_equals_py_ecc():
    g = ref.rng(21)
    pairs = [(bn.multiply(bn.G1, g.randrange(1, R)), bn.multiply(bn.G2, g.randrange(1, R))) for _ in range(2)]
    expected = bn.pairing(pairs[0][1], pairs[0][0]) * bn.pairing(pairs[1][1], pairs[1][0])
    assert ref.to_py_ecc(product(pairs)) == expected


@pytest.mark.parametrize("seed", SEEDS)
def test_bilinearity(seed):
    g = ref.rng(30 + seed)
    a, b = g.randrange(1, R), g.randrange(1, R)
    lhs = [(bn.multiply(bn.G1, a), bn.multiply(bn.G2, b)), (bn.multiply(bn.G1, R - a * b % R), bn.G2)]
    assert product(lhs) == ref.ONE
    assert pairing.multi_pairing_is_one(lhs)
    mismatch = [lhs[0], (bn.multiply(bn.G1, R - (a * b + g.randrange(1, R)) % R), bn.G2)]
    assert product(mismatch) != ref.ONE
    assert not pairing.multi_pairing_is_one(mismatch)


def test_non_degenerate_and_of_order_r():
    e = product([(bn.G1, bn.G2)])
    assert e != ref.ONE
    assert ref.power(e, R) == ref.ONE


def test_three_pairs_and_identities():
    g = ref.rng(40)
    a1, b1, a2, b2 = (g.randrange(1, R) for _ in range(4))
    pairs = [
        (bn.multiply(bn.G1, a1), bn.multiply(bn.G2, b1)),
        (bn.multiply(bn.G1, a2), bn.multiply(bn.G2, b2)),
        (bn.multiply(bn.G1, R - (a1 * b1 + a2 * b2) % R), bn.G2),
    ]
    assert pairing.multi_pairing_is_one(pairs)
    assert pairing.multi_pairing_is_one(pairs + [(bn.Z1, bn.G2), (bn.G1, bn.Z2)])
    assert not pairing.multi_pairing_is_one(pairs[:2])
    assert pairing.multi_pairing_is_one([])


def test_bench_pairing_json():
    import json

    from typer.testing import CliRunner

    from halo2py.cli.app import app

    result = CliRunner().invoke(app, ["bench", "pairing", "--runs", "2", "--json"])
    assert result.exit_code == 0, (result.output, result.exception)
    obj = json.loads(result.stdout)
    assert obj["op"] == "pairing" and obj["pairs"] == 2 and obj["runs"] == 2
    assert 0 < obj["min_ms"] <= obj["median_ms"] and obj["check_median_ms"] > 0
