"""Kernels for the running products of the permutation and lookup arguments.

Both arguments build a column of ratios (v + β·s + γ) / (v′ + β·s′ + γ) row by row and then its
prefix product. The factor kernel runs in place on an accumulator so a product of many columns
needs no temporaries; the prefix product is inherently sequential (n multiplications).
"""

import numpy as np
from numba import njit, prange

from halo2py.arith import fr, ifma, limbs
from halo2py.arith.field import Fr


@njit(parallel=True, cache=True, nogil=True)
def _mul_linear_factor(acc, values, scaled, c, gamma):
    for i in prange(acc.shape[0]):
        term = fr.add(fr.add(limbs.load(values, i), fr.mul(c, limbs.load(scaled, i))), gamma)
        limbs.store(acc, i, fr.mul(limbs.load(acc, i), term))


@njit(parallel=True, cache=True, nogil=True)
def _mul_linear_factor_ifma(acc, values, scaled, c, gamma, scale, m, minv):
    """``_mul_linear_factor`` with the products eight rows at a time (IFMA): c·scaled into an
    8-row scratch (skipped when ``scale`` is False: c = 0, the lookups' factors), the two
    additions per row, then acc's rows times the scratch; over 64 parallel pieces, each reusing
    one scratch; rows past the last multiple of eight are scalar."""
    blocks = acc.shape[0] >> 3
    per = (blocks + 63) // 64
    for piece in prange(64):
        term = np.empty((ifma.LANES, 4), dtype=np.uint64)
        for t in range(piece * per, min(blocks, (piece + 1) * per)):
            row = t << 3
            if scale:
                ifma.scale_rows(term, 0, scaled, row, c, m, minv)
                for lane in range(ifma.LANES):
                    limbs.store(term, lane, fr.add(fr.add(limbs.load(values, row + lane), limbs.load(term, lane)),
                                                   gamma))
            else:
                for lane in range(ifma.LANES):
                    limbs.store(term, lane, fr.add(limbs.load(values, row + lane), gamma))
            ifma.mul_rows(acc, row, acc, row, term, 0, m, minv)
    for i in range(blocks << 3, acc.shape[0]):
        term = fr.add(fr.add(limbs.load(values, i), fr.mul(c, limbs.load(scaled, i))), gamma)
        limbs.store(acc, i, fr.mul(limbs.load(acc, i), term))


def mul_linear_factor(acc: np.ndarray, values: np.ndarray, scaled: np.ndarray, c: int, gamma: int,
                      use_ifma: bool | None = None) -> None:
    """acc[i] *= values[i] + c·scaled[i] + γ, in place (c and γ canonical ints). With IFMA (None:
    where the CPU has it and the arrays are C-contiguous) the products run eight rows at a time:
    the permutation's and lookups' running products are on the prover's critical path — on a
    cluster its coordinator computes them while the workers wait for their commitments."""
    if acc.shape[0] != values.shape[0] or acc.shape[0] != scaled.shape[0]:
        raise ValueError(f"mul_linear_factor: {acc.shape[0]}, {values.shape[0]} and {scaled.shape[0]} rows")
    c_mont, gamma_mont = Fr.to_mont(c), Fr.to_mont(gamma)
    if use_ifma is None:
        use_ifma = (acc.shape[0] >= ifma.LANES and ifma.enabled()
                    and all(a.flags.c_contiguous for a in (acc, values, scaled)))
    if use_ifma:
        _mul_linear_factor_ifma(acc, values, scaled, c_mont, gamma_mont, c % Fr.modulus != 0, Fr.m, Fr.minv)
    else:
        _mul_linear_factor(acc, values, scaled, c_mont, gamma_mont)


@njit(cache=True, nogil=True)
def _prefix_product(ratios, start, out, count):
    acc = start
    limbs.store(out, 0, acc)
    for i in range(count - 1):
        acc = fr.mul(acc, limbs.load(ratios, i))
        limbs.store(out, i + 1, acc)


def prefix_product(ratios: np.ndarray, start: int, count: int, out: np.ndarray) -> np.ndarray:
    """out[0] = start, out[i+1] = out[i]·ratios[i] for the first ``count`` rows of ``out``."""
    _prefix_product(ratios, Fr.to_mont(start), out, count)
    return out
