"""Radix-2 number-theoretic transforms over BN254 Fr, in place on (n, 4) Montgomery vectors.

``ntt`` evaluates a coefficient vector on ⟨ω_k⟩ (natural order in, natural order out); ``intt``
interpolates back. The kernel is bit-reversal followed by decimation-in-time stages, split in two
so that it stays cache-friendly at large sizes:

* the first ``log2(BLOCK)`` stages touch only contiguous blocks of ``BLOCK`` rows, so each block is
  finished while it sits in L2 (blocks run in parallel, one per worker);
* the remaining stages stream over the whole vector, parallel over runs of butterflies — or,
  with IFMA, run in one pass: strips of columns of the vector seen as a matrix, each copied to
  scratch, transformed there through every remaining stage and copied back
  (``_column_stages_ifma``).

With IFMA the first three stages of a block are one register-only step per 64 rows
(``ifma.dit8_rows``) and every later butterfly goes eight at a time (``ifma.butterfly_rows``);
the output is the scalar kernels' to the bit (tests/test_ifma.py).

Twiddles: ω_{2m}^j depends only on the stage, not on n, so the block stages share one small table
(``_block_twiddles``, stage-major); the streaming stages read ω_n^j from a per-size table of n/2
powers, computed once per k and kept in ``_TWIDDLES``. Only forward tables exist: the inverse
transform is the forward one followed by reversing entries 1..n−1 (ω^{−ij} = ω^{(n−i)j}) and a
scaling by 1/n, which halves the memory the cache holds.

Roots: Fr has 2-adicity 28 and multiplicative generator 7 (as in halo2curves), so
ω_28 = 7^((r−1)/2^28) and ω_k = ω_28^(2^(28−k)).
"""

import functools

import numpy as np
from numba import njit, prange

from halo2py.arith import fr, ifma
from halo2py.arith.constants import FR_GENERATOR, FR_MODULUS, FR_TWO_ADICITY
from halo2py.arith.field import Fr
from halo2py.arith.limbs import load, store
from halo2py.errors import InputError

MAX_K = FR_TWO_ADICITY

LOG_BLOCK = 12  # 4096 rows × 32 bytes = 128 KiB: a block and its twiddles stay in L2
_POWER_CHUNK = 4096  # rows per task when multiplying by successive powers
_BUTTERFLY_CHUNK = 2048  # butterflies per task in a streaming stage

_ROOT_28 = pow(FR_GENERATOR, (FR_MODULUS - 1) >> FR_TWO_ADICITY, FR_MODULUS)

_M = Fr.m  # the modulus as the IFMA butterflies take it
_MINV = Fr.minv

_TWIDDLES: dict = {}  # k -> (2^(k-1), 4) array of ω_k^j, j < n/2


def root_of_unity(k: int) -> int:
    """ω_k, the primitive 2^k-th root of unity halo2 uses (canonical int)."""
    if not 0 <= k <= MAX_K:
        raise InputError(f"NTT size 2^{k} is out of range: Fr supports 2^0 .. 2^{MAX_K}")
    return pow(_ROOT_28, 1 << (MAX_K - k), FR_MODULUS)


def clear_twiddle_cache() -> None:
    """Drop the cached per-size twiddle tables (they hold n/2 elements per size used)."""
    _TWIDDLES.clear()


def twiddle_cache_bytes() -> int:
    """Bytes held by the per-size twiddle tables (memory accounting; the fixed block table of
    2^LOG_BLOCK elements, 128 KiB, is not counted)."""
    return sum(t.nbytes for t in _TWIDDLES.values())


# ---- kernels --------------------------------------------------------------------------------------


@njit(cache=True, nogil=True)
def _pow_u64(base, e):
    """base^e for a small non-negative int exponent (chunk starting powers)."""
    acc = fr.ONE
    while e > 0:
        if e & 1:
            acc = fr.mul(acc, base)
        base = fr.mul(base, base)
        e >>= 1
    return acc


