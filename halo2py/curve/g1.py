"""Numba device functions for BN254 G1 (y² = x³ + 3 over Fq) in Jacobian coordinates.

A Jacobian point is three Fq Montgomery 4-tuples (X, Y, Z) standing for the affine point
(X/Z², Y/Z³); Z = 0 is the point at infinity. Jacobian coordinates make doubling the cheapest
operation (2M + 5S) and let a bucket absorb an affine base in 7M + 4S ("mixed" addition), which is
what MSM does most. An affine point is (x, y) with the identity stored as (0, 0), as in halo2curves
((0, 0) is not on the curve, since 3 ≠ 0).

Formulas follow the Explicit-Formulas Database (a = 0): dbl-2009-l, add-2007-bl, madd-2007-bl.
The exceptional cases that generic formulas get wrong (P + P, P + (−P), infinity operands) are
branches here, so every function is correct for all inputs, not only for distinct generic points.
"""

import numpy as np
from numba import njit

from halo2py.arith import fq, limbs
from halo2py.arith.constants import FQ, to_limbs

_Z = np.uint64(0)
ZERO = (_Z, _Z, _Z, _Z)
ONE = fq.ONE
B = to_limbs(3 * FQ.r % FQ.p)  # the curve constant b = 3, Montgomery form
_QM2 = to_limbs(FQ.p - 2)  # Fermat exponent for a single inversion


@njit(cache=True, nogil=True)
def _dbl2(a):
    return fq.add(a, a)


@njit(cache=True, nogil=True)
def double(x, y, z):
    """2·P (dbl-2009-l, 2M + 5S). Infinity maps to infinity because Z3 = 2·Y·Z."""
    a = fq.square(x)
    b = fq.square(y)
    c = fq.square(b)
    t = fq.add(x, b)
    d = _dbl2(fq.sub(fq.sub(fq.square(t), a), c))
    e = fq.add(_dbl2(a), a)
    f = fq.square(e)
    x3 = fq.sub(f, _dbl2(d))
    c8 = _dbl2(_dbl2(_dbl2(c)))
    y3 = fq.sub(fq.mul(e, fq.sub(d, x3)), c8)
    z3 = _dbl2(fq.mul(y, z))
    return x3, y3, z3


@njit(cache=True, nogil=True)
def add(x1, y1, z1, x2, y2, z2):
    """P + Q for Jacobian P, Q (add-2007-bl, 11M + 5S), any inputs."""
    if limbs.is_zero(z1):
        return x2, y2, z2
    if limbs.is_zero(z2):
        return x1, y1, z1
    z1z1 = fq.square(z1)
    z2z2 = fq.square(z2)
    u1 = fq.mul(x1, z2z2)
    u2 = fq.mul(x2, z1z1)
    s1 = fq.mul(y1, fq.mul(z2, z2z2))
    s2 = fq.mul(y2, fq.mul(z1, z1z1))
    h = fq.sub(u2, u1)
    r = _dbl2(fq.sub(s2, s1))
    if limbs.is_zero(h):
        if limbs.is_zero(r):
            return double(x1, y1, z1)
        return ZERO, ZERO, ZERO
    i = fq.square(_dbl2(h))
    j = fq.mul(h, i)
    v = fq.mul(u1, i)
    x3 = fq.sub(fq.sub(fq.square(r), j), _dbl2(v))
    y3 = fq.sub(fq.mul(r, fq.sub(v, x3)), _dbl2(fq.mul(s1, j)))
    zs = fq.add(z1, z2)
    z3 = fq.mul(fq.sub(fq.sub(fq.square(zs), z1z1), z2z2), h)
    return x3, y3, z3


@njit(cache=True, nogil=True)
def add_mixed(x1, y1, z1, x2, y2):
    """P + Q for Jacobian P and affine Q (madd-2007-bl, 7M + 4S); Q = (0, 0) is the identity."""
    if limbs.is_zero(x2) and limbs.is_zero(y2):
        return x1, y1, z1
    if limbs.is_zero(z1):
        return x2, y2, ONE
    z1z1 = fq.square(z1)
    u2 = fq.mul(x2, z1z1)
    s2 = fq.mul(y2, fq.mul(z1, z1z1))
    h = fq.sub(u2, x1)
    r = _dbl2(fq.sub(s2, y1))
    if limbs.is_zero(h):
        if limbs.is_zero(r):
            return double(x1, y1, z1)
        return ZERO, ZERO, ZERO
    hh = fq.square(h)
    i = _dbl2(_dbl2(hh))
    j = fq.mul(h, i)
    v = fq.mul(x1, i)
    x3 = fq.sub(fq.sub(fq.square(r), j), _dbl2(v))
    y3 = fq.sub(fq.mul(r, fq.sub(v, x3)), _dbl2(fq.mul(y1, j)))
    zh = fq.add(z1, h)
    z3 = fq.sub(fq.sub(fq.square(zh), z1z1), hh)
    return x3, y3, z3


@njit(cache=True, nogil=True)
def inverse(a):
    """a^(q−2) = a⁻¹ for a ≠ 0 (one-off use; vectors go through batch inversion)."""
    acc = ONE
    for w in range(3, -1, -1):
        word = _QM2[w]
        for bit in range(63, -1, -1):
            acc = fq.square(acc)
            if (word >> np.uint64(bit)) & np.uint64(1):
                acc = fq.mul(acc, a)
    return acc


@njit(cache=True, nogil=True)
def to_affine_with(x, y, z, zinv):
    """Affine (x/Z², y/Z³) given Z⁻¹ (from a batch inversion); infinity gives (0, 0)."""
    if limbs.is_zero(z):
        return ZERO, ZERO
    zi2 = fq.square(zinv)
    return fq.mul(x, zi2), fq.mul(y, fq.mul(zi2, zinv))


@njit(cache=True, nogil=True)
def on_curve(x, y):
    """y² = x³ + 3, or the identity (0, 0) — halo2curves counts the identity as on the curve."""
    if limbs.is_zero(x) and limbs.is_zero(y):
        return True
    rhs = fq.add(fq.mul(fq.square(x), x), B)
    return limbs.equal(fq.square(y), rhs)


@njit(cache=True, nogil=True)
def load_jac(arr, i):
    return (
        (arr[i, 0], arr[i, 1], arr[i, 2], arr[i, 3]),
        (arr[i, 4], arr[i, 5], arr[i, 6], arr[i, 7]),
        (arr[i, 8], arr[i, 9], arr[i, 10], arr[i, 11]),
    )


@njit(cache=True, nogil=True)
def store_jac(arr, i, x, y, z):
    for k in range(4):
        arr[i, k] = x[k]
        arr[i, 4 + k] = y[k]
        arr[i, 8 + k] = z[k]


@njit(cache=True, nogil=True)
def load_aff(arr, i):
    return (
        (arr[i, 0], arr[i, 1], arr[i, 2], arr[i, 3]),
        (arr[i, 4], arr[i, 5], arr[i, 6], arr[i, 7]),
    )


@njit(cache=True, nogil=True)
def store_aff(arr, i, x, y):
    for k in range(4):
        arr[i, k] = x[k]
        arr[i, 4 + k] = y[k]
