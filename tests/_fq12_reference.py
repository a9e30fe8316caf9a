"""A slow, independent Fq12 for testing the Numba tower: Python ints, schoolbook products.

Fq12 here is Fq2[w]/(w⁶ − ξ), ξ = 9 + u, an element the list [c0, …, c5] of Fq2 pairs (a, b)
standing for Σ (a_i + b_i·u)·w^i. It shares no formulas with ``halo2py.curve.tower`` (which
nests Fq6 and uses Karatsuba), only the field it defines, so agreement is evidence.

py_ecc's FQ12 is Fq[W]/(W¹² − 18W⁶ + 82). With u = w⁶ − 9 we get (w⁶ − 9)² = u² = −1, i.e.
w¹² − 18w⁶ + 82 = 0: the map W ↦ w, u ↦ w⁶ − 9 is a field isomorphism, and it is the one py_ecc's
own ``twist`` uses (an FQ2 coordinate a + b·u becomes (a − 9b) + b·W⁶). So Σ (a_i + b_i·u)·w^i
has py_ecc coefficients (a_i − 9b_i) at W^i and b_i at W^(i+6).
"""

import random

from py_ecc.optimized_bn128 import FQ12

from halo2py.arith.constants import FQ, from_limbs, to_limbs

P = FQ.p
XI = (9, 1)


def fq2_mul(a, b):
    return ((a[0] * b[0] - a[1] * b[1]) % P, (a[0] * b[1] + a[1] * b[0]) % P)


def fq2_add(a, b):
    return ((a[0] + b[0]) % P, (a[1] + b[1]) % P)


def rand_fq2(rng):
    return (rng.randrange(P), rng.randrange(P))


def rand_fq12(rng):
    return [rand_fq2(rng) for _ in range(6)]


def mul(a, b):
    acc = [(0, 0)] * 11
    for i in range(6):
        for j in range(6):
            acc[i + j] = fq2_add(acc[i + j], fq2_mul(a[i], b[j]))
    return [fq2_add(acc[i], fq2_mul(XI, acc[i + 6])) if i < 5 else acc[i] for i in range(6)]


def power(a, e: int):
    acc = [(1, 0)] + [(0, 0)] * 5
    for bit in bin(e)[2:]:
        acc = mul(acc, acc)
        if bit == "1":
            acc = mul(acc, a)
    return acc


ONE = [(1, 0)] + [(0, 0)] * 5


# ---- conversions -----------------------------------------------------------------------------
def mont(x: int) -> tuple:
    return to_limbs(x % P * FQ.r % P)


def unmont(limbs) -> int:
    return from_limbs(limbs) * FQ.r_inv % P


def fq2_to_kernel(c):
    return (mont(c[0]), mont(c[1]))


def fq2_from_kernel(t):
    return (unmont(t[0]), unmont(t[1]))


def to_kernel(a):
    """Reference element → the kernels' nested tuple (g0 = even powers of w, g1 = odd ones)."""
    k = [fq2_to_kernel(c) for c in a]
    return ((k[0], k[2], k[4]), (k[1], k[3], k[5]))


def from_kernel(t):
    g0, g1 = t
    return [fq2_from_kernel(x) for x in (g0[0], g1[0], g0[1], g1[1], g0[2], g1[2])]


def from_rows(rows):
    """The (12, 4) output rows of ``ate.pairing_product`` → reference element."""
    fq2s = [(unmont(tuple(rows[2 * m])), unmont(tuple(rows[2 * m + 1]))) for m in range(6)]
    g0, g1 = fq2s[:3], fq2s[3:]
    return [g0[0], g1[0], g0[1], g1[1], g0[2], g1[2]]


def to_py_ecc(a):
    coeffs = [0] * 12
    for i, (x, y) in enumerate(a):
        coeffs[i] = (x - 9 * y) % P
        coeffs[i + 6] = y
    return FQ12(coeffs)


def rng(seed: int):
    return random.Random(seed)
