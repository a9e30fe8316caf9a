"""The GLV endomorphism of BN254 G1, and scalars split into two halves of ~127 bits for it.

G1 has j-invariant 0, so φ(x, y) = (β·x, y), with β a primitive cube root of unity in Fq, maps
the curve to itself; on the prime-order group it acts as multiplication by a cube root of
unity λ in Fr. Of the two β and the two λ only one pairing matches (the other β goes with λ²);
the constants below are that pair, and the tests check φ(P) = λ·P on random points.

A scalar k then splits as k ≡ k1 + k2·λ (mod r) with |k1|, |k2| < 2^127 (Babai rounding against
a reduced basis of the lattice {(a, b) : a + b·λ ≡ 0 mod r}), so Σ kᵢ·Pᵢ = Σ k1ᵢ·Pᵢ + k2ᵢ·φ(Pᵢ):
twice the points with half-length scalars, i.e. half the Pippenger windows for the same point
count, each window with twice the points (the bucket reductions halve, the additions stay).

Split scalars are (n, 4) uint64 rows, one 128-bit half per limb pair: limbs 0–1 hold |k1|,
limbs 2–3 hold |k2|, each half's sign in its top bit (bit 127, free since |kᵢ| < 2^127). A
negative half is applied by negating the point (negating y is free).
"""

import numpy as np
from numba import njit, prange

from halo2py.arith import fq, limbs
from halo2py.arith._intrinsics import adc, mac, sbb
from halo2py.arith.constants import FQ, FR_MODULUS, to_limbs

R = FR_MODULUS
LAMBDA = 0xB3C4D79D41A917585BFC41088D8DAAA78B17EA66B99C90DD  # λ² + λ + 1 ≡ 0 (mod r)
BETA = 0x59E26BCEA0D48BACD4F263F1ACDB5C4F5763473177FFFFFE  # β³ = 1 in Fq; (β·x, y) = λ·(x, y)

# A reduced lattice basis v1 = (A1, −B1), v2 = (A2, B2): A1 − B1·λ ≡ A2 + B2·λ ≡ 0 (mod r) and
# A1·B2 + A2·B1 = r, all entries positive as written (the extended Euclid of r and λ, stopped
# at √r, as in Gallant–Lambert–Vanstone §4).
A1 = 0x89D3256894D213E3
B1 = 0x6F4D8248EEB859FC8211BBEB7D4F1128
A2 = 0x6F4D8248EEB859FD0BE4E1541221250B
B2 = 0x89D3256894D213E3

# Babai's rounding needs c1 = round(B2·k / r) and c2 = round(B1·k / r); with G = round(B·2^256 / r)
# they are the top of k·G + 2^255 shifted by 256 bits, off by at most 1/8 + 1/2 from the exact
# quotients, which keeps |k1|, |k2| ≤ (5/8)·(A1 + A2) < 2^126.2.
_G1 = (B2 << 256) // R + ((B2 << 256) % R > R // 2)
_G2 = (B1 << 256) // R + ((B1 << 256) % R > R // 2)
BITS = 128  # bit length of a half's magnitude bound 2^127, plus the zero bit Booth digits need

_Z = np.uint64(0)
_HALF = np.uint64(1 << 63)
_LOW63 = np.uint64((1 << 63) - 1)
_U1 = np.uint64(1)
_G1L = to_limbs(_G1)[:2]
_G2L = to_limbs(_G2)[:3]
_A1 = np.uint64(A1)
_A2L = to_limbs(A2)[:2]
_B1L = to_limbs(B1)[:2]
_B2 = np.uint64(B2)
_BETA = to_limbs(BETA * FQ.r % FQ.p)  # Montgomery form


@njit(parallel=True, cache=True, nogil=True)
def phi_x(bases, out):
    """out[i] = β·x of bases[i], the x-coordinate of φ(P) = (β·x, y) (y is P's own).

    The identity (0, 0) maps to (0, 0), still the identity.
    """
    for i in prange(bases.shape[0]):
        x = (bases[i, 0], bases[i, 1], bases[i, 2], bases[i, 3])
        limbs.store(out, i, fq.mul(x, _BETA))


@njit(cache=True, nogil=True)
def _mac_row(t0, t1, t2, t3, k, g):
    """(t0, t1, t2, t3) + k·g for a 4-limb k and one limb g, as 5 limbs."""
    r0, c = mac(t0, k[0], g, _Z)
    r1, c = mac(t1, k[1], g, c)
    r2, c = mac(t2, k[2], g, c)
    r3, c = mac(t3, k[3], g, c)
    return r0, r1, r2, r3, c


