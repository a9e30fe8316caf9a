"""``subcoset``: below the chunked floor — sub-cosets of size n/s, and h never materialised at e·n.

``chunked`` still holds one size-n part of every polynomial the constraints read (C·n elements)
and the whole e·n numerator. This strategy splits the extended coset ζ·⟨ω_ext⟩ into E = e·s
cosets u_t·⟨ω^s⟩ of size m = n/s (u_t = ζ·ω_ext^t) and handles one at a time:

* **Columns.** A rotation ρ moves a point of u_t·⟨ω^s⟩ to u_t·ω^ρ·⟨ω^s⟩ — another coset unless
  s | ρ — so each distinct *query* (column, rotation) gets its own m values: the polynomial
  folded onto the coset, g[a] = Σ_b f[a + m·b]·c^{a + m·b} with c = u_t·ω^ρ (because Y^m = 1 there),
  then one size-m NTT. The program then reads every query at rotation 0.
* **Quotient.** X^n − 1 is the constant u_t^n − 1 on the coset. Interpolation is streamed: with
  R_t[a] = u_t^{−a}·iNTT_m(h on coset t)[a] = Σ_b c_{a+mb}·ζ^{mb}·ν^{tb} (ν = ω_ext^m, of order E),
  each coefficient block is c_{a+mb} = ζ^{−mb}/E · Σ_t ν^{−tb}·R_t[a], so every coset's values are
  added, scaled, into the d − 1 output pieces and dropped.

Peak: Q·m (queries) + m + (d − 1)·n, instead of chunked's (C + 1)·n + e·n. The price: the fold
(s multiplications per coefficient per query per coset) and one FFT per query rather than per
column. ``SPLIT`` = s trades memory for time: 8, the default strategy's, holds the stress shape's
quotient (Q = 48) in 9.1 V where s = 4 took 15.3 V — the whole proof's peak at k = 18 from 431 to
382 MiB — for ~5 % more proving time (the fold reads every coefficient once per sub-coset).
"""

import numpy as np
from numba import njit, prange

from halo2py.arith import fr, ifma, limbs
from halo2py.arith.constants import FR_MODULUS
from halo2py.arith.field import Fr
from halo2py.arith.ntt import distribute_powers, intt, ntt
from halo2py.poly.ops import add_scaled
from halo2py.quotient.evaluate import evaluate
from halo2py.quotient.strategy import ELEMENT_BYTES, Allocations, QuotientResult, QuotientShape, QuotientStrategy

R = FR_MODULUS
_FOLD_CHUNK = 1024


@njit(parallel=True, cache=True, nogil=True)
def _fold(poly, out, c_starts, c_step, w):
    """out[a] = c^a · Σ_b poly[a + m·b]·w^b, w = c^m; c^a advances by c_step within each chunk."""
    m = out.shape[0]
    blocks = poly.shape[0] // m
    chunks = c_starts.shape[0]
    for ch in prange(chunks):
        lo = ch * _FOLD_CHUNK
        hi = min(m, lo + _FOLD_CHUNK)
        ca = limbs.load(c_starts, ch)
        for a in range(lo, hi):
            limbs.store(out, a, fr.mul(_folded(poly, a, m, blocks, w), ca))
            ca = fr.mul(ca, c_step)


@njit(cache=True, nogil=True)
def _folded(poly, a, m, blocks, w):
    """Σ_b poly[a + m·b]·w^b by Horner's rule: one coefficient of the fold before its c^a."""
    acc = limbs.load(poly, a + m * (blocks - 1))
    for b in range(blocks - 2, -1, -1):
        acc = fr.add(fr.mul(acc, w), limbs.load(poly, a + m * b))
    return acc


