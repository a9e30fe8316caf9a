"""Multi-scalar multiplication Σ kᵢ·Pᵢ over BN254 G1 by Pippenger's bucket method.

Scalars are cut into W = ⌈255/c⌉ windows of c bits, recoded as signed ("Booth") digits
d ∈ [−2^(c−1), 2^(c−1)] read straight from c + 1 bits of the scalar — no carry chain between
windows, so every window is independent and windows run in parallel (``prange``). A negative
digit adds −P (negating y is free), which halves the buckets to 2^(c−1) per window.

With GLV (the default, ``halo2py.curve.glv``) each scalar k is first split as k1 + k2·λ with
127-bit halves and the sum runs over the 2n items k1ᵢ·Pᵢ and k2ᵢ·φ(Pᵢ): W = ⌈128/c⌉ windows.
The additions stay n·256/c, but each window's bucket sum now serves 2n items, which pays at
small n and lets c grow by a bit; windows are in the end combined the same way. Without GLV
(``glv=False``) the scalars are used as they are, the reference path of the tests.

A parallel task is one window of one column, or half of one for the last few windows (see
``plan_tasks``); a round's columns, which share the bases, run in one call (``msm_columns``).

Per window, each point is added to bucket |d| − 1; the buckets are then summed as
Σ (b+1)·B_b with running sums (two additions per bucket: batch-affine over many chains side
by side for batch-affine buckets, see ``_bucket_sum_affine``), and windows are combined by
Horner (c doublings per window).

Bucket accumulation, where nearly all time goes, has two forms:

- **batch-affine** (large windows): buckets are affine, and up to ``batch`` pending additions to
  distinct buckets share one field inversion (Montgomery's trick). An affine addition then costs
  6 multiplications (1 to accumulate the product of denominators, 2 to peel its inverse, 1 for
  λ, 1 square for x₃, 1 for y₃) plus 1/batch of an inversion, against 11 for a Jacobian mixed
  addition. A point whose bucket already waits in the batch waits in a queue (a batch long) for
  the next batch; when the queue is full (many points for one bucket: repeated bases, or a
  column of one value) it goes to a Jacobian "spill" bucket instead, so no input stalls the
  batch; the spills are folded back into the affine buckets before their sum.
- **Jacobian** (small windows, where a batch could not amortise its inversion): mixed additions
  (7M + 4S) into Jacobian buckets.

Buckets are visited in data-dependent order and, at c ≈ 15, no longer fit in L2; the bucket of a
point (and of a batch entry) is prefetched ``_AHEAD`` iterations before its use.
"""

import numba
import numpy as np
from numba import njit, prange

from halo2py.arith import fq, fr, ifma, limbs
from halo2py.arith.constants import to_limbs
from halo2py.arith.field import Fr
from halo2py.arith.ifma import cpu_has_ifma
from halo2py.arith.ifma import enabled as ifma_enabled
from halo2py.curve import g1, glv
from halo2py.curve._atomic import fetch_add
from halo2py.curve._prefetch import prefetch_row
from halo2py.curve.glv import phi_x
from halo2py.curve.glv import split as split_scalars
from halo2py.curve.points import AFFINE, G1, JACOBIAN, PointError, _rows

SCALAR_BITS = 255  # r < 2^254, plus one zero bit so the top Booth digit needs no carry out
_U1 = np.uint64(1)
_AHEAD = 16  # points (or batch entries) between a bucket's prefetch and its use
_ZERO3 = (g1.ZERO, g1.ZERO, g1.ZERO)
_MIN_AFFINE = 512  # fewer buckets than this cannot amortise a batch's inversion (see batch_size)


def scalar_weight(scalars: np.ndarray) -> float:
    """What an MSM over these (Montgomery-form) scalars costs, in rows of random ones: it adds a
    point per nonzero window digit, so a value of 64 bits or more costs a whole row (with GLV,
    16 digits of 16 bits), a smaller nonzero one — a range check's value, a running product's
    ones — about a quarter (4 of them, at most), and zero nothing. A Dask executor places
    commitments by it."""
    wide, narrow = _count_wide_and_narrow(scalars, to_limbs(1))
    return wide + narrow / 4


@njit(parallel=True, cache=True, nogil=True)
def _count_wide_and_narrow(scalars, one):
    """(rows of 64 bits or more, other nonzero rows), read in canonical form (times 1, reduced)."""
    wide = 0
    narrow = 0
    for i in prange(scalars.shape[0]):
        x = fr.mul(limbs.load(scalars, i), one)
        if x[1] | x[2] | x[3]:
            wide += 1
        elif x[0]:
            narrow += 1
    return wide, narrow


