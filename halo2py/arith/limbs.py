"""Generic 4-limb Montgomery arithmetic on ``UniTuple(uint64, 4)`` values.

Both BN254 moduli are below 2^254, which permits the "no final carry" CIOS multiplication
(the top limb of the modulus is < 2^62, so intermediate sums never overflow 4 limbs + 1 bit).
Each function takes the modulus ``m`` (a 4-tuple) and ``minv = -m^-1 mod 2^64``; field modules
bind them to module-level constants so that, after inlining, LLVM sees literals.
All operations are branch-free: conditional subtraction is a mask select.
"""

import numpy as np
from numba import njit

from halo2py.arith._intrinsics import adc, mac, sbb

_Z = np.uint64(0)


@njit(cache=True, nogil=True)
def _select(mask, x, y):
    """Limb-wise ``x if mask == all-ones else y`` (mask is 0 or all-ones)."""
    nm = ~mask
    return (
        (x[0] & mask) | (y[0] & nm),
        (x[1] & mask) | (y[1] & nm),
        (x[2] & mask) | (y[2] & nm),
        (x[3] & mask) | (y[3] & nm),
    )


@njit(cache=True, nogil=True)
def _sub_raw(a, b):
    """(a - b mod 2^256, borrow)."""
    d0, c = sbb(a[0], b[0], _Z)
    d1, c = sbb(a[1], b[1], c)
    d2, c = sbb(a[2], b[2], c)
    d3, c = sbb(a[3], b[3], c)
    return (d0, d1, d2, d3), c


@njit(cache=True, nogil=True)
def _reduce_once(t, m):
    """t - m if t >= m else t, for t < 2m."""
    d, borrow = _sub_raw(t, m)
    return _select(_Z - borrow, t, d)


@njit(cache=True, nogil=True)
def add(a, b, m):
    s0, c = adc(a[0], b[0], _Z)
    s1, c = adc(a[1], b[1], c)
    s2, c = adc(a[2], b[2], c)
    s3, c = adc(a[3], b[3], c)
    return _reduce_once((s0, s1, s2, s3), m)


@njit(cache=True, nogil=True)
def sub(a, b, m):
    d, borrow = _sub_raw(a, b)
    mask = _Z - borrow
    s0, c = adc(d[0], m[0] & mask, _Z)
    s1, c = adc(d[1], m[1] & mask, c)
    s2, c = adc(d[2], m[2] & mask, c)
    s3, c = adc(d[3], m[3] & mask, c)
    return (s0, s1, s2, s3)


@njit(cache=True, nogil=True)
def neg(a, m):
    return sub((_Z, _Z, _Z, _Z), a, m)


@njit(cache=True, nogil=True)
def _round(t0, t1, t2, t3, ai, b, m, minv):
    """One CIOS outer iteration: t = (t + ai*b + q*m) / 2^64 with q chosen to clear the low limb."""
    u0, c = mac(t0, ai, b[0], _Z)
    q = u0 * minv
    _, c2 = mac(u0, q, m[0], _Z)
    u1, c = mac(t1, ai, b[1], c)
    r0, c2 = mac(u1, q, m[1], c2)
    u2, c = mac(t2, ai, b[2], c)
    r1, c2 = mac(u2, q, m[2], c2)
    u3, c = mac(t3, ai, b[3], c)
    r2, c2 = mac(u3, q, m[3], c2)
    return r0, r1, r2, c + c2


@njit(cache=True, nogil=True)
def mont_mul(a, b, m, minv):
    t0, t1, t2, t3 = _round(_Z, _Z, _Z, _Z, a[0], b, m, minv)
    t0, t1, t2, t3 = _round(t0, t1, t2, t3, a[1], b, m, minv)
    t0, t1, t2, t3 = _round(t0, t1, t2, t3, a[2], b, m, minv)
    t0, t1, t2, t3 = _round(t0, t1, t2, t3, a[3], b, m, minv)
    return _reduce_once((t0, t1, t2, t3), m)


@njit(cache=True, nogil=True)
def is_zero(a):
    return (a[0] | a[1] | a[2] | a[3]) == _Z


@njit(cache=True, nogil=True)
def equal(a, b):
    return ((a[0] ^ b[0]) | (a[1] ^ b[1]) | (a[2] ^ b[2]) | (a[3] ^ b[3])) == _Z


@njit(cache=True, nogil=True)
def load(arr, i):
    return (arr[i, 0], arr[i, 1], arr[i, 2], arr[i, 3])


@njit(cache=True, nogil=True)
def store(arr, i, v):
    arr[i, 0] = v[0]
    arr[i, 1] = v[1]
    arr[i, 2] = v[2]
    arr[i, 3] = v[3]
