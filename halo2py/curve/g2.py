"""BN254 G2 membership in Numba: on the twist E′: y² = x³ + b′ over Fq2 (b′ = 3/ξ), and in the
order-r subgroup (r·P = O).

A params file's s_g2 must pass both (the twist has a large cofactor, so a point on it need not be
in G2). py_ecc's check multiplies in Python — a tenth of a second per point, paid on every
``prove --params``; here the same double-and-add over the bits of r runs in Jacobian coordinates
with the tower's Fq2 kernels (the formulas of ``halo2py.curve.g1``: dbl-2009-l, add-2007-bl, with
their exceptional cases as branches).
"""

import numpy as np
from numba import njit

from halo2py.arith import limbs
from halo2py.arith.constants import FQ, FR_MODULUS
from halo2py.curve.tower import FQ2_ONE, FQ2_ZERO, fq2_add, fq2_constant, fq2_dbl, fq2_mul, fq2_square, fq2_sub

_P = FQ.p
_XI_INV = pow(82, -1, _P)  # 1/(9 + u) = (9 − u)/82
B_TWIST = fq2_constant((3 * 9 * _XI_INV % _P, -3 * _XI_INV % _P))
_R_BITS = np.array([int(b) for b in bin(FR_MODULUS)[2:]], dtype=np.uint8)  # most significant first


@njit(cache=True, nogil=True)
def _is_zero2(a):
    return limbs.is_zero(a[0]) and limbs.is_zero(a[1])


@njit(cache=True, nogil=True)
def _double(x, y, z):
    a = fq2_square(x)
    b = fq2_square(y)
    c = fq2_square(b)
    d = fq2_dbl(fq2_sub(fq2_sub(fq2_square(fq2_add(x, b)), a), c))
    e = fq2_add(fq2_dbl(a), a)
    x3 = fq2_sub(fq2_square(e), fq2_dbl(d))
    y3 = fq2_sub(fq2_mul(e, fq2_sub(d, x3)), fq2_dbl(fq2_dbl(fq2_dbl(c))))
    return x3, y3, fq2_dbl(fq2_mul(y, z))


@njit(cache=True, nogil=True)
def _add(x1, y1, z1, x2, y2, z2):
    if _is_zero2(z1):
        return x2, y2, z2
    if _is_zero2(z2):
        return x1, y1, z1
    z1z1 = fq2_square(z1)
    z2z2 = fq2_square(z2)
    u1 = fq2_mul(x1, z2z2)
    u2 = fq2_mul(x2, z1z1)
    s1 = fq2_mul(y1, fq2_mul(z2, z2z2))
    s2 = fq2_mul(y2, fq2_mul(z1, z1z1))
    h = fq2_sub(u2, u1)
    r = fq2_dbl(fq2_sub(s2, s1))
    if _is_zero2(h):
        if _is_zero2(r):
            return _double(x1, y1, z1)
        return FQ2_ZERO, FQ2_ZERO, FQ2_ZERO
    i = fq2_square(fq2_dbl(h))
    j = fq2_mul(h, i)
    v = fq2_mul(u1, i)
    x3 = fq2_sub(fq2_sub(fq2_square(r), j), fq2_dbl(v))
    y3 = fq2_sub(fq2_mul(r, fq2_sub(v, x3)), fq2_dbl(fq2_mul(s1, j)))
    z3 = fq2_mul(fq2_sub(fq2_sub(fq2_square(fq2_add(z1, z2)), z1z1), z2z2), h)
    return x3, y3, z3


@njit(cache=True, nogil=True)
def _on_twist(x, y):
    lhs = fq2_square(y)
    rhs = fq2_add(fq2_mul(fq2_square(x), x), B_TWIST)
    return limbs.equal(lhs[0], rhs[0]) and limbs.equal(lhs[1], rhs[1])


@njit(cache=True, nogil=True)
def _membership(coords, bits):
    """0: in G2; 1: not on the twist; 2: on the twist but r·P ≠ O. coords: (4, 4) Montgomery
    limbs x.c0, x.c1, y.c0, y.c1 of an affine point (not the identity)."""
    x = (limbs.load(coords, 0), limbs.load(coords, 1))
    y = (limbs.load(coords, 2), limbs.load(coords, 3))
    if not _on_twist(x, y):
        return 1
    ax, ay, az = FQ2_ZERO, FQ2_ZERO, FQ2_ZERO
    for bit in bits:
        ax, ay, az = _double(ax, ay, az)
        if bit:
            ax, ay, az = _add(ax, ay, az, x, y, FQ2_ONE)
    return 0 if _is_zero2(az) else 2


def membership(coords: np.ndarray) -> int:
    """Where an affine G2 point (canonical coordinates as Montgomery limbs, shape (4, 4)) fails:
    0 none, 1 not on the twist, 2 not in the order-r subgroup."""
    return int(_membership(np.ascontiguousarray(coords, dtype=np.uint64), _R_BITS))