@njit(cache=True, nogil=True)
def _bits(s, i, start, length):
    """``length`` (≤ 63) bits of scalar row ``i`` starting at bit ``start`` (zeros past 256)."""
    limb = start >> 6
    if limb >= 4:
        return np.uint64(0)
    off = start & 63
    word = s[i, limb] >> np.uint64(off)
    if off + length > 64 and limb < 3:
        word |= s[i, limb + 1] << np.uint64(64 - off)
    return word & ((_U1 << np.uint64(length)) - _U1)


@njit(cache=True, nogil=True)
def booth_digit(s, i, w, c):
    """Signed digit of window ``w``: bits [cw, cw+c) + bit cw−1 − 2^c·bit(cw+c−1).

    Summed over windows with weights 2^(cw) the correction terms telescope, leaving the scalar,
    provided its bit cW−1 is zero (hence W·c ≥ 255).
    """
    start = w * c - 1
    if start < 0:
        v = _bits(s, i, 0, c) << _U1
    else:
        v = _bits(s, i, start, c + 1)
    x = np.int64(v >> _U1)
    prev = np.int64(v & _U1)
    top = np.int64((v >> np.uint64(c)) & _U1)
    return x + prev - (top << c)


@njit(cache=True, nogil=True)
def _digit(scalars, t, w, c, split):
    """Digit of item ``t`` in window ``w``: item = point t, or with GLV (``split``) half t & 1 of
    point t >> 1 (``scalars`` then holds split rows, see ``glv``)."""
    if split:
        return glv.digit(scalars, t >> 1, t & 1, w, c)
    return booth_digit(scalars, t, w, c)


@njit(cache=True, nogil=True)
def _signed_item(bases, phix, t, d, split):
    """(x, y) of sign(d)·Q for item t's point Q: P_t, or with GLV P_(t>>1) or φ(P_(t>>1)),
    whose x is ``phix[t >> 1]`` (see ``msm``)."""
    if split:
        x, y = g1.load_aff(bases, t >> 1)
        if t & 1:
            x = limbs.load(phix, t >> 1)
    else:
        x, y = g1.load_aff(bases, t)
    if d < 0:
        return x, fq.neg(y)
    return x, y


@njit(cache=True, nogil=True)
def _window_jacobian(bases, phix, scalars, split, lo, hi, w, c, nb):
    """Σ (b+1)·B_b of window w over items [lo, hi), with nb Jacobian buckets."""
    buckets = np.zeros((nb, JACOBIAN), dtype=np.uint64)
    for t in range(lo, hi):
        d = _digit(scalars, t, w, c, split)
        if d == 0:
            continue
        b = abs(d) - 1
        x, y = _signed_item(bases, phix, t, d, split)
        bx, by, bz = g1.load_jac(buckets, b)
        rx, ry, rz = g1.add_mixed(bx, by, bz, x, y)
        g1.store_jac(buckets, b, rx, ry, rz)
    rx, ry, rz = _ZERO3
    ax, ay, az = _ZERO3
    for b in range(nb - 1, -1, -1):
        bx, by, bz = g1.load_jac(buckets, b)
        rx, ry, rz = g1.add(rx, ry, rz, bx, by, bz)
        ax, ay, az = g1.add(ax, ay, az, rx, ry, rz)
    return ax, ay, az


@njit(cache=True, nogil=True)
def _apply_batch(buckets, busy, op_b, op_p, op_d, op_pre, nops):
    """Finish ``nops`` pending affine additions bucket[op_b[k]] += op_p[k] with one inversion.

    Montgomery's trick: prefix products of the denominators, one inversion, then peel the
    inverse back element by element (3 multiplications per addition).
    """
    acc = g1.ONE
    for k in range(nops):
        limbs.store(op_pre, k, acc)
        acc = fq.mul(acc, limbs.load(op_d, k))
    inv = g1.inverse(acc)
    for k in range(nops - 1, -1, -1):
        if k >= _AHEAD:
            prefetch_row(buckets, op_b[k - _AHEAD])
        dinv = fq.mul(inv, limbs.load(op_pre, k))
        inv = fq.mul(inv, limbs.load(op_d, k))
        b = op_b[k]
        bx, by = g1.load_aff(buckets, b)
        px, py = g1.load_aff(op_p, k)
        if limbs.equal(bx, px):  # doubling: λ = 3x² / 2y
            xx = fq.square(bx)
            lam = fq.mul(fq.add(fq.add(xx, xx), xx), dinv)
        else:  # λ = (y₂ − y₁) / (x₂ − x₁)
            lam = fq.mul(fq.sub(py, by), dinv)
        x3 = fq.sub(fq.sub(fq.square(lam), bx), px)
        y3 = fq.sub(fq.mul(lam, fq.sub(bx, x3)), by)
        g1.store_aff(buckets, b, x3, y3)
        busy[b] = False


