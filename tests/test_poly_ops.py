"""Polynomial helpers against Python-int references on random inputs."""

import random

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from halo2py.arith.constants import FR_MODULUS
from halo2py.arith.field import FieldError, Fr
from halo2py.poly import ops

R = FR_MODULUS


def rand_ints(n, seed):
    rng = random.Random(seed)
    return [rng.randrange(R) for _ in range(n)]


def horner(coeffs, z):
    acc = 0
    for c in reversed(coeffs):
        acc = (acc * z + c) % R
    return acc


@pytest.mark.parametrize("n", [0, 1, 2, 7, 300, 10_000])
def test_evaluate(n):
    coeffs = rand_ints(n, n)
    poly = Fr.from_ints(coeffs) if n else Fr.zeros(0)
    for z in (0, 1, R - 1, random.Random(n + 1).randrange(R)):
        assert ops.evaluate(poly, z) == horner(coeffs, z)


def quotient_ref(coeffs, z):
    """Synthetic division by (X − z), remainder dropped, padded to len(coeffs)."""
    n = len(coeffs)
    q = [0] * n
    acc = 0
    for i in range(n - 1, 0, -1):
        acc = (coeffs[i] + z * acc) % R
        q[i - 1] = acc
    return q


@pytest.mark.parametrize("n", [1, 2, 5, 64, 9_000])
def test_divide_by_linear(n):
    coeffs = rand_ints(n, 10 + n)
    z = random.Random(n).randrange(R)
    poly = Fr.from_ints(coeffs)
    q = Fr.to_ints(ops.divide_by_linear(poly, z))
    assert q == quotient_ref(coeffs, z)
    # f(X) = q(X)·(X − z) + f(z)
    x = random.Random(n + 3).randrange(R)
    assert (horner(q, x) * (x - z) + horner(coeffs, z)) % R == horner(coeffs, x)
    # in place gives the same
    assert Fr.to_ints(ops.divide_by_linear(poly, z, out=poly)) == q


def test_exact_division_after_subtracting_the_evaluation():
    coeffs = rand_ints(33, 5)
    z = 12345
    coeffs[0] = (coeffs[0] - horner(coeffs, z)) % R
    q = Fr.to_ints(ops.divide_by_linear(Fr.from_ints(coeffs), z))
    assert q[-1] == 0
    x = 999
    assert horner(q, x) * (x - z) % R == horner(coeffs, x)


@given(st.integers(0, R - 1), st.integers(1, 40), st.integers(0, 40))
def test_add_scaled(s, n, m):
    m = min(m, n)
    a, b = rand_ints(n, s % 1000), rand_ints(m, s % 997 + 1)
    acc = Fr.from_ints(a)
    out = ops.add_scaled(acc, Fr.from_ints(b) if m else Fr.zeros(0), s)
    assert out is acc
    expected = [(ai + s * (b[i] if i < m else 0)) % R for i, ai in enumerate(a)]
    assert Fr.to_ints(acc) == expected


def test_add_scaled_rejects_longer_input():
    with pytest.raises(ValueError):
        ops.add_scaled(Fr.zeros(2), Fr.ones(3), 1)


def test_linear_combination():
    polys = [rand_ints(n, n) for n in (5, 9, 1)]
    scalars = rand_ints(3, 42)
    got = Fr.to_ints(ops.linear_combination([Fr.from_ints(p) for p in polys], scalars))
    expected = [sum(s * (p[i] if i < len(p) else 0) for p, s in zip(polys, scalars)) % R for i in range(9)]
    assert got == expected
    assert Fr.to_ints(ops.linear_combination([Fr.from_ints(polys[0])], [3], n=7))[5:] == [0, 0]


@pytest.mark.parametrize("n", [0, 1, 3, 10_000])
def test_powers_and_constant(n):
    base = random.Random(n).randrange(R)
    got = Fr.to_ints(ops.powers(base, n))
    assert got == [pow(base, i, R) for i in range(n)]
    assert Fr.to_ints(ops.constant(base, n)) == [base] * n


@given(st.lists(st.integers(0, R - 1), min_size=1, max_size=6, unique=True), st.integers(0, R - 1))
def test_lagrange_interpolate(points, seed):
    evals = rand_ints(len(points), seed % 10_000)
    coeffs = ops.lagrange_interpolate(points, evals)
    assert len(coeffs) == len(points)
    for p, e in zip(points, evals):
        assert ops.eval_small(coeffs, p) == e


def test_lagrange_interpolate_rejects_repeated_points():
    with pytest.raises(ValueError):
        ops.lagrange_interpolate([1, 1 + R], [2, 3])


def test_vanishing_eval():
    pts = rand_ints(4, 8)
    x = 77
    expected = 1
    for p in pts:
        expected = expected * (x - p) % R
    assert ops.vanishing_eval(pts, x) == expected
    assert ops.vanishing_eval(pts, pts[2]) == 0
    assert ops.vanishing_eval([], x) == 1


def test_shapes_are_checked():
    with pytest.raises(FieldError):
        ops.evaluate(np.zeros((3, 3), dtype=np.uint64), 1)


@pytest.fixture(params=[False, True], ids=["scalar", "ifma"])
def ifma_path(request):
    """Run a test on the scalar kernels and on the IFMA ones (where the CPU has them)."""
    from halo2py.arith import ifma

    if request.param and not ifma.cpu_has_ifma():
        pytest.skip("this CPU has no AVX-512 IFMA")
    ifma.set_enabled(request.param)
    yield request.param
    ifma.set_enabled(None)


@pytest.mark.parametrize("n", [8, 16, 63, 64, 65, 301, 4097, 8 * 4096 + 5, 1 << 15, 70_001])
def test_evaluate_and_add_scaled_under_either_ifma_setting(ifma_path, n):
    """Power-of-two lengths take the IFMA Horner (whole 8-row steps per chunk), the others the
    scalar one; both against Python ints."""
    coeffs = rand_ints(n, 7 * n)
    poly = Fr.from_ints(coeffs)
    for z in (0, 1, R - 1, random.Random(n).randrange(R)):
        assert ops.evaluate(poly, z) == horner(coeffs, z)
    base = rand_ints(n + 3, n)
    s = random.Random(n + 2).randrange(R)
    acc = ops.add_scaled(Fr.from_ints(base), poly, s)
    assert Fr.to_ints(acc) == [(b + s * c) % R for b, c in zip(base, coeffs + [0, 0, 0])]
