"""Numba device functions for the BN254 extension tower Fq2 ⊂ Fq6 ⊂ Fq12 (pairing targets).

The tower is the one halo2curves (and arkworks, gnark) use:

    Fq2  = Fq[u]  / (u² + 1)
    Fq6  = Fq2[v] / (v³ − ξ),  ξ = 9 + u
    Fq12 = Fq6[w] / (w² − v)

so w⁶ = ξ, and an Fq12 element is Σ_{i<6} c_i·w^i with c_i ∈ Fq2. Elements are nested tuples of
Fq Montgomery 4-tuples: Fq2 = (c0, c1), Fq6 = (c0, c1, c2) of Fq2, Fq12 = (g0, g1) of Fq6, where
g0 = (c0, c2, c4) holds the even powers of w and g1 = (c1, c3, c5) the odd ones. Tuples keep
everything in registers and let LLVM inline the Fq kernels, as ``halo2py.curve.g1`` does.

Multiplications are Karatsuba at every level (3 Fq products per Fq2 product, 6 Fq2 per Fq6,
3 Fq6 per Fq12). Frobenius maps use c_i^(q^k) = conj^k(c_i) and w^(i·q^k) = ξ^(i(q^k − 1)/6)·w^i;
the constants γ_{k,i} = ξ^(i(q^k − 1)/6) are computed here from the modulus with Python ints.
"""

import numpy as np
from numba import njit

from halo2py.arith import fq
from halo2py.arith.constants import FQ, to_limbs
from halo2py.curve.g1 import inverse as fq_inverse

_Z = np.uint64(0)
_P = FQ.p
FQ_ZERO = (_Z, _Z, _Z, _Z)


def _mont(x: int) -> tuple:
    return to_limbs(x % _P * FQ.r % _P)


def _fq2_int_mul(a, b):
    """(a0 + a1·u)(b0 + b1·u) on canonical int pairs, for the constants below."""
    return ((a[0] * b[0] - a[1] * b[1]) % _P, (a[0] * b[1] + a[1] * b[0]) % _P)


def _fq2_int_pow(a, e: int):
    acc = (1, 0)
    for bit in bin(e)[2:]:
        acc = _fq2_int_mul(acc, acc)
        if bit == "1":
            acc = _fq2_int_mul(acc, a)
    return acc


def fq2_constant(c) -> tuple:
    """A canonical int pair (c0, c1) as an Fq2 Montgomery constant for the kernels."""
    return (_mont(c[0]), _mont(c[1]))


XI = (9, 1)
FQ2_ZERO = (FQ_ZERO, FQ_ZERO)
FQ2_ONE = (fq.ONE, FQ_ZERO)
FQ6_ZERO = (FQ2_ZERO, FQ2_ZERO, FQ2_ZERO)
FQ6_ONE = (FQ2_ONE, FQ2_ZERO, FQ2_ZERO)
FQ12_ONE = (FQ6_ONE, FQ6_ZERO)

