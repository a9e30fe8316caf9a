"""Coefficient-form polynomial helpers: evaluation, division by (X − z), linear combinations.

Large polynomials are (n, 4) uint64 Fr vectors in Montgomery form, coefficient i in row i; the
kernels here are what KZG opening and the multiopen arguments spend their field work on. Small
polynomials (a handful of coefficients, e.g. the low-degree interpolants of SHPLONK) are lists of
canonical Python ints; a kernel launch would cost more than the arithmetic.
"""

import numpy as np
from numba import njit, prange

from halo2py.arith import fr, ifma, limbs
from halo2py.arith.field import Fr

_Z = np.uint64(0)
_ZERO = (_Z, _Z, _Z, _Z)
_R = Fr.modulus


def _chunks(n: int) -> int:
    """How many independent pieces a parallel pass splits n rows into (≥ 4096 rows each)."""
    return max(1, min(64, n // 4096))


@njit(cache=True, nogil=True)
def _chunk(n, chunks, c):
    """Rows [lo, hi) of chunk c when n rows are cut into ``chunks`` equal runs (the last shorter)."""
    step = (n + chunks - 1) // chunks
    lo = c * step
    return lo, min(n, lo + step)


@njit(cache=True, nogil=True)
def _horner(a, z, lo, hi):
    """Σ_{lo ≤ i < hi} a[i]·z^(i − lo) by Horner's rule."""
    acc = _ZERO
    for i in range(hi - 1, lo - 1, -1):
        acc = fr.add(fr.mul(acc, z), limbs.load(a, i))
    return acc


@njit(parallel=True, cache=True, nogil=True)
def _horner_chunks(a, z, out):
    """out[c] = Σ_{i in chunk c} a[i]·z^(i − lo_c): Horner's rule on each chunk independently."""
    for c in prange(out.shape[0]):
        lo, hi = _chunk(a.shape[0], out.shape[0], c)
        limbs.store(out, c, _horner(a, z, lo, hi))


@njit(parallel=True, cache=True, nogil=True)
def _horner_chunks_ifma(a, z, z8, out):
    """``_horner_chunks`` eight rows per IFMA step, for chunks of a multiple of 8 rows: lane q of
    a chunk's accumulator runs Horner in z^8 over the rows ≡ q (mod 8), Σ_j a[lo + 8j + q]·z^(8j),
    and the lanes join as Σ_q z^q·lane_q. A scalar chain waits on every product (one row per
    multiplication's latency); here one lane-block product serves eight rows."""
    for c in prange(out.shape[0]):
        lo, hi = _chunk(a.shape[0], out.shape[0], c)
        lanes = np.zeros((3, ifma.LIMBS, ifma.LANES), dtype=np.uint64)  # accumulator, z^8, rows
        rows8 = np.empty((ifma.LANES, 4), dtype=np.uint64)
        for q in range(ifma.LANES):
            limbs.store(rows8, q, z8)
        ifma.pack_rows(lanes, 1, rows8, 0)
        for j in range(hi - ifma.LANES, lo - 1, -ifma.LANES):
            ifma.fr_mul(lanes, 0, lanes, 0, lanes, 1)
            ifma.pack_rows(lanes, 2, a, j)
            ifma.fr_add(lanes, 0, lanes, 0, lanes, 2)
        ifma.unpack_rows(rows8, 0, lanes, 0)
        limbs.store(out, c, _horner(rows8, z, 0, ifma.LANES))


def evaluate(poly: np.ndarray, z: int) -> int:
    """f(z) for f in coefficient form; chunks run in parallel and are joined with powers of z
    (with IFMA eight rows per step where the chunks are whole multiples of 8 rows: every chunk of
    a power-of-two length ≥ 8)."""
    Fr.check(poly, "polynomial")
    n = poly.shape[0]
    if n == 0:
        return 0
    chunks = _chunks(n)
    parts = np.empty((chunks, 4), dtype=np.uint64)
    step = (n + chunks - 1) // chunks
    if n % ifma.LANES == 0 and step % ifma.LANES == 0 and ifma.enabled() and poly.flags.c_contiguous:
        _horner_chunks_ifma(poly, Fr.to_mont(z), Fr.to_mont(pow(z, ifma.LANES, _R)), parts)
    else:
        _horner_chunks(poly, Fr.to_mont(z), parts)
    z_step = pow(z, step, _R)
    total, scale = 0, 1
    for value in Fr.to_ints(parts):
        total = (total + value * scale) % _R
        scale = scale * z_step % _R
    return total


@njit(cache=True, nogil=True)
def _synthetic_division(a, z, out):
    """Quotient of a(X) / (X − z) into out[0:n−1], out[n−1] = 0; returns the remainder a(z).

    q[i−1] = a[i] + z·q[i] from the top down. Each a[i−1] is read before out[i−1] is written,
    so ``out`` may be ``a`` itself (in-place division).
    """
    n = a.shape[0]
    nxt = limbs.load(a, n - 1)
    q = _ZERO
    for i in range(n - 1, 0, -1):
        cur = nxt
        nxt = limbs.load(a, i - 1)
        q = fr.add(cur, fr.mul(q, z))
        limbs.store(out, i - 1, q)
    limbs.store(out, n - 1, _ZERO)
    return fr.add(nxt, fr.mul(q, z))


def divide_by_linear(poly: np.ndarray, z: int, out: np.ndarray | None = None) -> np.ndarray:
    """(f(X) − f(z)) / (X − z) in coefficient form, same length as f (top coefficient 0).

    The remainder f(z) is dropped, as in halo2's ``kate_division``; callers that subtracted the
    evaluation first get an exact quotient. ``out`` may be ``poly`` (in place).
    """
    Fr.check(poly, "polynomial")
    if out is None:
        out = np.empty_like(poly)
    elif out.shape != poly.shape:
        raise ValueError(f"output shape {out.shape} != polynomial shape {poly.shape}")
    if poly.shape[0] == 0:
        return out
    _synthetic_division(poly, Fr.to_mont(z), out)
    return out


@njit(parallel=True, cache=True, nogil=True)
def _add_scaled(acc, x, s):
    for i in prange(x.shape[0]):
        limbs.store(acc, i, fr.add(limbs.load(acc, i), fr.mul(limbs.load(x, i), s)))


@njit(parallel=True, cache=True, nogil=True)
def _add_scaled_ifma(acc, x, s, m, minv):
    """``_add_scaled`` with the products eight rows at a time (IFMA), over 64 parallel pieces so
    each piece reuses one 8-row scratch; rows past the last multiple of eight are scalar."""
    blocks = x.shape[0] >> 3
    per = (blocks + 63) // 64
    for piece in prange(64):
        scratch = np.empty((ifma.LANES, 4), dtype=np.uint64)
        for t in range(piece * per, min(blocks, (piece + 1) * per)):
            ifma.scale_rows(scratch, 0, x, t << 3, s, m, minv)
            for lane in range(ifma.LANES):
                row = (t << 3) + lane
                limbs.store(acc, row, fr.add(limbs.load(acc, row), limbs.load(scratch, lane)))
    for i in range(blocks << 3, x.shape[0]):
        limbs.store(acc, i, fr.add(limbs.load(acc, i), fr.mul(limbs.load(x, i), s)))


def add_scaled(acc: np.ndarray, x: np.ndarray, s: int) -> np.ndarray:
    """acc[:len(x)] += s·x in place (x may be shorter than acc); returns acc."""
    Fr.check(acc, "accumulator")
    Fr.check(x, "polynomial")
    if x.shape[0] > acc.shape[0]:
        raise ValueError(f"cannot add {x.shape[0]} coefficients into {acc.shape[0]}")
    if x.shape[0] >= ifma.LANES and ifma.enabled() and acc.flags.c_contiguous and x.flags.c_contiguous:
        _add_scaled_ifma(acc, x, Fr.to_mont(s), Fr.m, Fr.minv)
    else:
        _add_scaled(acc, x, Fr.to_mont(s))
    return acc


def linear_combination(polys, scalars, n: int | None = None) -> np.ndarray:
    """Σ scalars[j]·polys[j] as a fresh vector of length n (default: the longest polynomial)."""
    polys = list(polys)
    scalars = list(scalars)
    if len(polys) != len(scalars):
        raise ValueError(f"{len(polys)} polynomials but {len(scalars)} scalars")
    if n is None:
        n = max((p.shape[0] for p in polys), default=0)
    acc = Fr.zeros(n)
    for poly, s in zip(polys, scalars):
        add_scaled(acc, poly, s)
    return acc


@njit(parallel=True, cache=True, nogil=True)
def _powers(base, starts, out):
    n = out.shape[0]
    chunks = starts.shape[0]
    step = (n + chunks - 1) // chunks
    for c in prange(chunks):
        acc = limbs.load(starts, c)
        for i in range(c * step, min(n, (c + 1) * step)):
            limbs.store(out, i, acc)
            acc = fr.mul(acc, base)


def powers(base: int, n: int) -> np.ndarray:
    """[1, base, base², …, base^(n−1)] as an Fr vector (each chunk starts from its own power)."""
    out = Fr.zeros(n)
    if n == 0:
        return out
    chunks = _chunks(n)
    step = (n + chunks - 1) // chunks
    starts = Fr.from_ints([pow(base, c * step, _R) for c in range(chunks)])
    _powers(Fr.to_mont(base), starts, out)
    return out


def constant(value: int, n: int) -> np.ndarray:
    """An Fr vector with every entry equal to ``value``."""
    out = np.empty((n, 4), dtype=np.uint64)
    out[:] = np.array(Fr.to_mont(value), dtype=np.uint64)
    return out


# ---- small polynomials as lists of canonical ints (coefficient i at index i) ------------------

def eval_small(coeffs, x: int) -> int:
    acc = 0
    for c in reversed(coeffs):
        acc = (acc * x + c) % _R
    return acc


def vanishing_eval(points, x: int) -> int:
    """Π (x − p) over the points: the vanishing polynomial of a point set, evaluated at x."""
    acc = 1
    for p in points:
        acc = acc * (x - p) % _R
    return acc


def lagrange_interpolate(points, evals) -> list:
    """The unique polynomial of degree < len(points) through (points[i], evals[i]).

    Sum of evals[i]·Π_{j≠i} (X − p_j)/(p_i − p_j), built coefficient-wise in O(m²).
    """
    points = [p % _R for p in points]
    if len(set(points)) != len(points):
        raise ValueError("interpolation points must be distinct")
    m = len(points)
    coeffs = [0] * m
    for i, (pi, yi) in enumerate(zip(points, evals)):
        basis = [1]  # Π_{j≠i} (X − p_j), lowest degree first
        denom = 1
        for j, pj in enumerate(points):
            if j == i:
                continue
            basis = [(shifted - pj * b) % _R for shifted, b in zip([0] + basis, basis + [0])]
            denom = denom * (pi - pj) % _R
        scale = yi * pow(denom, -1, _R) % _R
        for d, b in enumerate(basis):
            coeffs[d] = (coeffs[d] + scale * b) % _R
    return coeffs
