"""The BN254 final exponentiation f ↦ f^((q¹² − 1)/r) (Numba), exact, so values match py_ecc's.

(q¹² − 1)/r = (q⁶ − 1)·(q² + 1)·(q⁴ − q² + 1)/r.

Easy part: f^(q⁶ − 1) = conj(f)/f, then ·^(q² + 1) with one Frobenius. The result lies in the
cyclotomic subgroup, where the inverse is the conjugate and squaring is Granger–Scott's.

Hard part: (q⁴ − q² + 1)/r = λ0 + λ1·q + λ2·q² + λ3·q³ with (Scott et al., 2009, for BN curves)
λ3 = 1, λ2 = 6u² + 1, λ1 = −36u³ − 18u² − 12u + 1, λ0 = −36u³ − 30u² − 18u − 2. With
a = f^u, b = f^(u²), c = f^(u³) (three exponentiations by u, the bulk of the cost) and Frobenius
maps, the result is y0·y1²·y2⁶·y3¹²·y4¹⁸·y5³⁰·y6³⁶ for

    y0 = f^q·f^(q²)·f^(q³),  y1 = f⁻¹,  y2 = b^(q²),  y3 = a^(−q),  y4 = a⁻¹·b^(−q),
    y5 = b⁻¹,  y6 = c⁻¹·c^(−q),

evaluated as z² · y0 with z = w³·y1, w = v²·y2·y4·y5, v = (y5·y6)²·y6·y3·y4 — 4 squarings and
10 multiplications (the exponents (2, 6, 12, 18, 30, 36) are 2·(1, 3·(1, 2, 3, 5, 6)) and
(2, 3, 5, 6) = 2·(1, 1, 2, 3) + (0, 1, 1, 0)).
"""

import numpy as np
from numba import njit

from halo2py.curve import tower
from halo2py.curve.miller import U
from halo2py.curve.tower import cyclotomic_square, fq12_conj, fq12_frobenius, fq12_mul

_U = np.uint64(U)
_U_TOP = U.bit_length() - 1


@njit(cache=True, nogil=True)
def exp_by_u(f):
    """f^u for f in the cyclotomic subgroup (square-and-multiply over the 63 bits of u)."""
    acc = f
    for i in range(_U_TOP - 1, -1, -1):
        acc = cyclotomic_square(acc)
        if (_U >> np.uint64(i)) & np.uint64(1):
            acc = fq12_mul(acc, f)
    return acc


@njit(cache=True, nogil=True)
def easy_part(f):
    """f^((q⁶ − 1)(q² + 1)); f must be non-zero (a Miller loop value always is)."""
    g = fq12_mul(fq12_conj(f), tower.fq12_inverse(f))
    return fq12_mul(fq12_frobenius(g, 2), g)


@njit(cache=True, nogil=True)
def hard_part(f):
    """f^((q⁴ − q² + 1)/r) for f in the cyclotomic subgroup."""
    a = exp_by_u(f)
    b = exp_by_u(a)
    c = exp_by_u(b)
    y0 = fq12_mul(fq12_mul(fq12_frobenius(f, 1), fq12_frobenius(f, 2)), fq12_frobenius(f, 3))
    y1 = fq12_conj(f)
    y2 = fq12_frobenius(b, 2)
    y3 = fq12_conj(fq12_frobenius(a, 1))
    y4 = fq12_conj(fq12_mul(a, fq12_frobenius(b, 1)))
    y5 = fq12_conj(b)
    y6 = fq12_conj(fq12_mul(c, fq12_frobenius(c, 1)))
    v = fq12_mul(fq12_mul(fq12_mul(cyclotomic_square(fq12_mul(y5, y6)), y6), y3), y4)
    w = fq12_mul(fq12_mul(fq12_mul(cyclotomic_square(v), y2), y4), y5)
    z = fq12_mul(fq12_mul(cyclotomic_square(w), w), y1)
    return fq12_mul(cyclotomic_square(z), y0)


@njit(cache=True, nogil=True)
def final_exponentiation(f):
    return hard_part(easy_part(f))
