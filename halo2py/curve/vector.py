"""Element-wise G1 kernels over point arrays: Jacobian (n, 12) and affine (n, 8) uint64.

Thin ``prange`` loops around the device functions of ``g1``; the façade in ``points`` checks
shapes and allocates outputs, so these trust their arguments.
"""

import numpy as np
from numba import njit, prange

from halo2py.arith import fq, limbs
from halo2py.curve import g1

_ONE = np.uint64(1)


@njit(parallel=True, cache=True, nogil=True)
def vec_add(a, b, out):
    for i in prange(a.shape[0]):
        x1, y1, z1 = g1.load_jac(a, i)
        x2, y2, z2 = g1.load_jac(b, i)
        x, y, z = g1.add(x1, y1, z1, x2, y2, z2)
        g1.store_jac(out, i, x, y, z)


@njit(parallel=True, cache=True, nogil=True)
def vec_add_mixed(a, b, out):
    for i in prange(a.shape[0]):
        x1, y1, z1 = g1.load_jac(a, i)
        x2, y2 = g1.load_aff(b, i)
        x, y, z = g1.add_mixed(x1, y1, z1, x2, y2)
        g1.store_jac(out, i, x, y, z)


@njit(parallel=True, cache=True, nogil=True)
def vec_double(a, out):
    for i in prange(a.shape[0]):
        x1, y1, z1 = g1.load_jac(a, i)
        x, y, z = g1.double(x1, y1, z1)
        g1.store_jac(out, i, x, y, z)


@njit(parallel=True, cache=True, nogil=True)
def vec_neg_y(a, out):
    """Negate the y limbs (columns 4:8) of affine or Jacobian rows; −0 = 0 keeps the identity."""
    for i in prange(a.shape[0]):
        y = fq.neg((a[i, 4], a[i, 5], a[i, 6], a[i, 7]))
        for k in range(a.shape[1]):
            out[i, k] = a[i, k]
        for k in range(4):
            out[i, 4 + k] = y[k]


@njit(parallel=True, cache=True, nogil=True)
def vec_from_affine(a, out):
    """Affine rows → Jacobian rows (Z = 1, or Z = 0 for the identity (0, 0))."""
    for i in prange(a.shape[0]):
        x, y = g1.load_aff(a, i)
        if limbs.is_zero(x) and limbs.is_zero(y):
            g1.store_jac(out, i, g1.ZERO, g1.ZERO, g1.ZERO)
        else:
            g1.store_jac(out, i, x, y, g1.ONE)


@njit(parallel=True, cache=True, nogil=True)
def vec_to_affine(a, zinv, out):
    """Jacobian rows → affine rows given every Z⁻¹ (from one batch inversion)."""
    for i in prange(a.shape[0]):
        x, y, z = g1.load_jac(a, i)
        ax, ay = g1.to_affine_with(x, y, z, limbs.load(zinv, i))
        g1.store_aff(out, i, ax, ay)


@njit(parallel=True, cache=True, nogil=True)
def vec_on_curve(a, out):
    for i in prange(a.shape[0]):
        x, y = g1.load_aff(a, i)
        out[i] = g1.on_curve(x, y)


@njit(parallel=True, cache=True, nogil=True)
def vec_jac_eq(a, b, out):
    """Projective equality: X1·Z2² = X2·Z1² and Y1·Z2³ = Y2·Z1³ (or both at infinity)."""
    for i in prange(a.shape[0]):
        x1, y1, z1 = g1.load_jac(a, i)
        x2, y2, z2 = g1.load_jac(b, i)
        inf1 = limbs.is_zero(z1)
        inf2 = limbs.is_zero(z2)
        if inf1 or inf2:
            out[i] = inf1 and inf2
            continue
        z1z1 = fq.square(z1)
        z2z2 = fq.square(z2)
        same_x = limbs.equal(fq.mul(x1, z2z2), fq.mul(x2, z1z1))
        same_y = limbs.equal(fq.mul(y1, fq.mul(z2, z2z2)), fq.mul(y2, fq.mul(z1, z1z1)))
        out[i] = same_x and same_y


@njit(cache=True, nogil=True)
def scalar_mul(p, k, out):
    """out[0] = k·p for one Jacobian point p (row 0) and a canonical scalar k (4-tuple).

    Left-to-right double-and-add: fine for the handful of single-point products protocol code
    needs; many products at once belong to MSM.
    """
    px, py, pz = g1.load_jac(p, 0)
    x, y, z = g1.ZERO, g1.ZERO, g1.ZERO
    for w in range(3, -1, -1):
        word = k[w]
        for bit in range(63, -1, -1):
            x, y, z = g1.double(x, y, z)
            if (word >> np.uint64(bit)) & _ONE:
                x, y, z = g1.add(x, y, z, px, py, pz)
    g1.store_jac(out, 0, x, y, z)


@njit(cache=True, nogil=True)
def straus(bases, scalars, out):
    """out[0] = Σ scalars[i]·bases[i] for affine bases (m, 8) and canonical scalars (m, 4 limbs).

    Straus with 4-bit windows: fifteen multiples of each base, then 64 rounds of four shared
    doublings and one table addition per base. A verifier's MSM has a few dozen terms; at that
    size this one serial kernel does the work in about a millisecond, where Pippenger's plan,
    GLV split and bucket kernels cost a fresh process several kernel loads first.
    """
    m = bases.shape[0]
    table = np.zeros((m, 16, 12), dtype=np.uint64)  # table[i, d] = d·bases[i], Jacobian; d = 0 unused
    for i in range(m):
        ax, ay = g1.load_aff(bases, i)
        if limbs.is_zero(ax) and limbs.is_zero(ay):
            continue  # the identity: every multiple stays (0, 0, 0)
        x, y, z = ax, ay, g1.ONE
        g1.store_jac(table[i], 1, x, y, z)
        for d in range(2, 16):
            x, y, z = g1.add_mixed(x, y, z, ax, ay)
            g1.store_jac(table[i], d, x, y, z)
    x, y, z = g1.ZERO, g1.ZERO, g1.ZERO
    for w in range(63, -1, -1):
        for _ in range(4):
            x, y, z = g1.double(x, y, z)
        shift = np.uint64(4 * (w % 16))
        for i in range(m):
            d = (scalars[i, w // 16] >> shift) & np.uint64(15)
            if d:
                tx, ty, tz = g1.load_jac(table[i], d)
                x, y, z = g1.add(x, y, z, tx, ty, tz)
    g1.store_jac(out, 0, x, y, z)


@njit(parallel=True, cache=True, nogil=True)
def vec_progressions(starts, steps, out):
    """Row j·m + i of ``out`` = starts[j] + i·steps[j] (m = rows per progression): many points for
    one Jacobian addition each, in parallel over progressions."""
    m = (out.shape[0] + starts.shape[0] - 1) // starts.shape[0]
    for j in prange(starts.shape[0]):
        x, y, z = g1.load_jac(starts, j)
        sx, sy, sz = g1.load_jac(steps, j)
        for i in range(j * m, min(out.shape[0], (j + 1) * m)):
            g1.store_jac(out, i, x, y, z)
            x, y, z = g1.add(x, y, z, sx, sy, sz)
