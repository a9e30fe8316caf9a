"""Many multiples of one fixed G1 point: s_i·B for millions of scalars s_i (trusted setup).

Setup needs τ^i·G and L_i(τ)·G for every i < n — 2n products of the *same* base. A table of
multiples pays for itself: split each scalar into signed c-bit digits d_w ∈ (−2^(c−1), 2^(c−1)],
so s = Σ_w d_w·2^(c·w), and precompute T[w][d] = d·2^(c·w)·B for d = 1 .. 2^(c−1). Then
s·B = Σ_w ±T[w][|d_w|] costs ⌈254/c⌉ + 1 additions and no doublings at all, against ~380
group operations for double-and-add. A negative digit uses −T (negate y, free). The additions
run in affine coordinates, batched so that thousands share one inversion (see ``_multiply``).

Cost: the table is (⌈254/c⌉ + 1)·2^(c−1) points (c = 16: 17·32768 points, 36 MB), built by one
addition each plus one batch inversion; c grows with the number of scalars so the table stays a
small fraction of the work.
"""

import numpy as np
from numba import njit, prange

from halo2py.arith import fq, limbs
from halo2py.arith.field import Fr
from halo2py.curve import g1
from halo2py.curve.points import AFFINE, G1, JACOBIAN

_SCALAR_BITS = 254  # r < 2^254
_BLOCK = 1 << 18  # scalars per pass (bounds the canonical copy of the scalars)
_CHUNK = 2048  # additions sharing one inversion (one parallel task)


def window_bits(count: int) -> int:
    """Digit width c: about log2(count) − 3, between 4 and 16 (balances table against lookups)."""
    return max(4, min(16, count.bit_length() - 4))