@njit(parallel=True, cache=True, nogil=True)
def _fold_ifma(poly, out, c_starts, c_step, w):
    """``_fold`` eight values of a per IFMA step (a chunk's last rows past a multiple of eight
    scalar): the lanes hold a, a + 1, …, a + 7, and c^a advances by c_step^8 per step."""
    m = out.shape[0]
    blocks = poly.shape[0] // m
    for ch in prange(c_starts.shape[0]):
        lo = ch * _FOLD_CHUNK
        hi = min(m, lo + _FOLD_CHUNK)
        rows8 = np.empty((ifma.LANES, 4), dtype=np.uint64)
        lanes = np.empty((5, ifma.LIMBS, ifma.LANES), dtype=np.uint64)  # acc, term, c^a, w, c_step^8
        ca = limbs.load(c_starts, ch)
        for q in range(ifma.LANES):
            limbs.store(rows8, q, ca)
            ca = fr.mul(ca, c_step)
        ifma.pack_rows(lanes, 2, rows8, 0)
        for q in range(ifma.LANES):
            limbs.store(rows8, q, w)
        ifma.pack_rows(lanes, 3, rows8, 0)
        c8 = fr.mul(c_step, c_step)
        c8 = fr.mul(c8, c8)
        c8 = fr.mul(c8, c8)
        for q in range(ifma.LANES):
            limbs.store(rows8, q, c8)
        ifma.pack_rows(lanes, 4, rows8, 0)
        tail = hi - (hi - lo) % ifma.LANES
        for a in range(lo, tail, ifma.LANES):
            ifma.pack_rows(lanes, 0, poly, a + m * (blocks - 1))
            for b in range(blocks - 2, -1, -1):
                ifma.fr_mul(lanes, 0, lanes, 0, lanes, 3)
                ifma.pack_rows(lanes, 1, poly, a + m * b)
                ifma.fr_add(lanes, 0, lanes, 0, lanes, 1)
            ifma.fr_mul(lanes, 0, lanes, 0, lanes, 2)
            ifma.unpack_rows(out, a, lanes, 0)
            ifma.fr_mul(lanes, 2, lanes, 2, lanes, 4)
        ifma.unpack_rows(rows8, 0, lanes, 2)
        ca = limbs.load(rows8, 0)  # c^tail
        for a in range(tail, hi):
            limbs.store(out, a, fr.mul(_folded(poly, a, m, blocks, w), ca))
            ca = fr.mul(ca, c_step)


def fold_onto_coset(poly: np.ndarray, shift: int, out: np.ndarray) -> np.ndarray:
    """``out`` (m values) = poly evaluated on shift·⟨ω_m⟩, via the fold and one size-m NTT."""
    m = out.shape[0]
    # c^lo for each chunk's first row lo, by repeated multiplication: a pow per chunk was 1.4 s
    # of Python per proof at k = 18 (48 queries × E cosets × m/1024 chunks)
    step, starts = pow(shift, _FOLD_CHUNK, R), [1]
    for _ in range(1, -(-m // _FOLD_CHUNK)):
        starts.append(starts[-1] * step % R)
    fold = _fold_ifma if ifma.enabled() and poly.flags.c_contiguous and out.flags.c_contiguous else _fold
    fold(poly, out, Fr.from_ints(starts), Fr.to_mont(shift), Fr.to_mont(pow(shift, m, R)))
    return ntt(out)


class SubcosetStrategy(QuotientStrategy):
    name = "subcoset"
    description = "sub-cosets of size n/8 with per-query folds; h streamed into its pieces, never held at e·n"
    SPLIT = 8

    def compute(self, task):
        dom = task.domain
        n, e = dom.n, dom.e
        s = min(self.SPLIT, n)
        m, cosets = n // s, e * s
        omega_m = pow(dom.omega, s, R)
        pieces_n = dom.quotient_poly_degree * n
        program = task.program
        queries = program.queries  # (slot, rotation) per distinct query
        flat = _requery(program)
        mem = Allocations(task.allocate)
        stack = mem.empty((len(queries), m, 4))
        values = mem.empty((m, 4))
        h = mem.empty((pieces_n, 4))
        h[:] = 0
        nu_inv = pow(pow(dom.extended_omega, m, R), -1, R)
        zeta_m_inv = pow(pow(dom.zeta, m, R), -1, R)
        inv_cosets = pow(cosets, -1, R)
        for t in range(cosets):
            u = dom.zeta * pow(dom.extended_omega, t, R) % R
            for q, (slot, rotation) in enumerate(queries.tolist()):
                fold_onto_coset(task.polys[slot], u * pow(dom.omega, rotation % n, R) % R, stack[q])
            evaluate(flat, stack, 1, 0, m, u, omega_m, task.challenges, task.y, values)
            intt(values)
            distribute_powers(values, pow(u, -1, R))          # R_t[a] = u^{−a}·iNTT(values)[a]
            scale = pow((pow(u, n, R) - 1) % R, -1, R) * inv_cosets % R  # ÷ (X^n − 1), ÷ E
            for b in range(pieces_n // m):
                coeff = scale * pow(nu_inv, t * b, R) * pow(zeta_m_inv, b, R) % R
                add_scaled(h[b * m:(b + 1) * m], values, coeff)
        pieces = [h[i * n:(i + 1) * n] for i in range(dom.quotient_poly_degree)]
        return QuotientResult(pieces, peak_bytes=mem.peak)

    @classmethod
    def model_bytes(cls, shape: QuotientShape) -> int:
        # one sub-coset of every query, the sub-coset's values, and the d − 1 pieces
        s = min(cls.SPLIT, shape.n)
        return ELEMENT_BYTES * (shape.n // s * (shape.queries + 1) + shape.pieces * shape.n)


def _requery(program):
    """The program with query i reading stack slot i at rotation 0 (the fold applied ρ)."""
    import dataclasses

    q = len(program.queries)
    flat = np.zeros((q, 2), dtype=program.queries.dtype)
    flat[:, 0] = np.arange(q)
    return dataclasses.replace(program, queries=flat)
