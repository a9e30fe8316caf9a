"""The Lagrange basis of the SRS from its monomial basis, without knowing τ.

L_j(τ) = (1/n)·Σ_i ω^(−ij)·τ^i, so [L_j(τ)]G = (1/n)·Σ_i ω^(−ij)·[τ^i]G: an inverse DFT whose
"field elements" are G1 points and whose multiplications are scalar multiplications. halo2 does
the same (``g_to_lagrange``) when it downsizes params.

Cost: every non-trivial butterfly multiplies a point by a full-size twiddle, about (n/2)·(k − 1)
scalar multiplications plus n for the 1/n scaling, each ~250 doublings and ~65 additions (4-bit
windows). That is three orders of magnitude more than a field NTT, so callers avoid it: a
Lagrange-form commitment can instead interpolate its values with the field NTT and commit in
the monomial basis (same point). This is only needed to *write* params whose g_lagrange was
never computed (setup computes it directly from τ).
"""

import numpy as np
from numba import njit, prange

from halo2py.arith import fq
from halo2py.arith.constants import FR_MODULUS, to_limbs
from halo2py.arith.field import Fr
from halo2py.arith.ntt import root_of_unity
from halo2py.curve import g1
from halo2py.curve.points import G1, JACOBIAN
from halo2py.poly import ops



@njit(cache=True, nogil=True)
def _mul(x, y, z, k, table, t):
    """k·(x, y, z) for a canonical scalar row k (4 limbs), left to right in 4-bit windows.

    ``table`` is scratch of 16 Jacobian rows (slot 0 unused) for this caller only; row t.
    """
    base = t * 16
    g1.store_jac(table, base + 1, x, y, z)
    px, py, pz = x, y, z
    for d in range(2, 16):
        px, py, pz = g1.add(px, py, pz, x, y, z)
        g1.store_jac(table, base + d, px, py, pz)
    ax, ay, az = g1.ZERO, g1.ZERO, g1.ZERO
    for w in range(3, -1, -1):
        word = k[w]
        for nib in range(15, -1, -1):
            for _ in range(4):
                ax, ay, az = g1.double(ax, ay, az)
            d = np.int64((word >> np.uint64(4 * nib)) & np.uint64(15))
            if d != 0:
                tx, ty, tz = g1.load_jac(table, base + d)
                ax, ay, az = g1.add(ax, ay, az, tx, ty, tz)
    return ax, ay, az


@njit(parallel=True, cache=True, nogil=True)
def _stage(a, tw, m, stride, tasks, table):
    """One radix-2 stage over blocks of size m; twiddle of offset j is tw[j·stride]."""
    n = a.shape[0]
    half = m // 2
    per = (n // 2 + tasks - 1) // tasks
    for t in prange(tasks):
        for b in range(t * per, min(n // 2, (t + 1) * per)):
            j = b % half
            i = (b // half) * m + j
            ux, uy, uz = g1.load_jac(a, i)
            vx, vy, vz = g1.load_jac(a, i + half)
            if j != 0:
                vx, vy, vz = _mul(vx, vy, vz, (tw[j * stride, 0], tw[j * stride, 1],
                                               tw[j * stride, 2], tw[j * stride, 3]), table, t)
            sx, sy, sz = g1.add(ux, uy, uz, vx, vy, vz)
            dx, dy, dz = g1.add(ux, uy, uz, vx, fq.neg(vy), vz)
            g1.store_jac(a, i, sx, sy, sz)
            g1.store_jac(a, i + half, dx, dy, dz)


@njit(parallel=True, cache=True, nogil=True)
def _scale(a, k, tasks, table):
    n = a.shape[0]
    per = (n + tasks - 1) // tasks
    for t in prange(tasks):
        for i in range(t * per, min(n, (t + 1) * per)):
            x, y, z = g1.load_jac(a, i)
            x, y, z = _mul(x, y, z, k, table, t)
            g1.store_jac(a, i, x, y, z)


def _bit_reversed(k: int) -> np.ndarray:
    idx = np.arange(1 << k, dtype=np.int64)
    rev = np.zeros_like(idx)
    for b in range(k):
        rev |= ((idx >> b) & 1) << (k - 1 - b)
    return rev


def lagrange_from_monomial(g: np.ndarray) -> np.ndarray:
    """Affine [L_j(τ)]G for j < n from affine [τ^i]G, i < n (n a power of two)."""
    n = g.shape[0]
    k = n.bit_length() - 1
    if n == 0 or n != 1 << k:
        raise ValueError(f"the SRS length must be a power of two, got {n}")
    a = np.ascontiguousarray(G1.to_jacobian(g)[_bit_reversed(k)])
    tasks = max(1, min(64, n // 64))
    table = np.empty((tasks * 16, JACOBIAN), dtype=np.uint64)
    inv_powers = Fr.from_montgomery(ops.powers(pow(root_of_unity(k), -1, FR_MODULUS), max(1, n // 2)))
    m = 2
    while m <= n:
        _stage(a, inv_powers, m, n // m, tasks, table)
        m *= 2
    _scale(a, to_limbs(pow(n, -1, FR_MODULUS)), tasks, table)
    return G1.batch_to_affine(a)
