"""Division by the vanishing polynomial X^n − 1 on the extended coset.

On ζ·⟨ω_ext⟩ the value of X^n − 1 at index j is ζ^n·(ω_ext^n)^j − 1, and ω_ext^n has order e, so
only e distinct values occur, cycling with j mod e: dividing is one multiplication per point by a
precomputed inverse, never an inversion per point.
"""

from numba import njit, prange

from halo2py.arith import fr, limbs


@njit(parallel=True, cache=True, nogil=True)
def divide_cyclic(values, inverses):
    """values[j] *= inverses[j mod e] in place; ``inverses`` is (e, 4) Montgomery."""
    e = inverses.shape[0]
    for j in prange(values.shape[0]):
        limbs.store(values, j, fr.mul(limbs.load(values, j), limbs.load(inverses, j % e)))