_BX, _BY, _PX, _PY, _INV, _DINV, _LAM, _X3, _Y3, _TMP = range(10)  # rows of the lane scratch


@njit(cache=True, nogil=True)
def _lane_ones(w64, slot):
    for i in range(4):
        for j in range(ifma.LANES):
            w64[slot, i, j] = fq.ONE[i]


@njit(cache=True, nogil=True)
def _apply_batch_ifma(buckets, busy, op_b, op_p, op_d, nops, d52, pre52, t52, w64):
    """``_apply_batch`` with the multiplications eight at a time (``halo2py.arith.ifma``).

    Addition k sits in lane k % 8 of row k // 8. Each lane runs its own chain of prefix
    products down the rows; the eight lane totals are inverted with one inversion (Montgomery's
    trick across the lanes, scalar), then the rows are peeled back as in ``_apply_batch``, each
    row's λ, x₃, y₃ computed for its eight additions at once. An inverse is unique, so the
    results are the scalar path's bit for bit. A doubling lane (rare: repeated bases) redoes
    its λ = 3x²/2y with the scalar kernels.
    """
    lanes = ifma.LANES
    rows = (nops + lanes - 1) // lanes
    _lane_ones(w64, 0)
    ifma.pack(pre52, 0, w64, 0)
    for r in range(rows):
        for j in range(min(lanes, nops - r * lanes)):
            for i in range(4):
                w64[0, i, j] = op_d[r * lanes + j, i]
        ifma.pack(d52, r, w64, 0)
        ifma.fq_mul(pre52, r + 1, pre52, r, d52, r)
    ifma.unpack(w64, 0, pre52, rows)
    acc = g1.ONE
    for j in range(lanes):  # w64[1] = prefix products of the lane totals
        for i in range(4):
            w64[1, i, j] = acc[i]
        acc = fq.mul(acc, (w64[0, 0, j], w64[0, 1, j], w64[0, 2, j], w64[0, 3, j]))
    inv = g1.inverse(acc)
    for j in range(lanes - 1, -1, -1):  # w64[1] = the lane totals' inverses
        lane = fq.mul(inv, (w64[1, 0, j], w64[1, 1, j], w64[1, 2, j], w64[1, 3, j]))
        inv = fq.mul(inv, (w64[0, 0, j], w64[0, 1, j], w64[0, 2, j], w64[0, 3, j]))
        for i in range(4):
            w64[1, i, j] = lane[i]
    ifma.pack(t52, _INV, w64, 1)
    for r in range(rows - 1, -1, -1):
        ifma.fq_mul(t52, _DINV, t52, _INV, pre52, r)
        ifma.fq_mul(t52, _INV, t52, _INV, d52, r)
        used = min(lanes, nops - r * lanes)
        doubling = False
        for j in range(used):
            k = r * lanes + j
            if k >= _AHEAD:
                prefetch_row(buckets, op_b[k - _AHEAD])
            b = op_b[k]
            for i in range(4):
                w64[_BX, i, j] = buckets[b, i]
                w64[_BY, i, j] = buckets[b, 4 + i]
                w64[_PX, i, j] = op_p[k, i]
                w64[_PY, i, j] = op_p[k, 4 + i]
            doubling |= limbs.equal(limbs.load(w64[_BX].T, j), limbs.load(w64[_PX].T, j))
        for slot in (_BX, _BY, _PX, _PY):
            ifma.pack(t52, slot, w64, slot)
        ifma.fq_sub(t52, _TMP, t52, _PY, t52, _BY)  # λ = (y₂ − y₁) / (x₂ − x₁)
        ifma.fq_mul(t52, _LAM, t52, _TMP, t52, _DINV)
        ifma.fq_mul(t52, _X3, t52, _LAM, t52, _LAM)  # x₃ = λ² − x₁ − x₂
        ifma.fq_sub(t52, _X3, t52, _X3, t52, _BX)
        ifma.fq_sub(t52, _X3, t52, _X3, t52, _PX)
        ifma.fq_sub(t52, _TMP, t52, _BX, t52, _X3)  # y₃ = λ(x₁ − x₃) − y₁
        ifma.fq_mul(t52, _TMP, t52, _LAM, t52, _TMP)
        ifma.fq_sub(t52, _Y3, t52, _TMP, t52, _BY)
        ifma.unpack(w64, _X3, t52, _X3)
        ifma.unpack(w64, _Y3, t52, _Y3)
        if doubling:
            ifma.unpack(w64, _DINV, t52, _DINV)
        for j in range(used):
            k = r * lanes + j
            b = op_b[k]
            bx = limbs.load(w64[_BX].T, j)
            if doubling and limbs.equal(bx, limbs.load(w64[_PX].T, j)):  # λ = 3x² / 2y
                by = limbs.load(w64[_BY].T, j)
                xx = fq.square(bx)
                lam = fq.mul(fq.add(fq.add(xx, xx), xx), limbs.load(w64[_DINV].T, j))
                x3 = fq.sub(fq.sub(fq.square(lam), bx), bx)
                y3 = fq.sub(fq.mul(lam, fq.sub(bx, x3)), by)
            else:
                x3 = limbs.load(w64[_X3].T, j)
                y3 = limbs.load(w64[_Y3].T, j)
            g1.store_aff(buckets, b, x3, y3)
            busy[b] = False


