"""EvaluationDomain: halo2's constants, basis changes against naive evaluation, and the parts identity."""

import numpy as np
import pytest

from halo2py.arith import ntt
from halo2py.arith.constants import FR_MODULUS as P
from halo2py.arith.field import Fr
from halo2py.errors import InputError
from halo2py.poly.domain import ZETA, EvaluationDomain
from halo2py.randomness import seeded_rng


def naive_eval(coeffs, x):
    acc = 0
    for c in reversed(coeffs):
        acc = (acc * x + c) % P
    return acc


def random_coeffs(n, seed):
    return Fr.random(n, seeded_rng(seed, "domain-test"))


@pytest.mark.parametrize("k, d, extended_k, e", [
    (4, 2, 4, 1), (4, 3, 5, 2), (4, 4, 6, 4), (4, 5, 6, 4), (4, 6, 7, 8), (4, 9, 7, 8), (4, 10, 8, 16),
    (0, 3, 1, 2), (20, 5, 22, 4),
])
def test_sizes_follow_halo2(k, d, extended_k, e):
    dom = EvaluationDomain(k, d)
    assert (dom.k, dom.n, dom.d, dom.quotient_poly_degree) == (k, 1 << k, d, d - 1)
    assert (dom.extended_k, dom.extended_n, dom.e) == (extended_k, 1 << extended_k, e)
    assert dom.extended_n >= dom.n * (d - 1)


