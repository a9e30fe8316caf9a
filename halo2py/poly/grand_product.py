"""Kernels for the running products of the permutation and lookup arguments.

Both arguments build a column of ratios (v + β·s + γ) / (v′ + β·s′ + γ) row by row and then its
prefix product. The factor kernel runs in place on an accumulator so a product of many columns
needs no temporaries; the prefix product is inherently sequential (n multiplications).
"""

import numpy as np
from numba import njit, prange

from halo2py.arith import fr, limbs
from halo2py.arith.field import Fr


@njit(parallel=True, cache=True)
def _mul_linear_factor(acc, values, scaled, c, gamma):
    for i in prange(acc.shape[0]):
        term = fr.add(fr.add(limbs.load(values, i), fr.mul(c, limbs.load(scaled, i))), gamma)
        limbs.store(acc, i, fr.mul(limbs.load(acc, i), term))


def mul_linear_factor(acc: np.ndarray, values: np.ndarray, scaled: np.ndarray, c: int, gamma: int) -> None:
    """acc[i] *= values[i] + c·scaled[i] + γ, in place (c and γ canonical ints)."""
    _mul_linear_factor(acc, values, scaled, Fr.to_mont(c), Fr.to_mont(gamma))


@njit(cache=True)
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