# γ_{1,i} = ξ^(i(q−1)/6); then γ_{2,i} = γ_{1,i}^(q+1) = γ·conj(γ) (in Fq) and
# γ_{3,i} = γ_{1,i}^(q²+q+1) = γ_{1,i}·γ_{2,i}, since γ_{1,i}^(q²) = γ_{1,i} for γ ∈ Fq2.
_G1_INT = [_fq2_int_pow(XI, i * (_P - 1) // 6) for i in range(6)]
_G2_INT = [_fq2_int_mul(g, (g[0], -g[1] % _P)) for g in _G1_INT]
_G3_INT = [_fq2_int_mul(g1, g2) for g1, g2 in zip(_G1_INT, _G2_INT)]
FROB1 = tuple(fq2_constant(g) for g in _G1_INT)
FROB2 = tuple(fq2_constant(g) for g in _G2_INT)
FROB3 = tuple(fq2_constant(g) for g in _G3_INT)


# ---- Fq2 ------------------------------------------------------------------------------------
@njit(cache=True, nogil=True)
def fq2_add(a, b):
    return (fq.add(a[0], b[0]), fq.add(a[1], b[1]))


@njit(cache=True, nogil=True)
def fq2_sub(a, b):
    return (fq.sub(a[0], b[0]), fq.sub(a[1], b[1]))


@njit(cache=True, nogil=True)
def fq2_neg(a):
    return (fq.neg(a[0]), fq.neg(a[1]))


@njit(cache=True, nogil=True)
def fq2_dbl(a):
    return (fq.add(a[0], a[0]), fq.add(a[1], a[1]))


@njit(cache=True, nogil=True)
def fq2_conj(a):
    """a^q: the Frobenius of Fq2 negates u."""
    return (a[0], fq.neg(a[1]))


@njit(cache=True, nogil=True)
def fq2_mul(a, b):
    """Karatsuba: a0b0 − a1b1 + ((a0 + a1)(b0 + b1) − a0b0 − a1b1)·u, 3 Fq products."""
    t0 = fq.mul(a[0], b[0])
    t1 = fq.mul(a[1], b[1])
    m = fq.mul(fq.add(a[0], a[1]), fq.add(b[0], b[1]))
    return (fq.sub(t0, t1), fq.sub(fq.sub(m, t0), t1))


@njit(cache=True, nogil=True)
def fq2_square(a):
    """(a0 + a1)(a0 − a1) + 2·a0·a1·u, 2 Fq products."""
    t = fq.mul(a[0], a[1])
    return (fq.mul(fq.add(a[0], a[1]), fq.sub(a[0], a[1])), fq.add(t, t))


@njit(cache=True, nogil=True)
def fq2_mul_fq(a, s):
    """a·s for s ∈ Fq (line coefficients times the G1 coordinates)."""
    return (fq.mul(a[0], s), fq.mul(a[1], s))


@njit(cache=True, nogil=True)
def fq2_mul_xi(a):
    """a·(9 + u) = (9a0 − a1) + (a0 + 9a1)·u, with additions only."""
    a0, a1 = a
    e0 = fq.add(a0, a0)
    e0 = fq.add(e0, e0)
    e0 = fq.add(fq.add(e0, e0), a0)
    e1 = fq.add(a1, a1)
    e1 = fq.add(e1, e1)
    e1 = fq.add(fq.add(e1, e1), a1)
    return (fq.sub(e0, a1), fq.add(a0, e1))


@njit(cache=True, nogil=True)
def fq2_inverse(a):
    """conj(a) / (a0² + a1²); a must be non-zero."""
    n = fq_inverse(fq.add(fq.square(a[0]), fq.square(a[1])))
    return (fq.mul(a[0], n), fq.neg(fq.mul(a[1], n)))


# ---- Fq6 ------------------------------------------------------------------------------------
@njit(cache=True, nogil=True)
def fq6_add(a, b):
    return (fq2_add(a[0], b[0]), fq2_add(a[1], b[1]), fq2_add(a[2], b[2]))


@njit(cache=True, nogil=True)
def fq6_sub(a, b):
    return (fq2_sub(a[0], b[0]), fq2_sub(a[1], b[1]), fq2_sub(a[2], b[2]))


@njit(cache=True, nogil=True)
def fq6_neg(a):
    return (fq2_neg(a[0]), fq2_neg(a[1]), fq2_neg(a[2]))


@njit(cache=True, nogil=True)
def fq6_mul_v(a):
    """a·v: the coefficients shift up and v³ = ξ wraps the top one around."""
    return (fq2_mul_xi(a[2]), a[0], a[1])


@njit(cache=True, nogil=True)
def fq6_mul(a, b):
    """Karatsuba over Fq2 (6 products): cross terms from (a_i + a_j)(b_i + b_j) − a_ib_i − a_jb_j."""
    t0 = fq2_mul(a[0], b[0])
    t1 = fq2_mul(a[1], b[1])
    t2 = fq2_mul(a[2], b[2])
    m12 = fq2_sub(fq2_sub(fq2_mul(fq2_add(a[1], a[2]), fq2_add(b[1], b[2])), t1), t2)
    m01 = fq2_sub(fq2_sub(fq2_mul(fq2_add(a[0], a[1]), fq2_add(b[0], b[1])), t0), t1)
    m02 = fq2_sub(fq2_sub(fq2_mul(fq2_add(a[0], a[2]), fq2_add(b[0], b[2])), t0), t2)
    return (fq2_add(t0, fq2_mul_xi(m12)), fq2_add(m01, fq2_mul_xi(t2)), fq2_add(m02, t1))


@njit(cache=True, nogil=True)
def fq6_square(a):
    """Chung–Hasan SQR2: 2 products and 3 squarings instead of 6 products."""
    s0 = fq2_square(a[0])
    ab = fq2_mul(a[0], a[1])
    s1 = fq2_dbl(ab)
    s2 = fq2_square(fq2_add(fq2_sub(a[0], a[1]), a[2]))
    bc = fq2_mul(a[1], a[2])
    s3 = fq2_dbl(bc)
    s4 = fq2_square(a[2])
    c0 = fq2_add(s0, fq2_mul_xi(s3))
    c1 = fq2_add(s1, fq2_mul_xi(s4))
    c2 = fq2_sub(fq2_sub(fq2_add(fq2_add(s1, s2), s3), s0), s4)
    return (c0, c1, c2)


@njit(cache=True, nogil=True)
def fq6_mul_fq2(a, s):
    return (fq2_mul(a[0], s), fq2_mul(a[1], s), fq2_mul(a[2], s))


@njit(cache=True, nogil=True)
def fq6_mul_01(a, b0, b1):
    """a·(b0 + b1·v), the shape of a line's odd half (5 Fq2 products)."""
    t0 = fq2_mul(a[0], b0)
    t1 = fq2_mul(a[1], b1)
    t2 = fq2_mul(a[2], b0)
    t3 = fq2_mul(a[2], b1)
    m = fq2_mul(fq2_add(a[0], a[1]), fq2_add(b0, b1))
    return (fq2_add(t0, fq2_mul_xi(t3)), fq2_sub(fq2_sub(m, t0), t1), fq2_add(t1, t2))


@njit(cache=True, nogil=True)
def fq6_inverse(a):
    """adj(a)/N(a) with adj from the 3×3 multiplication matrix; a must be non-zero."""
    a0, a1, a2 = a
    c0 = fq2_sub(fq2_square(a0), fq2_mul_xi(fq2_mul(a1, a2)))
    c1 = fq2_sub(fq2_mul_xi(fq2_square(a2)), fq2_mul(a0, a1))
    c2 = fq2_sub(fq2_square(a1), fq2_mul(a0, a2))
    t = fq2_add(fq2_mul(a0, c0), fq2_mul_xi(fq2_add(fq2_mul(a2, c1), fq2_mul(a1, c2))))
    ti = fq2_inverse(t)
    return (fq2_mul(c0, ti), fq2_mul(c1, ti), fq2_mul(c2, ti))


# ---- Fq12 -----------------------------------------------------------------------------------
@njit(cache=True, nogil=True)
def fq12_mul(a, b):
    """Karatsuba over Fq6: (a0 + a1w)(b0 + b1w) = a0b0 + a1b1·v + ((a0 + a1)(b0 + b1) − a0b0 − a1b1)·w."""
    t0 = fq6_mul(a[0], b[0])
    t1 = fq6_mul(a[1], b[1])
    m = fq6_mul(fq6_add(a[0], a[1]), fq6_add(b[0], b[1]))
    return (fq6_add(t0, fq6_mul_v(t1)), fq6_sub(fq6_sub(m, t0), t1))


@njit(cache=True, nogil=True)
def fq12_square(a):
    """Complex squaring: a0² + a1²v = (a0 + a1)(a0 + a1v) − a0a1 − a0a1·v, 2 Fq6 products."""
    ab = fq6_mul(a[0], a[1])
    m = fq6_mul(fq6_add(a[0], a[1]), fq6_add(a[0], fq6_mul_v(a[1])))
    return (fq6_sub(fq6_sub(m, ab), fq6_mul_v(ab)), fq6_add(ab, ab))


@njit(cache=True, nogil=True)
def fq12_conj(a):
    """a^(q⁶): w ↦ −w. On the cyclotomic subgroup (after the easy part) this is the inverse."""
    return (a[0], fq6_neg(a[1]))


@njit(cache=True, nogil=True)
def fq12_inverse(a):
    """(a0 − a1w)/(a0² − a1²v); a must be non-zero."""
    d = fq6_inverse(fq6_sub(fq6_square(a[0]), fq6_mul_v(fq6_square(a[1]))))
    return (fq6_mul(a[0], d), fq6_neg(fq6_mul(a[1], d)))


@njit(cache=True, nogil=True)
def fq12_mul_line(f, a, b, c):
    """f·(a + b·w + c·w³), the sparse shape of every Miller-loop line (13 Fq2 products, not 18).

    In the tower the line is (a, 0, 0) + (b, c, 0)·w, since w³ = v·w.
    """
    t0 = fq6_mul_fq2(f[0], a)
    t1 = fq6_mul_01(f[1], b, c)
    m = fq6_mul_01(fq6_add(f[0], f[1]), fq2_add(a, b), c)
    return (fq6_add(t0, fq6_mul_v(t1)), fq6_sub(fq6_sub(m, t0), t1))


@njit(cache=True, nogil=True)
def _frobenius(a, g, odd):
    """Σ c_i w^i ↦ Σ conj^k(c_i)·γ_{k,i}·w^i, given γ_{k,·} = g and whether k is odd."""
    e0, e1 = a
    if odd:
        e0 = (fq2_conj(e0[0]), fq2_conj(e0[1]), fq2_conj(e0[2]))
        e1 = (fq2_conj(e1[0]), fq2_conj(e1[1]), fq2_conj(e1[2]))
    return (
        (e0[0], fq2_mul(e0[1], g[2]), fq2_mul(e0[2], g[4])),
        (fq2_mul(e1[0], g[1]), fq2_mul(e1[1], g[3]), fq2_mul(e1[2], g[5])),
    )


@njit(cache=True, nogil=True)
def fq12_frobenius(a, k):
    """a^(q^k) for k = 1, 2, 3 (the powers the final exponentiation uses)."""
    if k == 1:
        return _frobenius(a, FROB1, True)
    if k == 2:
        return _frobenius(a, FROB2, False)
    return _frobenius(a, FROB3, True)


@njit(cache=True, nogil=True)
def _fq4_square(x0, x1):
    """(x0 + x1·s)² in Fq4 = Fq2[s]/(s² − ξ): (x0² + ξx1², 2x0x1), from 3 Fq2 squarings."""
    s0 = fq2_square(x0)
    s1 = fq2_square(x1)
    cross = fq2_sub(fq2_sub(fq2_square(fq2_add(x0, x1)), s0), s1)
    return fq2_add(s0, fq2_mul_xi(s1)), cross


@njit(cache=True, nogil=True)
def cyclotomic_square(f):
    """f² for f in the cyclotomic subgroup (f^(q⁶+1) = 1), Granger–Scott: 9 Fq2 squarings.

    Write Fq12 = Fq4[w]/(w³ − s) with s = w³, s² = ξ, and f = A + B·w + C·w² for A = c0 + c3·s,
    B = c1 + c4·s, C = c2 + c5·s. For such f, f² = (3A² − 2·Ā) + (3s·C² + 2·B̄)·w + (3B² − 2·C̄)·w²,
    where Ā is the Fq4 conjugate (s ↦ −s). Each part is z ↦ 3z² ∓ 2z̄, done as 2(z² ∓ z̄) + z².
    """
    e0, e1 = f
    # (A, B, C) in tower positions: A = (e0[0], e1[1]), B = (e1[0], e0[2]), C = (e0[1], e1[2]).
    a0, a1 = _fq4_square(e0[0], e1[1])
    b0, b1 = _fq4_square(e1[0], e0[2])
    c0, c1 = _fq4_square(e0[1], e1[2])
    sc0, sc1 = fq2_mul_xi(c1), c0  # s·C² = ξ·(C²)_1 + (C²)_0·s
    # 3A² − 2Ā: parts (3a0 − 2A_0, 3a1 + 2A_1)
    n0 = fq2_add(fq2_dbl(fq2_sub(a0, e0[0])), a0)
    n3 = fq2_add(fq2_dbl(fq2_add(a1, e1[1])), a1)
    # 3sC² + 2B̄: parts (3sc0 + 2B_0, 3sc1 − 2B_1)
    n1 = fq2_add(fq2_dbl(fq2_add(sc0, e1[0])), sc0)
    n4 = fq2_add(fq2_dbl(fq2_sub(sc1, e0[2])), sc1)
    # 3B² − 2C̄: parts (3b0 − 2C_0, 3b1 + 2C_1)
    n2 = fq2_add(fq2_dbl(fq2_sub(b0, e0[1])), b0)
    n5 = fq2_add(fq2_dbl(fq2_add(b1, e1[2])), b1)
    # back to tower positions: c0 = n0, c3 = n3 (A); c1 = n1, c4 = n4 (B); c2 = n2, c5 = n5 (C)
    return ((n0, n2, n4), (n1, n3, n5))