def test_constants():
    dom = EvaluationDomain(5, 4)
    assert pow(ZETA, 3, P) == 1 and ZETA != 1
    assert ZETA == pow(7, 2 * (P - 1) // 3, P)
    assert dom.zeta * dom.zeta_inv % P == 1
    assert pow(dom.omega, dom.n, P) == 1 and pow(dom.omega, dom.n // 2, P) == P - 1
    assert pow(dom.extended_omega, dom.extended_n, P) == 1
    assert pow(dom.extended_omega, dom.extended_n // 2, P) == P - 1
    assert pow(dom.extended_omega, dom.e, P) == dom.omega
    assert dom.omega * dom.omega_inv % P == 1
    assert dom.extended_omega * dom.extended_omega_inv % P == 1
    assert dom.n * dom.n_inv % P == 1 and dom.extended_n * dom.extended_n_inv % P == 1
    assert dom.part_shifts == [ZETA * pow(dom.extended_omega, i, P) % P for i in range(dom.e)]


def test_lagrange_coeff_round_trip():
    dom = EvaluationDomain(4, 3)
    values = random_coeffs(dom.n, 1)
    coeffs = dom.lagrange_to_coeff(values)
    xs = Fr.to_ints(coeffs)
    assert [naive_eval(xs, pow(dom.omega, i, P)) for i in range(dom.n)] == Fr.to_ints(values)
    assert (dom.coeff_to_lagrange(coeffs) == values).all()
    # in place
    buf = values.copy()
    assert dom.lagrange_to_coeff(buf, out=buf) is buf
    assert (buf == coeffs).all()
    out = Fr.zeros(dom.n)
    assert dom.coeff_to_lagrange(buf, out=out) is out
    assert (out == values).all() and (buf == coeffs).all()


@pytest.mark.parametrize("k, d", [(1, 3), (2, 3), (3, 4), (3, 5), (2, 9)])
def test_coeff_to_extended_matches_naive(k, d):
    dom = EvaluationDomain(k, d)
    coeffs = random_coeffs(dom.n, 10 * k + d)
    xs = Fr.to_ints(coeffs)
    ext = dom.coeff_to_extended(coeffs)
    assert ext.shape == (dom.extended_n, 4)
    points = [ZETA * pow(dom.extended_omega, j, P) % P for j in range(dom.extended_n)]
    assert Fr.to_ints(ext) == [naive_eval(xs, x) for x in points]
    assert Fr.to_ints(coeffs) == xs  # input untouched
    back = Fr.to_ints(dom.extended_to_coeff(ext))
    assert back == xs + [0] * (dom.extended_n - dom.n)


def test_extended_to_coeff_high_degree():
    """A polynomial of degree up to e·n − 1 is recovered whole from its extended values."""
    dom = EvaluationDomain(3, 5)
    big = Fr.to_ints(random_coeffs(dom.extended_n, 77))
    values = Fr.from_ints([naive_eval(big, ZETA * pow(dom.extended_omega, j, P) % P)
                           for j in range(dom.extended_n)])
    buf = values.copy()
    assert dom.extended_to_coeff(buf, out=buf) is buf
    assert Fr.to_ints(buf) == big


@pytest.mark.parametrize("k, d, e", [(3, 3, 2), (5, 5, 4), (4, 9, 8), (12, 3, 2), (13, 5, 4)])
def test_parts_interleave_to_extended(k, d, e):
    """THE IDENTITY: ext[r·e + i] = part_i[r], bit for bit."""
    dom = EvaluationDomain(k, d)
    assert dom.e == e
    coeffs = random_coeffs(dom.n, 1000 + k)
    ext = dom.coeff_to_extended(coeffs)
    parts = np.empty_like(ext)
    for i in range(e):
        part = dom.coeff_to_part(coeffs, i)
        assert part.shape == (dom.n, 4)
        parts[i::e] = part
    assert (parts == ext).all()


def test_part_matches_naive_and_writes_out():
    dom = EvaluationDomain(3, 5)
    coeffs = random_coeffs(dom.n, 5)
    xs = Fr.to_ints(coeffs)
    out = Fr.zeros(dom.n)
    assert dom.coeff_to_part(coeffs, 3, out=out) is out
    s = dom.part_shifts[3]
    assert Fr.to_ints(out) == [naive_eval(xs, s * pow(dom.omega, r, P) % P) for r in range(dom.n)]
    assert Fr.to_ints(coeffs) == xs


def test_coeff_to_extended_reuses_out():
    dom = EvaluationDomain(3, 3)
    coeffs = random_coeffs(dom.n, 6)
    out = Fr.random(dom.extended_n, seeded_rng(1, "garbage"))  # stale contents must not leak in
    assert dom.coeff_to_extended(coeffs, out=out) is out
    assert (out == dom.coeff_to_extended(coeffs)).all()


@pytest.mark.parametrize("d", [3, 5, 9])
def test_vanishing_on_parts(d):
    dom = EvaluationDomain(4, d)
    invs = dom.extended_vanishing_inverses()
    assert len(invs) == dom.e
    for j in (0, 1, dom.e - 1, dom.e + 1, 5 * dom.e + 2, dom.extended_n - 1):
        x = ZETA * pow(dom.extended_omega, j, P) % P
        t = (pow(x, dom.n, P) - 1) % P
        assert t != 0
        assert dom.part_vanishing(j % dom.e) == t
        assert invs[j % dom.e] * t % P == 1
    assert len(set(invs)) == dom.e


def test_rotate_omega():
    dom = EvaluationDomain(6, 3)
    x = 123456789
    assert dom.rotate_omega(x, 0) == x
    assert dom.rotate_omega(x, 1) == x * dom.omega % P
    assert dom.rotate_omega(x, -1) == x * dom.omega_inv % P
    assert dom.rotate_omega(dom.rotate_omega(x, 5), -5) == x
    assert dom.rotate_omega(x, dom.n) == x


@pytest.mark.parametrize("k, d, match", [
    (-1, 3, "k must be"), (29, 3, "k must be"), (27, 4, "exceeds"), (5, 1, "at least 2"),
    (5.0, 3, "integers"),
])
def test_rejects_bad_parameters(k, d, match):
    with pytest.raises(InputError, match=match):
        EvaluationDomain(k, d)


def test_rejects_bad_vectors():
    dom = EvaluationDomain(3, 3)
    with pytest.raises(InputError, match="8 rows"):
        dom.lagrange_to_coeff(Fr.zeros(16))
    with pytest.raises(InputError, match="16 rows"):
        dom.extended_to_coeff(Fr.zeros(8))
    with pytest.raises(InputError, match="16 rows"):
        dom.coeff_to_extended(Fr.zeros(8), out=Fr.zeros(8))
    with pytest.raises(InputError, match="shape"):
        dom.coeff_to_lagrange(np.zeros((8, 4), dtype=np.int64))
    with pytest.raises(InputError, match="part index"):
        dom.coeff_to_part(Fr.zeros(8), 2)
    with pytest.raises(InputError, match="part index"):
        dom.part_vanishing(-1)


def test_part_with_a_shared_powers_table_equals_the_plain_part():
    """``coeff_to_part(..., powers=part_powers(i))`` (the fused path chunked uses) is exact."""
    from halo2py.arith.field import Fr
    from halo2py.poly.domain import EvaluationDomain

    dom = EvaluationDomain(13, 5)  # size above the NTT block, so the streaming stages run too
    coeffs = Fr.random(dom.n)
    for i in range(dom.e):
        fused = dom.coeff_to_part(coeffs, i, powers=dom.part_powers(i))
        assert (fused == dom.coeff_to_part(coeffs, i)).all()
    assert Fr.to_ints(dom.part_powers(1)[:3]) == [1, dom.part_shifts[1], dom.part_shifts[1] ** 2 % Fr.modulus]


@pytest.mark.parametrize("k, d", [(2, 3), (3, 5), (4, 9), (13, 4)])
def test_folded_parts_unfold_to_the_coefficients(k, d):
    """Each part's own size-n interpolation (``part_to_folded``) is Σ_m f_(j+mn)·s_i^(mn),
    against Python ints; ``unfold_parts`` turns the e of them back into f's coefficients, the
    same as one extended interpolation of the interleaved values (k = 13: above the NTT block).
    Runs past f's degree come out zero, and a run count the parts cannot give is refused."""
    dom = EvaluationDomain(k, d)
    n, e = dom.n, dom.e
    degree = n * dom.quotient_poly_degree
    coeffs = Fr.zeros(e * n)
    coeffs[:degree] = Fr.random(degree, seeded_rng(k, "folded"))
    ext = ntt.coset_ntt(coeffs.copy(), dom.zeta)  # f on ζ·⟨ω_ext⟩: part i is entries i, i + e, …
    parts = [ext[i::e].copy() for i in range(e)]
    folded = [dom.part_to_folded(part, i) for i, part in enumerate(parts)]
    if k <= 4:
        xs = Fr.to_ints(coeffs)
        for i, f in enumerate(folded):
            s_mn = pow(dom.part_shifts[i], n, P)
            assert Fr.to_ints(f) == [sum(xs[j + m * n] * pow(s_mn, m, P) for m in range(e)) % P for j in range(n)]
    runs = dom.unfold_parts(folded, e)
    assert (np.concatenate(runs) == coeffs).all()
    assert (np.concatenate(runs) == dom.extended_to_coeff(ext)).all()
    assert not np.concatenate(runs[dom.quotient_poly_degree:] or [Fr.zeros(0)]).any()
    out = parts[1]
    assert dom.part_to_folded(out, 1, out=out) is out and (out == folded[1]).all()
    with pytest.raises(InputError, match="folded"):
        dom.unfold_parts(folded[:-1], 1)
    with pytest.raises(InputError, match="folded"):
        dom.unfold_parts(folded, e + 1)