@njit(cache=True, nogil=True)
def _schedule(buckets, busy, op_b, op_p, op_d, nops, b, x, y):
    """Queue bucket[b] += (x, y) into the batch (bucket b not busy); returns the new op count.

    Cases needing no inversion finish at once: an empty bucket takes the point, and P + (−P)
    empties the bucket. Doubling (same point) joins the batch with denominator 2y.
    """
    bx, by = g1.load_aff(buckets, b)
    if limbs.is_zero(bx) and limbs.is_zero(by):
        g1.store_aff(buckets, b, x, y)
        return nops
    if limbs.equal(bx, x):
        if not limbs.equal(by, y):
            g1.store_aff(buckets, b, g1.ZERO, g1.ZERO)
            return nops
        den = fq.add(y, y)
    else:
        den = fq.sub(x, bx)
    op_b[nops] = b
    g1.store_aff(op_p, nops, x, y)
    limbs.store(op_d, nops, den)
    busy[b] = True
    return nops + 1


@njit(cache=True, nogil=True)
def _drain(buckets, busy, op_b, op_p, op_d, nops, q_b, q_p, nq):
    """Move waiting points whose bucket is free into the batch (while it has room); keep the
    rest, in order."""
    kept = 0
    for j in range(nq):
        b = q_b[j]
        x, y = g1.load_aff(q_p, j)
        if busy[b] or nops == op_b.shape[0]:
            q_b[kept] = b
            g1.store_aff(q_p, kept, x, y)
            kept += 1
        else:
            nops = _schedule(buckets, busy, op_b, op_p, op_d, nops, b, x, y)
    return nops, kept


@njit(cache=True, nogil=True)
def _finish_batch(buckets, busy, op_b, op_p, op_d, op_pre, nops, d52, pre52, t52, w64, use_ifma):
    """``_apply_batch``, or ``_apply_batch_ifma`` when ``use_ifma`` is not None. A None-typed
    argument makes Numba drop the IFMA branch at compile time, so the scalar specialization
    compiles (and runs) on any CPU."""
    if use_ifma is None:
        _apply_batch(buckets, busy, op_b, op_p, op_d, op_pre, nops)
    else:
        _apply_batch_ifma(buckets, busy, op_b, op_p, op_d, nops, d52, pre52, t52, w64)


