"""KZG commit/open/verify against py_ecc with a known τ, and the pairing helpers."""

import random

import numpy as np
import pytest
from py_ecc import optimized_bn128 as bn

from halo2py.arith.constants import FR_MODULUS as R
from halo2py.arith.field import Fr
from halo2py.commitment import kzg, pairing
from halo2py.commitment.g2_encoding import fq2_sqrt as _fq2_sqrt
from halo2py.commitment.params import ParamsKZG
from halo2py.curve.points import G1
from halo2py.errors import InputError
from halo2py.randomness import seeded_rng

K = 4
N = 1 << K
OMEGA = pow(pow(7, (R - 1) >> 28, R), 1 << (28 - K), R)


@pytest.fixture(scope="module")
def setup():
    params = ParamsKZG.setup(K, seeded_rng(5, "setup"))
    tau = Fr.to_ints(Fr.random(1, seeded_rng(5, "setup")))[0]
    return params, tau


def horner(coeffs, z):
    acc = 0
    for c in reversed(coeffs):
        acc = (acc * z + c) % R
    return acc


def ref_point(scalar):
    return G1.from_py_ecc(bn.multiply(bn.G1, scalar % R))


@pytest.mark.parametrize("m", [1, 5, N])
def test_commit_is_f_of_tau(setup, m):
    params, tau = setup
    coeffs = [random.Random(m).randrange(R) for _ in range(m)]
    assert np.array_equal(kzg.commit(params, Fr.from_ints(coeffs)), ref_point(horner(coeffs, tau)))


def test_commit_lagrange_with_and_without_basis(setup):
    params, tau = setup
    coeffs = [random.Random(9).randrange(R) for _ in range(N)]
    values = Fr.from_ints([horner(coeffs, pow(OMEGA, i, R)) for i in range(N)])
    expected = ref_point(horner(coeffs, tau))
    assert np.array_equal(kzg.commit_lagrange(params, values), expected)
    lazy = ParamsKZG(K, params.g, None, params.g2, params.s_g2)
    assert np.array_equal(kzg.commit_lagrange(lazy, values), expected)
    assert lazy.g_lagrange is None  # the NTT route does not build the basis


def test_columns_commit_as_one_at_a_time(setup):
    """A round's columns in one call: each the point of its own commit (mixed lengths grouped),
    and each Lagrange column that of commit_lagrange, with and without g_lagrange."""
    params, tau = setup
    rng = random.Random(11)
    polys = [Fr.from_ints([rng.randrange(R) for _ in range(m)]) for m in (N, 5, N, 1, 5)]
    points = kzg.commit_columns(params, polys)
    assert [p.tolist() for p in points] == [kzg.commit(params, p).tolist() for p in polys]
    assert np.array_equal(points[1], ref_point(horner(Fr.to_ints(polys[1]), tau)))
    values = [Fr.random(N, seeded_rng(i, "v")) for i in range(3)]
    lazy = ParamsKZG(K, params.g, None, params.g2, params.s_g2)
    for p in (params, lazy):
        got = kzg.commit_lagrange_columns(p, values)
        assert [q.tolist() for q in got] == [kzg.commit_lagrange(params, v).tolist() for v in values]
    assert kzg.commit_columns(params, []) == [] == kzg.commit_lagrange_columns(params, [])
    with pytest.raises(ValueError):
        kzg.commit_columns(params, [Fr.random(N + 1)])
    with pytest.raises(ValueError):
        kzg.commit_lagrange_columns(params, [Fr.random(N - 1)])


def test_commit_rejects_oversized_input(setup):
    params, _ = setup
    with pytest.raises(ValueError):
        kzg.commit(params, Fr.zeros(N + 1))
    with pytest.raises(ValueError):
        kzg.commit_lagrange(params, Fr.zeros(N - 1))


def test_open_and_verify(setup):
    params, tau = setup
    rng = random.Random(3)
    coeffs = [rng.randrange(R) for _ in range(N)]
    f = Fr.from_ints(coeffs)
    z = rng.randrange(R)
    c = kzg.commit(params, f)
    value, w = kzg.open_at(params, f, z)
    assert value == horner(coeffs, z)
    # W = [(f(τ) − f(z)) / (τ − z)]G
    assert np.array_equal(w, ref_point((horner(coeffs, tau) - value) * pow(tau - z, -1, R)))
    assert kzg.verify(params, c, z, value, w)
    assert not kzg.verify(params, c, z, value + 1, w)  # wrong value
    assert not kzg.verify(params, c, z + 1, value, w)  # wrong point
    assert not kzg.verify(params, ref_point(7), z, value, w)  # wrong commitment


def test_linear_combination(setup):
    params, _ = setup
    terms = [(3, ref_point(5)), (R - 2, ref_point(11)), (0, ref_point(4)), (9, np.zeros(8, dtype=np.uint64))]
    assert np.array_equal(kzg.linear_combination(terms), ref_point(15 - 22))
    assert not kzg.linear_combination([]).any()


def test_multi_pairing():
    a, b = 1234567, 7654321
    p, q = bn.multiply(bn.G1, a), bn.multiply(bn.G2, b)
    assert pairing.multi_pairing_is_one([(p, q), (bn.neg(bn.multiply(bn.G1, a * b)), bn.G2)])
    assert not pairing.multi_pairing_is_one([(p, q), (bn.neg(bn.multiply(bn.G1, a * b + 1)), bn.G2)])
    assert pairing.multi_pairing_is_one([(bn.Z1, q)])  # identity pairs are skipped


def test_g2_coordinates_are_checked():
    x0, x1, y0, y1 = pairing.g2_to_coords(bn.G2)
    assert pairing.g2_eq(pairing.g2_from_coords(x0, x1, y0, y1), bn.G2)
    with pytest.raises(InputError, match="not on the BN254 G2 curve"):
        pairing.g2_from_coords(x0, x1, y0, y1 + 1)
    # a point on the twist outside the order-r subgroup (the twist has a large cofactor)
    for x in range(1, 50):
        xx = bn.FQ2([x, 1])
        try:
            y = _fq2_sqrt(xx ** 3 + bn.b2, "test")
        except InputError:
            continue
        with pytest.raises(InputError, match="subgroup"):
            pairing.g2_from_coords(x, 1, int(y.coeffs[0]), int(y.coeffs[1]))
        break
    else:
        pytest.fail("no twist point found")
