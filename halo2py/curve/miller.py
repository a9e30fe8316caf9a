"""The BN254 optimal-ate Miller loop (Numba): G2 steps with their lines, and the loop itself.

G2 is the sextic twist E′: y² = x³ + b′ over Fq2, b′ = 3/ξ (a D-type twist), mapped into
E(Fq12) by ψ(x, y) = (x·w², y·w³). A running point T is kept in homogeneous projective
coordinates (X : Y : Z), x = X/Z, y = Y/Z, so a step needs no inversion.

Lines. For P = (x_P, y_P) ∈ G1 and the slope λ of a chord or tangent on E′, the line through
ψ(T) evaluated at P is y_P − λ·x_P·w + (λ·x_T − y_T)·w³. Every line below is that value times a
factor in Fq2 (which the final exponentiation kills: Fq2^* ⊂ Fq6^*, and (q⁶ − 1) divides it),
chosen to clear the projective denominators; its shape a + b·w + c·w³ with a, b, c ∈ Fq2 is what
``tower.fq12_mul_line`` multiplies cheaply.

Loop. f_{6u+2, Q}(P) over the signed binary (NAF) digits of 6u + 2 — subtracting Q costs a vertical
line, which lies in Fq6 and is killed too — then the two Frobenius-twisted steps: T + π(Q) and
T − π²(Q), with π the q-power Frobenius carried to the twist. Several pairs share one f, so the
Fq12 squaring, the dominant cost, is paid once per bit for the whole product.
"""

import numpy as np
from numba import njit

from halo2py.arith.constants import FQ
from halo2py.curve import tower
from halo2py.curve.tower import (
    FROB1,
    FROB2,
    fq2_add,
    fq2_conj,
    fq2_dbl,
    fq2_mul,
    fq2_mul_fq,
    fq2_neg,
    fq2_square,
    fq2_sub,
)

U = 4965661367192848881  # the BN parameter: q = 36u⁴ + 36u³ + 24u² + 6u + 1


def _naf(k: int) -> tuple:
    """Non-adjacent form, least significant digit first (22 non-zero digits for 6u + 2, not 37)."""
    out = []
    while k:
        d = 2 - (k % 4) if k & 1 else 0
        out.append(d)
        k = (k - d) // 2
    return tuple(out)


ATE_NAF = _naf(6 * U + 2)

_P = FQ.p
_XI_INV = (9 * pow(82, -1, _P) % _P, -pow(82, -1, _P) % _P)  # 1/(9 + u) = (9 − u)/82
B3_TWIST = tower.fq2_constant((9 * _XI_INV[0], 9 * _XI_INV[1]))  # 3·b′ = 9/ξ


@njit(cache=True, nogil=True)
def double_step(t, xp, yp):
    """(2T, line tangent at T evaluated at P), for T ≠ O.

    With B = Y², C = Z², E = 3b′C, F = 3E, H = 2YZ: 2T = (2XY(B − F) : (B + F)² − 12E² : 4BH),
    four times the textbook (XY/2·(B − F) : ((B + F)/2)² − 3E² : BH), which avoids halvings. The
    tangent line is λ = 3X²/(2YZ) on E′, scaled by 2YZ and simplified with Y²Z = X³ + b′Z³:
    −H·y_P + 3X²·x_P·w + (E − B)·w³.
    """
    x, y, z = t
    xy = fq2_mul(x, y)
    b = fq2_square(y)
    c = fq2_square(z)
    e = fq2_mul(c, B3_TWIST)
    f = fq2_add(fq2_dbl(e), e)
    h = fq2_sub(fq2_sub(fq2_square(fq2_add(y, z)), b), c)
    j = fq2_square(x)
    x3 = fq2_dbl(fq2_mul(xy, fq2_sub(b, f)))
    ee = fq2_square(e)
    ee12 = fq2_dbl(fq2_dbl(fq2_add(fq2_dbl(ee), ee)))
    y3 = fq2_sub(fq2_square(fq2_add(b, f)), ee12)
    z3 = fq2_dbl(fq2_dbl(fq2_mul(b, h)))
    la = fq2_neg(fq2_mul_fq(h, yp))
    lb = fq2_mul_fq(fq2_add(fq2_dbl(j), j), xp)
    lc = fq2_sub(e, b)
    return (x3, y3, z3), la, lb, lc