def _windows(c: int) -> int:
    return -(-_SCALAR_BITS // c) + 1  # one extra window absorbs the final carry


@njit(cache=True, nogil=True)
def _window_bases(base, c, out):
    """out[w] = 2^(c·w)·base (Jacobian rows), by c doublings per window."""
    x, y = g1.load_aff(base, 0)
    z = g1.ONE
    for w in range(out.shape[0]):
        g1.store_jac(out, w, x, y, z)
        for _ in range(c):
            x, y, z = g1.double(x, y, z)


@njit(parallel=True, cache=True, nogil=True)
def _fill_table(bases, half, table):
    """table[w·half + d − 1] = d·bases[w] for d = 1 .. half (Jacobian rows), windows in parallel."""
    for w in prange(bases.shape[0]):
        bx, by = g1.load_aff(bases, w)
        x, y, z = g1.ZERO, g1.ZERO, g1.ZERO
        for d in range(half):
            x, y, z = g1.add_mixed(x, y, z, bx, by)
            g1.store_jac(table, w * half + d, x, y, z)


@njit(cache=True, nogil=True)
def _digit_bits(s, i, offset, c):
    """Bits [offset, offset + c) of the canonical scalar s[i] (4 little-endian limbs)."""
    limb = offset >> 6
    if limb >= 4:
        return np.int64(0)
    shift = np.uint64(offset & 63)
    v = s[i, limb] >> shift
    if (offset & 63) + c > 64 and limb + 1 < 4:
        v |= s[i, limb + 1] << (np.uint64(64) - shift)
    mask = (np.uint64(1) << np.uint64(c)) - np.uint64(1)
    return np.int64(v & mask)


@njit(cache=True, nogil=True)
def _recode(scalars, lo, hi, c, windows, digits):
    """digits[t − lo, w] = signed c-bit digits of scalars[t], d ∈ (−2^(c−1), 2^(c−1)]."""
    half = np.int64(1) << (c - 1)
    full = np.int64(1) << c
    for t in range(lo, hi):
        carry = np.int64(0)
        for w in range(windows):
            d = _digit_bits(scalars, t, w * c, c) + carry
            if d > half:
                d -= full
                carry = 1
            else:
                carry = 0
            digits[t - lo, w] = d


@njit(cache=True, nogil=True)
def _entry(table, half, w, d):
    """±T[w][|d|] as affine coordinates."""
    tx, ty = g1.load_aff(table, w * half + abs(d) - 1)
    if d < 0:
        ty = fq.neg(ty)
    return tx, ty


@njit(parallel=True, cache=True, nogil=True)
def _multiply(table, c, windows, scalars, out, chunk):
    """out[i] = scalars[i]·B (affine) from the table of signed-digit multiples.

    Accumulators stay affine: per window, a chunk's additions acc_i += ±T[w][|d_i|] share one
    field inversion (Montgomery's trick), about 6 multiplications per addition against 11 for
    a Jacobian mixed addition, and no conversion at the end. An empty accumulator takes the
    table point, P + (−P) empties it, and P + P joins the batch with denominator 2y.
    """
    n = scalars.shape[0]
    half = np.int64(1) << (c - 1)
    tasks = (n + chunk - 1) // chunk
    for task in prange(tasks):
        lo = task * chunk
        hi = min(n, lo + chunk)
        digits = np.empty((hi - lo, windows), dtype=np.int64)
        _recode(scalars, lo, hi, c, windows, digits)
        prefix = np.empty((hi - lo, 4), dtype=np.uint64)
        for t in range(lo, hi):
            g1.store_aff(out, t, g1.ZERO, g1.ZERO)
        for w in range(windows):
            acc = g1.ONE
            for t in range(lo, hi):  # pass 1: settle the easy cases, chain the denominators
                d = digits[t - lo, w]
                if d == 0:
                    continue
                tx, ty = _entry(table, half, w, d)
                ax, ay = g1.load_aff(out, t)
                if limbs.is_zero(ax) and limbs.is_zero(ay):
                    g1.store_aff(out, t, tx, ty)
                    digits[t - lo, w] = 0
                elif limbs.equal(ax, tx) and not limbs.equal(ay, ty):
                    g1.store_aff(out, t, g1.ZERO, g1.ZERO)
                    digits[t - lo, w] = 0
                else:
                    limbs.store(prefix, t - lo, acc)
                    den = fq.add(ty, ty) if limbs.equal(ax, tx) else fq.sub(tx, ax)
                    acc = fq.mul(acc, den)
            inv = g1.inverse(acc)
            for t in range(hi - 1, lo - 1, -1):  # pass 2: peel the inverses, finish the additions
                d = digits[t - lo, w]
                if d == 0:
                    continue
                tx, ty = _entry(table, half, w, d)
                ax, ay = g1.load_aff(out, t)
                if limbs.equal(ax, tx):  # doubling: λ = 3x² / 2y
                    den = fq.add(ty, ty)
                    xx = fq.square(ax)
                    num = fq.add(fq.add(xx, xx), xx)
                else:
                    den = fq.sub(tx, ax)
                    num = fq.sub(ty, ay)
                lam = fq.mul(num, fq.mul(inv, limbs.load(prefix, t - lo)))
                inv = fq.mul(inv, den)
                x3 = fq.sub(fq.sub(fq.square(lam), ax), tx)
                y3 = fq.sub(fq.mul(lam, fq.sub(ax, x3)), ay)
                g1.store_aff(out, t, x3, y3)


def multiples(base: np.ndarray, scalars: np.ndarray) -> np.ndarray:
    """Affine (n, 8) array of scalars[i]·base, for an affine base and Fr Montgomery scalars (n, 4)."""
    Fr.check(scalars, "scalars")
    n = scalars.shape[0]
    out = np.empty((n, AFFINE), dtype=np.uint64)
    if n == 0:
        return out
    c = window_bits(n)
    windows = _windows(c)
    half = 1 << (c - 1)
    bases = np.empty((windows, JACOBIAN), dtype=np.uint64)
    _window_bases(np.ascontiguousarray(base, dtype=np.uint64).reshape(1, AFFINE), c, bases)
    table = np.empty((windows * half, JACOBIAN), dtype=np.uint64)
    _fill_table(G1.batch_to_affine(bases), half, table)
    table = G1.batch_to_affine(table)
    for lo in range(0, n, _BLOCK):
        hi = min(n, lo + _BLOCK)
        canonical = Fr.from_montgomery(np.ascontiguousarray(scalars[lo:hi]))
        _multiply(table, c, windows, canonical, out[lo:hi], _CHUNK)
    return out