@njit(cache=True, nogil=True)
def _quotients(k):
    """(c1, c2 low, c2 high): c1 = ⌊(k·G1 + 2^255) / 2^256⌋ < 2^64 and c2 likewise < 2^127.

    Schoolbook products, one row per limb of G; names say which limb of the product they are.
    """
    _, l1, l2, l3, l4 = _mac_row(_Z, _Z, _Z, _Z, k, _G1L[0])
    _, l2, l3, l4, _ = _mac_row(l1, l2, l3, l4, k, _G1L[1])  # limb 5 is 0: c1 < 2^64
    _, carry = adc(l3, _HALF, _Z)  # + 2^255
    c1 = l4 + carry
    _, l1, l2, l3, l4 = _mac_row(_Z, _Z, _Z, _Z, k, _G2L[0])
    _, l2, l3, l4, l5 = _mac_row(l1, l2, l3, l4, k, _G2L[1])
    _, l3, l4, l5, _ = _mac_row(l2, l3, l4, l5, k, _G2L[2])  # limb 6 is 0: c2 < 2^127
    _, carry = adc(l3, _HALF, _Z)
    lo, carry = adc(l4, _Z, carry)
    return c1, lo, l5 + carry


@njit(cache=True, nogil=True)
def _mul128(alo, ahi, blo, bhi):
    """a·b mod 2^128 as (low, high) limbs."""
    lo, hi = mac(_Z, alo, blo, _Z)
    return lo, hi + alo * bhi + ahi * blo


@njit(cache=True, nogil=True)
def _sub128(alo, ahi, blo, bhi):
    lo, borrow = sbb(alo, blo, _Z)
    hi, _ = sbb(ahi, bhi, borrow)
    return lo, hi


@njit(cache=True, nogil=True)
def _signed_store(out, i, col, lo, hi):
    """Store a two's-complement 128-bit value |v| with v's sign in bit 127."""
    if hi >> np.uint64(63):
        lo, hi = _sub128(_Z, _Z, lo, hi)
        hi |= _HALF
    out[i, col] = lo
    out[i, col + 1] = hi


@njit(parallel=True, cache=True, nogil=True)
def split(scalars, out):
    """out[i] = the halves (k1, k2) of canonical scalars[i] (see the module docstring).

    k1 = k − c1·A1 − c2·A2 and k2 = c1·B1 − c2·B2 are below 2^127 in magnitude, so they are
    computed modulo 2^128 and read as two's complement.
    """
    for i in prange(scalars.shape[0]):
        k = (scalars[i, 0], scalars[i, 1], scalars[i, 2], scalars[i, 3])
        c1, c2lo, c2hi = _quotients(k)
        lo, hi = mac(_Z, c1, _A1, _Z)
        lo, hi = _sub128(k[0], k[1], lo, hi)
        dlo, dhi = _mul128(c2lo, c2hi, _A2L[0], _A2L[1])
        lo, hi = _sub128(lo, hi, dlo, dhi)
        _signed_store(out, i, 0, lo, hi)
        lo, hi = _mul128(c1, _Z, _B1L[0], _B1L[1])
        dlo, dhi = mac(_Z, c2lo, _B2, _Z)
        lo, hi = _sub128(lo, hi, dlo, dhi + c2hi * _B2)
        _signed_store(out, i, 2, lo, hi)


@njit(cache=True, nogil=True)
def digit(s, i, half, w, c):
    """Signed Booth digit of window ``w`` (width c) of half ``half`` of split row ``i``, with the
    half's sign applied, so the bucket method adds digit·P (half 0) or digit·φ(P) (half 1).

    Same recoding as ``msm.booth_digit``: bits [cw, cw+c) + bit cw−1 − 2^c·bit(cw+c−1); bit 127
    (the sign) reads as zero, so the digits of c·w ≥ 128 bits recombine to the magnitude.
    """
    lo = s[i, 2 * half]
    hi_raw = s[i, 2 * half + 1]
    hi = hi_raw & _LOW63
    start = w * c - 1
    if start < 0:
        word = lo << _U1
    elif start < 64:
        word = lo >> np.uint64(start)
        if start > 0:
            word |= hi << np.uint64(64 - start)
    elif start < 128:
        word = hi >> np.uint64(start - 64)
    else:
        word = _Z
    v = word & ((_U1 << np.uint64(c + 1)) - _U1)
    x = np.int64(v >> _U1)
    prev = np.int64(v & _U1)
    top = np.int64((v >> np.uint64(c)) & _U1)
    d = x + prev - (top << c)
    return -d if hi_raw >> np.uint64(63) else d