@njit(cache=True, nogil=True)
def _window_batch_affine(bases, phix, scalars, split, lo, hi, w, c, nb, batch, use_ifma):
    """Σ (b+1)·B_b of window w over items [lo, hi), with nb batch-affine buckets; the batches
    are finished eight additions at a time with IFMA unless ``use_ifma`` is None."""
    buckets = np.zeros((nb, AFFINE), dtype=np.uint64)  # (0, 0) = empty
    spill = np.zeros((0, JACOBIAN), dtype=np.uint64)  # allocated at the first spill (rare)
    busy = np.zeros(nb, dtype=np.bool_)
    op_b = np.empty(batch, dtype=np.int64)
    op_p = np.empty((batch, AFFINE), dtype=np.uint64)
    op_d = np.empty((batch, 4), dtype=np.uint64)
    op_pre = np.empty((batch, 4), dtype=np.uint64)
    # A waiting point's bucket was busy, so with two equal scalars close together (a column
    # whose values repeat, as witness columns often do) about every other point waits: room for
    # a batch's worth keeps them out of the spill, whose Jacobian additions cost twice as much.
    qcap = batch
    q_b = np.empty(qcap, dtype=np.int64)
    q_p = np.empty((qcap, AFFINE), dtype=np.uint64)
    rows = (batch + ifma.LANES - 1) // ifma.LANES if use_ifma is not None else 0
    d52 = np.empty((rows, ifma.LIMBS, ifma.LANES), dtype=np.uint64)  # lane blocks (see ifma)
    pre52 = np.empty((rows + 1, ifma.LIMBS, ifma.LANES), dtype=np.uint64)
    t52 = np.empty((_TMP + 1, ifma.LIMBS, ifma.LANES), dtype=np.uint64)
    w64 = np.zeros((_TMP + 1, 4, ifma.LANES), dtype=np.uint64)
    ahead = np.zeros(_AHEAD, dtype=np.int64)  # digits of the next items, whose buckets we prefetch
    for t in range(lo, min(hi, lo + _AHEAD)):
        ahead[t % _AHEAD] = _digit(scalars, t, w, c, split)
    nops = 0
    nq = 0
    for t in range(lo, hi):
        d = ahead[t % _AHEAD]
        if t + _AHEAD < hi:
            dn = _digit(scalars, t + _AHEAD, w, c, split)
            ahead[t % _AHEAD] = dn
            if dn != 0:
                prefetch_row(buckets, abs(dn) - 1)
        if d == 0:
            continue
        b = abs(d) - 1
        x, y = _signed_item(bases, phix, t, d, split)
        if limbs.is_zero(x) and limbs.is_zero(y):
            continue
        if busy[b]:
            if nq < qcap:  # wait for the next batch
                q_b[nq] = b
                g1.store_aff(q_p, nq, x, y)
                nq += 1
            else:  # many points for one bucket (repeated bases or scalars): Jacobian fallback
                if spill.shape[0] == 0:
                    spill = np.zeros((nb, JACOBIAN), dtype=np.uint64)
                sx, sy, sz = g1.load_jac(spill, b)
                sx, sy, sz = g1.add_mixed(sx, sy, sz, x, y)
                g1.store_jac(spill, b, sx, sy, sz)
            continue
        nops = _schedule(buckets, busy, op_b, op_p, op_d, nops, b, x, y)
        while nops == batch:
            _finish_batch(buckets, busy, op_b, op_p, op_d, op_pre, nops, d52, pre52, t52, w64, use_ifma)
            nops, nq = _drain(buckets, busy, op_b, op_p, op_d, 0, q_b, q_p, nq)
    while nops > 0 or nq > 0:
        _finish_batch(buckets, busy, op_b, op_p, op_d, op_pre, nops, d52, pre52, t52, w64, use_ifma)
        nops, nq = _drain(buckets, busy, op_b, op_p, op_d, 0, q_b, q_p, nq)
    if spill.shape[0] > 0:
        _fold_spill(buckets, spill)
    return _bucket_sum_affine(buckets, op_b, op_p, op_d, op_pre, d52, pre52, t52, w64, use_ifma)


@njit(cache=True, nogil=True)
def _fold_spill(buckets, spill):
    """bucket[b] += spill[b] for every spilled bucket, back to affine with one inversion."""
    nb = buckets.shape[0]
    pre = np.empty((nb, 4), dtype=np.uint64)
    folded = np.zeros(nb, dtype=np.bool_)
    acc = g1.ONE
    for b in range(nb):
        if limbs.is_zero(spill[b, 8:12]):  # never spilled, or its spilled points cancelled
            continue
        sx, sy, sz = g1.load_jac(spill, b)
        bx, by = g1.load_aff(buckets, b)
        sx, sy, sz = g1.add_mixed(sx, sy, sz, bx, by)
        g1.store_jac(spill, b, sx, sy, sz)
        folded[b] = True
        limbs.store(pre, b, acc)
        if not limbs.is_zero(sz):
            acc = fq.mul(acc, sz)
    inv = g1.inverse(acc)
    for b in range(nb - 1, -1, -1):
        if not folded[b]:
            continue
        sx, sy, sz = g1.load_jac(spill, b)
        if limbs.is_zero(sz):
            g1.store_aff(buckets, b, g1.ZERO, g1.ZERO)
            continue
        zinv = fq.mul(inv, limbs.load(pre, b))
        inv = fq.mul(inv, sz)
        ax, ay = g1.to_affine_with(sx, sy, sz, zinv)
        g1.store_aff(buckets, b, ax, ay)