@njit(cache=True, nogil=True)
def add_step(t, qx, qy, xp, yp):
    """(T + Q, line through T and Q evaluated at P) for affine Q ≠ ±T (mixed addition).

    θ = Y − y_Q·Z and Λ = X − x_Q·Z give the chord slope θ/Λ; the line scaled by Λ is
    Λ·y_P − θ·x_P·w + (θ·x_Q − Λ·y_Q)·w³.
    """
    x, y, z = t
    theta = fq2_sub(y, fq2_mul(qy, z))
    lam = fq2_sub(x, fq2_mul(qx, z))
    c = fq2_square(theta)
    d = fq2_square(lam)
    e = fq2_mul(lam, d)
    f = fq2_mul(z, c)
    g = fq2_mul(x, d)
    h = fq2_sub(fq2_add(e, f), fq2_dbl(g))
    x3 = fq2_mul(lam, h)
    y3 = fq2_sub(fq2_mul(theta, fq2_sub(g, h)), fq2_mul(y, e))
    z3 = fq2_mul(z, e)
    la = fq2_mul_fq(lam, yp)
    lb = fq2_neg(fq2_mul_fq(theta, xp))
    lc = fq2_sub(fq2_mul(theta, qx), fq2_mul(lam, qy))
    return (x3, y3, z3), la, lb, lc


@njit(cache=True, nogil=True)
def twist_frobenius(qx, qy):
    """π(Q) on E′: ψ⁻¹∘π∘ψ maps (x, y) to (conj(x)·ξ^((q−1)/3), conj(y)·ξ^((q−1)/2))."""
    return fq2_mul(fq2_conj(qx), FROB1[2]), fq2_mul(fq2_conj(qy), FROB1[3])


@njit(cache=True, nogil=True)
def twist_frobenius2(qx, qy):
    """π²(Q) on E′: (x·ξ^((q²−1)/3), y·ξ^((q²−1)/2)); no conjugation for an even power."""
    return fq2_mul(qx, FROB2[2]), fq2_mul(qy, FROB2[3])


@njit(cache=True, nogil=True)
def _fq(row, k):
    return (row[k], row[k + 1], row[k + 2], row[k + 3])


@njit(cache=True, nogil=True)
def _fq2(row, k):
    return (_fq(row, k), _fq(row, k + 4))


@njit(cache=True, nogil=True)
def _store_fq2(row, k, a):
    for i in range(4):
        row[k + i] = a[0][i]
        row[k + 4 + i] = a[1][i]


@njit(cache=True, nogil=True)
def _store_point(row, t):
    _store_fq2(row, 0, t[0])
    _store_fq2(row, 8, t[1])
    _store_fq2(row, 16, t[2])


@njit(cache=True, nogil=True)
def _load_point(row):
    return (_fq2(row, 0), _fq2(row, 8), _fq2(row, 16))


@njit(cache=True, nogil=True)
def multi_miller_loop(g1, g2):
    """Π_j f_{6u+2, Q_j}(P_j)·(Frobenius lines) ∈ Fq12, before the final exponentiation.

    ``g1`` is (n, 8): affine x ‖ y of each P_j, ``g2`` is (n, 16): affine x.c0 ‖ x.c1 ‖ y.c0 ‖ y.c1
    of each Q_j, Fq Montgomery limbs; no identities (a pair with one contributes 1 and the caller
    drops it). T_j lives in an (n, 24) scratch array of projective points.
    """
    n = g1.shape[0]
    ts = np.empty((n, 24), dtype=np.uint64)
    for j in range(n):
        _store_point(ts[j], (_fq2(g2[j], 0), _fq2(g2[j], 8), tower.FQ2_ONE))
    f = tower.FQ12_ONE
    for i in range(len(ATE_NAF) - 2, -1, -1):
        f = tower.fq12_square(f)
        for j in range(n):
            xp, yp = _fq(g1[j], 0), _fq(g1[j], 4)
            t, la, lb, lc = double_step(_load_point(ts[j]), xp, yp)
            f = tower.fq12_mul_line(f, la, lb, lc)
            _store_point(ts[j], t)
        d = ATE_NAF[i]
        if d != 0:
            for j in range(n):
                xp, yp = _fq(g1[j], 0), _fq(g1[j], 4)
                qx, qy = _fq2(g2[j], 0), _fq2(g2[j], 8)
                if d < 0:
                    qy = fq2_neg(qy)
                t, la, lb, lc = add_step(_load_point(ts[j]), qx, qy, xp, yp)
                f = tower.fq12_mul_line(f, la, lb, lc)
                _store_point(ts[j], t)
    for j in range(n):
        xp, yp = _fq(g1[j], 0), _fq(g1[j], 4)
        qx, qy = _fq2(g2[j], 0), _fq2(g2[j], 8)
        q1x, q1y = twist_frobenius(qx, qy)
        t, la, lb, lc = add_step(_load_point(ts[j]), q1x, q1y, xp, yp)
        f = tower.fq12_mul_line(f, la, lb, lc)
        q2x, q2y = twist_frobenius2(qx, qy)
        _, la, lb, lc = add_step(t, q2x, fq2_neg(q2y), xp, yp)
        f = tower.fq12_mul_line(f, la, lb, lc)
    return f