@njit(parallel=True, cache=True, nogil=True)
def _mul_powers(src, dst, base, chunk):
    """dst[j] = src[j] · base^j (dst may be src); each task starts from its own power."""
    n = src.shape[0]
    for c in prange((n + chunk - 1) // chunk):
        lo = c * chunk
        hi = min(n, lo + chunk)
        acc = _pow_u64(base, lo)
        for j in range(lo, hi):
            store(dst, j, fr.mul(load(src, j), acc))
            acc = fr.mul(acc, base)


@njit(parallel=True, cache=True, nogil=True)
def _powers(dst, base, chunk):
    """dst[j] = base^j."""
    n = dst.shape[0]
    for c in prange((n + chunk - 1) // chunk):
        lo = c * chunk
        hi = min(n, lo + chunk)
        acc = _pow_u64(base, lo)
        for j in range(lo, hi):
            store(dst, j, acc)
            acc = fr.mul(acc, base)


@njit(cache=True, nogil=True)
def _bitrev32(x):
    x = ((x >> 1) & 0x55555555) | ((x & 0x55555555) << 1)
    x = ((x >> 2) & 0x33333333) | ((x & 0x33333333) << 2)
    x = ((x >> 4) & 0x0F0F0F0F) | ((x & 0x0F0F0F0F) << 4)
    x = ((x >> 8) & 0x00FF00FF) | ((x & 0x00FF00FF) << 8)
    return ((x >> 16) & 0xFFFF) | ((x & 0xFFFF) << 16)


@njit(parallel=True, cache=True, nogil=True)
def _bit_reverse(a, log_n):
    """Permute rows into bit-reversed order; each pair is swapped by its smaller index only."""
    shift = 32 - log_n
    for i in prange(a.shape[0]):
        j = _bitrev32(i) >> shift
        if i < j:
            x = load(a, i)
            store(a, i, load(a, j))
            store(a, j, x)


@njit(cache=True, nogil=True)
def _butterfly(a, i, j, w):
    u = load(a, i)
    v = fr.mul(load(a, j), w)
    store(a, i, fr.add(u, v))
    store(a, j, fr.sub(u, v))


@njit(parallel=True, cache=True, nogil=True)
def _block_stages(a, block_tw, log_b):
    """DIT stages with half-size m < 2^log_b, each block of 2^log_b rows finished in cache."""
    size = 1 << log_b
    for blk in prange(a.shape[0] >> log_b):
        base = blk << log_b
        for i in range(base, base + size, 2):  # m = 1: the twiddle is 1
            u = load(a, i)
            v = load(a, i + 1)
            store(a, i, fr.add(u, v))
            store(a, i + 1, fr.sub(u, v))
        for s in range(1, log_b):
            m = 1 << s
            for g in range(base, base + size, 2 * m):
                for j in range(m):
                    _butterfly(a, g + j, g + j + m, load(block_tw, m + j))


@njit(parallel=True, cache=True, nogil=True)
def _streaming_stages(a, tw, log_n, log_b, chunk):
    """DIT stages with half-size m ≥ 2^log_b; twiddle ω_{2m}^j is tw[j · n/(2m)]."""
    half = a.shape[0] >> 1
    for s in range(log_b, log_n):
        m = 1 << s
        stride = half >> s
        c = min(chunk, m)
        for t in prange(half // c):
            idx = t * c
            j0 = idx & (m - 1)
            lo = ((idx >> s) << (s + 1)) + j0
            for j in range(c):
                _butterfly(a, lo + j, lo + j + m, load(tw, (j0 + j) * stride))


@njit(parallel=True, cache=True, nogil=True)
def _block_stages_ifma(a, block_tw, log_b):
    """``_block_stages`` with eight butterflies per IFMA step: the first three stages as one
    ``dit8_rows`` step per 64 rows (blocks of fewer rows take the scalar kernel's), then three
    stages per pass with ``dit3_rows`` and the last one or two with ``butterfly_rows``."""
    size = 1 << log_b
    for blk in prange(a.shape[0] >> log_b):
        base = blk << log_b
        if size >= ifma.LANES * ifma.LANES:
            for g in range(base, base + size, ifma.LANES * ifma.LANES):
                ifma.dit8_rows(a, g, block_tw, 0, _M, _MINV)
        else:
            for i in range(base, base + size, 2):
                u = load(a, i)
                v = load(a, i + 1)
                store(a, i, fr.add(u, v))
                store(a, i + 1, fr.sub(u, v))
            for s in range(1, min(3, log_b)):
                m = 1 << s
                for g in range(base, base + size, 2 * m):
                    for j in range(m):
                        _butterfly(a, g + j, g + j + m, load(block_tw, m + j))
        s = 3
        while s + 3 <= log_b:  # three stages per pass over the block
            m = 1 << s
            for g in range(base, base + size, 8 * m):
                for j in range(0, m, ifma.LANES):
                    ifma.dit3_rows(a, g + j, block_tw, m, _M, _MINV)
            s += 3
        for s in range(s, log_b):
            m = 1 << s
            for g in range(base, base + size, 2 * m):
                for j in range(0, m, ifma.LANES):
                    ifma.butterfly_rows(a, g + j, a, g + j + m, block_tw, m + j, 1, _M, _MINV)


_COLUMN_WIDTH = 16  # columns per task of ``_column_stages_ifma``: rows of 512 bytes, two IFMA steps


@njit(parallel=True, cache=True, nogil=True)
def _column_stages_ifma(a, tw, log_n, log_b):
    """``_streaming_stages`` in one pass instead of log_n − log_b. Seen as a matrix of
    2^(log_n − log_b) rows of 2^log_b entries, these stages pair entries of one column only
    (half-size m = 2^(log_b + s') pairs rows r and r + 2^s'), so each task copies a strip of
    ``_COLUMN_WIDTH`` columns into contiguous scratch, runs every stage on it there, and copies
    it back: the strip is read and written once, and its rows — 2^log_b entries apart in ``a``,
    the same cache sets — never fight over the cache. Twiddle ω_{2m}^j is tw[j · n/(2m)] with
    j = (r mod 2^s')·2^log_b + column."""
    half = a.shape[0] >> 1
    log_r = log_n - log_b
    rows = 1 << log_r
    w = _COLUMN_WIDTH
    for strip in prange((1 << log_b) // w):
        c0 = strip * w
        scratch = np.empty((rows * w, 4), dtype=np.uint64)
        for r in range(rows):
            scratch[r * w:(r + 1) * w] = a[(r << log_b) + c0:(r << log_b) + c0 + w]
        for s in range(log_r):
            m = 1 << s
            stride = half >> (log_b + s)
            for g in range(0, rows, 2 * m):
                for r in range(g, g + m):
                    j = ((r - g) << log_b) + c0
                    for q in range(0, w, ifma.LANES):
                        ifma.butterfly_rows(scratch, r * w + q, scratch, (r + m) * w + q, tw,
                                            (j + q) * stride, stride, _M, _MINV)
        for r in range(rows):
            a[(r << log_b) + c0:(r << log_b) + c0 + w] = scratch[r * w:(r + 1) * w]


@njit(parallel=True, cache=True, nogil=True)
def _reverse_and_scale(a, scale):
    """a[i] ↔ a[n−i] for 0 < i < n/2, everything times ``scale``: turns NTT into inverse NTT."""
    n = a.shape[0]
    half = n >> 1
    store(a, 0, fr.mul(load(a, 0), scale))
    if n > 1:
        store(a, half, fr.mul(load(a, half), scale))
    for i in prange(1, half):
        x = load(a, i)
        store(a, i, fr.mul(load(a, n - i), scale))
        store(a, n - i, fr.mul(x, scale))


_REVERSE_CHUNK = 256  # pairs (i, n − i) per task of ``_reverse_scale_powers_ifma``


@njit(cache=True, nogil=True)
def _times_powers_ifma(dst, d0, src, s0, count, first, base, rows8, lanes):
    """dst[d0 + t] = src[s0 + t] · first · base^t for t < count: eight rows per IFMA step, the
    lanes' powers advanced by base^8 each step; the last count mod 8 rows scalar. ``rows8`` (8, 4)
    and ``lanes`` (3, 5, 8) are the caller's scratch."""
    acc = first
    for q in range(ifma.LANES):
        store(rows8, q, acc)
        acc = fr.mul(acc, base)
    ifma.pack_rows(lanes, 0, rows8, 0)  # lanes 0: first · base^(t + q)
    base8 = _pow_u64(base, ifma.LANES)
    for q in range(ifma.LANES):
        store(rows8, q, base8)
    ifma.pack_rows(lanes, 1, rows8, 0)  # lanes 1: base^8 in every lane
    acc = fr.mul(first, _pow_u64(base, count & ~7))
    for t in range(0, count - ifma.LANES + 1, ifma.LANES):
        ifma.pack_rows(lanes, 2, src, s0 + t)
        ifma.fr_mul(lanes, 2, lanes, 2, lanes, 0)
        ifma.unpack_rows(dst, d0 + t, lanes, 2)
        ifma.fr_mul(lanes, 0, lanes, 0, lanes, 1)
    for t in range(count & ~7, count):
        store(dst, d0 + t, fr.mul(load(src, s0 + t), acc))
        acc = fr.mul(acc, base)


@njit(parallel=True, cache=True, nogil=True)
def _reverse_scale_powers_ifma(a, scale, base):
    """a[i] ← a[(n − i) mod n] · scale · base^i in one pass (n ≥ 2): with scale = 1/n it turns the
    forward NTT into the inverse (ω^{−ij} = ω^{(n−i)j}), and base = shift^{−1} adds a coset's
    un-scaling in the same pass. Each task takes the pairs (i, n − i) for i in a range of its
    own: it copies both runs to scratch (one reversed), then multiplies them back eight rows per
    IFMA step by the powers of base they need."""
    n = a.shape[0]
    half = n >> 1
    store(a, half, fr.mul(load(a, half), fr.mul(scale, _pow_u64(base, half))))
    store(a, 0, fr.mul(load(a, 0), scale))
    for c in prange((half - 1 + _REVERSE_CHUNK - 1) // _REVERSE_CHUNK):
        i0 = 1 + c * _REVERSE_CHUNK
        i1 = min(half, i0 + _REVERSE_CHUNK)
        count = i1 - i0
        low = np.empty((count, 4), dtype=np.uint64)  # low[t] = a[n − i0 − t]
        high = np.empty((count, 4), dtype=np.uint64)  # high[u] = a[i1 − 1 − u]
        for t in range(count):
            store(low, t, load(a, n - i0 - t))
            store(high, t, load(a, i1 - 1 - t))
        rows8 = np.empty((ifma.LANES, 4), dtype=np.uint64)
        lanes = np.empty((3, ifma.LIMBS, ifma.LANES), dtype=np.uint64)
        _times_powers_ifma(a, i0, low, 0, count, fr.mul(scale, _pow_u64(base, i0)), base, rows8, lanes)
        _times_powers_ifma(a, n - i1 + 1, high, 0, count, fr.mul(scale, _pow_u64(base, n - i1 + 1)),
                           base, rows8, lanes)


# ---- tables ---------------------------------------------------------------------------------------


@functools.cache
def _block_twiddles() -> np.ndarray:
    """Stage-major table for the block stages: entry m + j is ω_{2m}^j, for m < 2^LOG_BLOCK."""
    table = Fr.zeros(1 << LOG_BLOCK)
    for s in range(LOG_BLOCK):
        m = 1 << s
        _powers(table[m:2 * m], Fr.to_mont(root_of_unity(s + 1)), _POWER_CHUNK)
    return table


def twiddles(k: int) -> np.ndarray:
    """The cached table of ω_k^j for j < 2^(k−1), Montgomery form (computed on first use)."""
    table = _TWIDDLES.get(k)
    if table is None:
        table = np.empty((max(1, (1 << k) >> 1), 4), dtype=np.uint64)
        _powers(table, Fr.to_mont(root_of_unity(k)), _POWER_CHUNK)
        _TWIDDLES[k] = table
    return table


# ---- public API -----------------------------------------------------------------------------------


def log2_size(a) -> int:
    """k for a valid NTT input of 2^k rows; raises ``InputError`` with the reason otherwise."""
    Fr.check(a, "NTT input")
    n = a.shape[0]
    if n == 0 or n & (n - 1):
        raise InputError(f"NTT length must be a power of two, got {n}")
    k = n.bit_length() - 1
    if k > MAX_K:
        raise InputError(f"NTT size 2^{k} is too large: Fr supports at most 2^{MAX_K}")
    if not a.flags.c_contiguous or not a.flags.writeable:
        raise InputError("NTT input must be a writeable C-contiguous array (it is transformed in place)")
    return k


@njit(parallel=True, cache=True, nogil=True)
def _scatter_scaled(src, powers, dst, log_n):
    """dst[bitrev(j)] = src[j]·powers[j]: a coset's scaling fused into the bit-reversal pass."""
    shift = 32 - log_n
    for j in prange(src.shape[0]):
        store(dst, _bitrev32(j) >> shift, fr.mul(load(src, j), load(powers, j)))


_SCATTER_CHUNK = 256  # rows per task of the IFMA scatter: its products stay in L1 before they scatter


@njit(parallel=True, cache=True, nogil=True)
def _scatter_scaled_ifma(src, powers, dst, log_n):
    """``_scatter_scaled`` with the products taken eight rows per IFMA step into a small
    per-task buffer, then scattered to their bit-reversed rows (n ≥ 8 rows, a multiple of 8)."""
    shift = 32 - log_n
    n = src.shape[0]
    for c in prange((n + _SCATTER_CHUNK - 1) // _SCATTER_CHUNK):
        lo = c * _SCATTER_CHUNK
        rows = min(_SCATTER_CHUNK, n - lo)
        products = np.empty((rows, 4), dtype=np.uint64)
        for t in range(0, rows, ifma.LANES):
            ifma.mul_rows(products, t, src, lo + t, powers, lo + t, _M, _MINV)
        for j in range(rows):
            store(dst, _bitrev32(lo + j) >> shift, load(products, j))


_TILE_BITS = 4  # the tiled scatter's tiles: 2^4 runs of 2^4 rows (512 bytes each), 8 KiB of products


@njit(parallel=True, cache=True, nogil=True)
def _scatter_scaled_tiled_ifma(src, powers, dst, log_n):
    """``_scatter_scaled_ifma`` for log_n ≥ 2·_TILE_BITS in cache-friendly tiles. Write
    j = (hi, mid, lo) with b-bit hi and lo (b = _TILE_BITS): bitrev(j) = (rev(lo), rev(mid),
    rev(hi)), so for one mid the 2^b × 2^b rows read as 2^b contiguous runs (one per hi) and land
    as 2^b contiguous runs (one per lo) — where the plain scatter's consecutive rows land n/2 rows
    apart, a cache line each."""
    b = _TILE_BITS
    t = 1 << b
    log_mid = log_n - 2 * b
    for mid in prange(1 << log_mid):
        products = np.empty((t * t, 4), dtype=np.uint64)  # products[hi·t + lo]
        rmid = _bitrev32(mid) >> (32 - log_mid) if log_mid else 0
        for hi in range(t):
            s0 = (hi << (log_n - b)) + (mid << b)
            for q in range(0, t, ifma.LANES):
                ifma.mul_rows(products, hi * t + q, src, s0 + q, powers, s0 + q, _M, _MINV)
        for lo in range(t):
            d0 = ((_bitrev32(lo) >> (32 - b)) << (log_n - b)) + (rmid << b)
            for h in range(t):
                store(dst, d0 + h, load(products, (_bitrev32(h) >> (32 - b)) * t + lo))


def _forward(a, k):
    if k == 0:
        return
    _bit_reverse(a, k)
    _stages(a, k)


def _stages(a, k):
    """The DIT butterfly stages on bit-reversed input (IFMA butterflies where ``ifma.enabled``)."""
    log_b = min(k, LOG_BLOCK)
    fast = ifma.enabled()
    (_block_stages_ifma if fast else _block_stages)(a, _block_twiddles(), log_b)
    if k > log_b and fast:
        _column_stages_ifma(a, twiddles(k), k, log_b)
    elif k > log_b:
        _streaming_stages(a, twiddles(k), k, log_b, _BUTTERFLY_CHUNK)


def ntt(a: np.ndarray) -> np.ndarray:
    """In place: coefficients → evaluations a'[i] = Σ_j a[j]·ω_k^(ij). Returns ``a``."""
    _forward(a, log2_size(a))
    return a


def intt(a: np.ndarray) -> np.ndarray:
    """In place: evaluations on ⟨ω_k⟩ → coefficients (inverse of ``ntt``, 1/n included)."""
    k = log2_size(a)
    _forward(a, k)
    scale = Fr.to_mont(pow(1 << k, -1, FR_MODULUS))
    if k >= 1 and ifma.enabled():
        _reverse_scale_powers_ifma(a, scale, Fr.to_mont(1))
    else:
        _reverse_and_scale(a, scale)
    return a


def distribute_powers(a: np.ndarray, shift: int, out: np.ndarray | None = None) -> np.ndarray:
    """out[j] = a[j]·shift^j (``out`` defaults to ``a``, in place): f(X) → f(shift·X)."""
    Fr.check(a)
    if out is None:
        out = a
    elif out is not a:
        Fr.check(out, "output")
        if out.shape != a.shape:
            raise InputError(f"output shape {out.shape} != input shape {a.shape}")
    _mul_powers(a, out, Fr.to_mont(shift), _POWER_CHUNK)
    return out


def coset_ntt(a: np.ndarray, shift: int) -> np.ndarray:
    """In place: coefficients of f → evaluations f(shift·ω_k^i)."""
    k = log2_size(a)
    distribute_powers(a, shift)
    _forward(a, k)
    return a


def coset_ntt_with_powers(coeffs: np.ndarray, powers: np.ndarray, out: np.ndarray) -> np.ndarray:
    """out = NTT(coeffs[j]·powers[j]) without touching ``coeffs``: with powers[j] = shift^j this is
    the coset NTT on shift·⟨ω⟩, one table serving every polynomial of that coset, and the scaling
    rides on the bit-reversal pass instead of a pass of its own."""
    k = log2_size(out)
    for name, arr in (("coefficients", coeffs), ("powers", powers)):
        Fr.check(arr, name)
        if arr.shape != out.shape:
            raise InputError(f"{name} shape {arr.shape} != output shape {out.shape}")
    if k == 0:
        out[:] = Fr.mul(coeffs, powers)
        return out
    fast = k >= 3 and ifma.enabled() and coeffs.flags.c_contiguous and powers.flags.c_contiguous
    if fast and k >= 2 * _TILE_BITS:
        _scatter_scaled_tiled_ifma(coeffs, powers, out, k)
    else:
        (_scatter_scaled_ifma if fast else _scatter_scaled)(coeffs, powers, out, k)
    _stages(out, k)
    return out


def coset_intt(a: np.ndarray, shift: int) -> np.ndarray:
    """In place: evaluations f(shift·ω_k^i) → coefficients of f (inverse of ``coset_ntt``)."""
    if shift % FR_MODULUS == 0:
        raise InputError("coset shift must be non-zero")
    k = log2_size(a)
    if k >= 1 and ifma.enabled():  # the un-scaling rides on the inverse's reversal pass
        _forward(a, k)
        _reverse_scale_powers_ifma(a, Fr.to_mont(pow(1 << k, -1, FR_MODULUS)),
                                   Fr.to_mont(pow(shift, -1, FR_MODULUS)))
        return a
    intt(a)
    distribute_powers(a, pow(shift, -1, FR_MODULUS))
    return a