@njit(cache=True, nogil=True)
def reduction_chains(nb, batch):
    """Chains m of the bucket sum: about 4·√nb, where the batch inversions (2·nb/m of them) and
    the Jacobian combination of the chains (3m additions) cost about the same; a power of two,
    at most nb and at most ``batch`` (the room in the batch arrays)."""
    lg = 0
    while (2 << lg) <= nb:
        lg += 1
    m = 1 << ((lg + 4) // 2)
    while m > nb or m > batch:
        m >>= 1
    return m


@njit(cache=True, nogil=True)
def _bucket_sum_affine(buckets, op_b, op_p, op_d, op_pre, d52, pre52, t52, w64, use_ifma):
    """Σ (b+1)·B_b over affine buckets with batch-affine additions (see ``_apply_batch``).

    A Jacobian running sum costs a mixed and a full addition per bucket (≈ 30 % of a window at
    c = 16); here m chains run side by side, so each step's m additions share one inversion.
    Chain j takes buckets b = j + m·i, i = L−1 … 0 (L = nb/m; a step reads m adjacent
    buckets): its running sum R_j = Σ_i B_b and, adding R_j before each step but the last,
    W_j = Σ_i i·B_b. Then Σ (b+1)·B_b = m·Σ_j W_j + Σ_j (j+1)·R_j, the latter by one more
    (Jacobian) running sum over the chains.
    """
    nb = buckets.shape[0]
    m = reduction_chains(nb, op_b.shape[0])
    span = nb // m
    chains = np.zeros((2 * m, AFFINE), dtype=np.uint64)  # R_j in rows j, W_j in rows m + j
    busy = np.zeros(2 * m, dtype=np.bool_)
    for i in range(span - 1, -1, -1):
        if i < span - 1:  # W_j += R_j (R_j as of the previous steps: Σ over i' > i)
            nops = 0
            for j in range(m):
                x, y = g1.load_aff(chains, j)
                if not (limbs.is_zero(x) and limbs.is_zero(y)):
                    nops = _schedule(chains, busy, op_b, op_p, op_d, nops, m + j, x, y)
            if nops > 0:
                _finish_batch(chains, busy, op_b, op_p, op_d, op_pre, nops, d52, pre52, t52, w64, use_ifma)
        nops = 0
        for j in range(m):  # R_j += B_(j + m·i)
            x, y = g1.load_aff(buckets, j + m * i)
            if not (limbs.is_zero(x) and limbs.is_zero(y)):
                nops = _schedule(chains, busy, op_b, op_p, op_d, nops, j, x, y)
        if nops > 0:
            _finish_batch(chains, busy, op_b, op_p, op_d, op_pre, nops, d52, pre52, t52, w64, use_ifma)
    rx, ry, rz = _ZERO3
    ax, ay, az = _ZERO3
    wx, wy, wz = _ZERO3
    for j in range(m - 1, -1, -1):
        x, y = g1.load_aff(chains, j)
        rx, ry, rz = g1.add_mixed(rx, ry, rz, x, y)
        ax, ay, az = g1.add(ax, ay, az, rx, ry, rz)
        x, y = g1.load_aff(chains, m + j)
        wx, wy, wz = g1.add_mixed(wx, wy, wz, x, y)
    k = m
    while k > 1:
        wx, wy, wz = g1.double(wx, wy, wz)
        k >>= 1
    return g1.add(ax, ay, az, wx, wy, wz)


@njit(cache=True, nogil=True)
def window_count(c, split):
    """Windows of c bits covering the scalars (r < 2^254) or GLV halves (< 2^127), with the one
    zero bit on top that the Booth recoding needs."""
    bits = glv.BITS if split else SCALAR_BITS
    return (bits + c - 1) // c


@njit(cache=True, nogil=True)
def window_buckets(c, split, w):
    """Buckets window w needs: 2^(c−1), fewer in a top window that holds only a few bits (its
    digits are at most 2^(bits left)), which then has fewer buckets to sum."""
    top = (glv.BITS if split else SCALAR_BITS) - 1
    return 1 << min(c - 1, top - c * w)


@njit(parallel=True, cache=True, nogil=True)
def pippenger(bases, phix, scalars, split, c, batch, tasks, workers, taken, out, use_ifma):
    """out[j] = Σ_i scalars[j, i]·bases[i] (Jacobian) for every column j of ``scalars``
    (m, n, 4): canonical, or GLV-split (``split``, then ``phix`` holds φ's x-coordinates; unread
    otherwise). The columns share the bases, so a round's commitments run in one call.

    ``tasks`` rows (column, window, first item, end item) run in parallel, each with its own
    buckets (see ``plan_tasks``), taken in order by one worker per thread from a shared counter
    (see ``_atomic``), ``taken`` (one int64, zero); their sums are added per column and window,
    and each column's windows combined by Horner. The counter comes from the caller: allocated
    in here, Numba took it for unchanged by the parallel loop (a read after the loop gave 0).
    ``batch`` = 0 selects Jacobian buckets; so does a top window with under ``_MIN_AFFINE``.
    ``use_ifma``: None for the scalar kernels, True for IFMA batches (see ``_finish_batch``).
    """
    nwin = window_count(c, split)
    ntasks = tasks.shape[0]
    sums = np.empty((ntasks, JACOBIAN), dtype=np.uint64)
    for _ in prange(min(workers, ntasks)):  # ``workers`` = the thread count: one each
        t = fetch_add(taken, 0, 1)
        while t < ntasks:
            col, w, lo, hi = tasks[t, 0], tasks[t, 1], tasks[t, 2], tasks[t, 3]
            column = scalars[col]
            nb = window_buckets(c, split, w)
            if batch > 0 and (nb == 1 << (c - 1) or nb >= _MIN_AFFINE):
                x, y, z = _window_batch_affine(bases, phix, column, split, lo, hi, w, c, nb,
                                               min(batch, max(1, nb // 4)), use_ifma)
            else:
                x, y, z = _window_jacobian(bases, phix, column, split, lo, hi, w, c, nb)
            g1.store_jac(sums, t, x, y, z)
            t = fetch_add(taken, 0, 1)
    windows = np.zeros((scalars.shape[0], nwin, JACOBIAN), dtype=np.uint64)
    for t in range(ntasks):
        col, w = tasks[t, 0], tasks[t, 1]
        wx, wy, wz = g1.load_jac(windows[col], w)
        sx, sy, sz = g1.load_jac(sums, t)
        wx, wy, wz = g1.add(wx, wy, wz, sx, sy, sz)
        g1.store_jac(windows[col], w, wx, wy, wz)
    for col in range(scalars.shape[0]):
        rx, ry, rz = _ZERO3
        for w in range(nwin - 1, -1, -1):
            for _ in range(c):
                rx, ry, rz = g1.double(rx, ry, rz)
            sx, sy, sz = g1.load_jac(windows[col], w)
            rx, ry, rz = g1.add(rx, ry, rz, sx, sy, sz)
        g1.store_jac(out, col, rx, ry, rz)


def window_bits(n: int, split: bool = False) -> int:
    """Pippenger window c for n points (2n halves with GLV), from a sweep on this code
    (k = 8 … 20).

    More bits mean fewer windows (⌈255/c⌉ additions per point) but 2^(c−1) buckets per window to
    sum and to keep in cache; from c ≈ 15 the buckets outgrow L2 and the gain stops.

    With GLV only widths that tile the 128 bits of a half well are used: 8 (16 windows), 13 (10
    windows, the top one has 2^10 buckets) and 16 (8 windows); between them (c = 14, 15) a top
    window of 1–7 bits keeps only a few buckets, too few for batch-affine, and the Jacobian
    additions there cost about two windows of work. Window counts are even, so the windows
    divide between two threads without splitting. With the IFMA bucket additions 16 bits pay
    from k = 16 (2 MiB of buckets per window fit this CPU's L2; Xeon with avx512ifma, 4 MiB
    L2, medians of 9): k = 16 69 against 76–78 ms on 2 threads, 145 against 148 ms on 1;
    k = 17 121 against 150 ms on 2 threads; at k = 15 13 bits stay faster (40 against 44 ms).
    """
    k = max(n, 1).bit_length() - 1
    if split:
        if k < 8:
            return max(3, k)
        return 8 if k < 12 else 13 if k < 16 else 16
    if k <= 14:
        return max(3, k - 2)
    if k <= 18:
        return k - 3
    return 15 if k <= 21 else 16


def batch_size(c: int) -> int:
    """Additions sharing one inversion, or 0 (Jacobian buckets) when the buckets are too few for
    a batch to amortise its inversion (≈ 380 multiplications) without constant collisions."""
    if c < 10:
        return 0
    return min(2048, (1 << (c - 1)) // 4)


def plan_tasks(items: int, c: int, split: bool, threads: int, columns: int = 1) -> np.ndarray:
    """Task rows (column, window, first item, end item): one per column and window, except that
    the last ``threads`` of them are cut in two halves of the items.

    Workers take tasks one at a time in order, so the halves come last and no thread waits
    at the end for more than half a window, whether the windows divide among the threads (8
    with GLV) or not (17 without), and whichever threads the other processes slow down. A cut
    costs one more bucket sum (2^(c−1) buckets), repaid from about 8·2^c items. Cutting every
    window in two instead (k = 18, GLV, c = 16, 1 thread CPU time) costs ≈ +10 % by points (the
    bucket sums double: 120 ms) or +9 % by bucket ranges (measured; each range rescans all the
    digits); this costs threads/W of the former — threads/(columns·W) with several columns in
    one call, whose tasks queue behind each other.
    """
    windows = window_count(c, split)
    total = columns * windows
    cut = min(threads, total) if threads > 1 and items >= 8 << c else 0
    whole = [divmod(t, windows) for t in range(total)]
    rows = [(col, w, 0, items) for col, w in whole[:total - cut]]
    half = items // 2
    for col, w in whole[total - cut:]:
        rows += [(col, w, 0, half), (col, w, half, items)]
    return np.array(rows, dtype=np.int64)


def msm(bases: np.ndarray, scalars: np.ndarray, *, window: int | None = None, glv: bool = True,
        ifma: bool | None = None) -> np.ndarray:
    """Σ scalars[i]·bases[i] as one Jacobian point (12,).

    ``bases``: (n, 8) affine points; ``scalars``: (n, 4) Fr in Montgomery form (as every Fr
    vector). ``window`` overrides the Pippenger window size c (tuning and tests only).
    ``glv`` splits each scalar with the endomorphism (``halo2py.curve.glv``): 2n points with
    127-bit scalars. The split scalars go to a canonical copy; φ(P) = (β·x, y) shares y
    with P, so only a column of β·x is built, once per call: 32 bytes per point (an Fr vector's
    size, 32 MiB at k = 20), freed on return. Computing β·x inside the bucket loop instead
    needs no memory but repeats the multiplication in every window: +10 % time at k = 20
    (measured). The column is not cached with the SRS: callers pass slices of it, and an
    array's identity is no safe cache key.
    ``ifma`` finishes the batch-affine additions eight at a time with AVX-512 IFMA
    (``halo2py.arith.ifma``); None = where the CPU has it (``ifma.enabled``). Both paths give
    the same point, limb for limb.
    """
    return msm_columns(bases, [scalars], window=window, glv=glv, ifma=ifma)[0]


def msm_columns(bases: np.ndarray, columns: list, *, window: int | None = None, glv: bool = True,
                ifma: bool | None = None) -> np.ndarray:
    """``msm(bases, s)`` for every scalar vector s of ``columns``, as Jacobian points (m, 12): a
    round's commitments, which share their bases.

    The columns run ``threads`` at a time (Numba's thread count) in one ``pippenger`` call,
    whose workers take all their windows from one queue: one MSM's windows leave a thread idle
    at the end and cost the cut windows' extra bucket sums (see ``plan_tasks``) per MSM, and
    φ's x-coordinates are built once for all columns. Each column in flight holds its canonical
    (split) copy: ``threads`` Fr vectors instead of one. The points are ``msm``'s, limb for limb.
    """
    if getattr(bases, "ndim", None) != 2:
        raise PointError(f"msm bases must be affine points (n, 8), got {getattr(bases, 'shape', bases)}")
    _rows(bases, AFFINE, "msm bases")
    for scalars in columns:
        Fr.check(scalars, "msm scalars")
        if scalars.shape[0] != bases.shape[0]:
            raise PointError(f"msm: {bases.shape[0]} bases but {scalars.shape[0]} scalars")
    out = np.zeros((len(columns), JACOBIAN), dtype=np.uint64)
    n = bases.shape[0]
    if n == 0 or not columns:
        return out
    c = window or window_bits(n, glv)
    if not 2 <= c <= 20:
        raise PointError(f"msm window must be in [2, 20], got {c}")
    bases = np.ascontiguousarray(bases)
    threads = numba.get_num_threads()
    group = min(threads, len(columns))
    prepared = np.empty((group, n, 4), dtype=np.uint64)
    phix = np.empty((n if glv else 0, 4), dtype=np.uint64)
    if glv:
        phi_x(bases, phix)
    batch, flag = batch_size(c), True if use_ifma(ifma) else None
    for first in range(0, len(columns), group):
        chunk = columns[first:first + group]
        for j, scalars in enumerate(chunk):
            Fr.from_montgomery(np.ascontiguousarray(scalars), out=prepared[j])
            if glv:
                split_scalars(prepared[j], prepared[j])
        tasks = plan_tasks(n * (2 if glv else 1), c, glv, threads, len(chunk))
        pippenger(bases, phix, prepared[:len(chunk)], glv, c, batch, tasks, threads, np.zeros(1, dtype=np.int64),
                  out[first:first + len(chunk)], flag)
    return out


def use_ifma(ifma: bool | None = None) -> bool:
    """Whether ``msm(..., ifma=ifma)`` runs the IFMA batches: None = ``ifma.enabled()``; True on
    a CPU without IFMA is an error."""
    if ifma is None:
        return ifma_enabled()
    if ifma and not cpu_has_ifma():
        raise PointError("msm: ifma=True but this CPU has no AVX-512 IFMA")
    return bool(ifma)


def msm_affine(bases: np.ndarray, scalars: np.ndarray) -> np.ndarray:
    """``msm`` converted to one affine point (8,); the identity is (0, 0)."""
    return G1.to_affine(msm(bases, scalars))
