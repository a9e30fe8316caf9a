"""Element-wise kernels over (n, 4) uint64 arrays in Montgomery form, generic in the modulus.

The modulus travels as an argument (a 4-tuple plus ``minv``) so one compiled kernel serves Fr and
Fq; LLVM hoists it into registers, so this costs nothing measurable against a constant modulus.
Every kernel writes into a caller-supplied ``out`` (which may alias an input) so hot paths can run
in place without temporaries.
"""

import numpy as np
from numba import njit, prange

from halo2py.arith import ifma, limbs

_Z = np.uint64(0)


@njit(parallel=True, cache=True, nogil=True)
def vec_add(a, b, out, m):
    for i in prange(a.shape[0]):
        limbs.store(out, i, limbs.add(limbs.load(a, i), limbs.load(b, i), m))


@njit(parallel=True, cache=True, nogil=True)
def vec_sub(a, b, out, m):
    for i in prange(a.shape[0]):
        limbs.store(out, i, limbs.sub(limbs.load(a, i), limbs.load(b, i), m))


@njit(parallel=True, cache=True, nogil=True)
def vec_neg(a, out, m):
    for i in prange(a.shape[0]):
        limbs.store(out, i, limbs.neg(limbs.load(a, i), m))


@njit(parallel=True, cache=True, nogil=True)
def vec_mul(a, b, out, m, minv):
    for i in prange(a.shape[0]):
        limbs.store(out, i, limbs.mont_mul(limbs.load(a, i), limbs.load(b, i), m, minv))


@njit(parallel=True, cache=True, nogil=True)
def vec_scale(a, s, out, m, minv):
    """out[i] = a[i] * s for one element s (a 4-tuple)."""
    for i in prange(a.shape[0]):
        limbs.store(out, i, limbs.mont_mul(limbs.load(a, i), s, m, minv))


@njit(parallel=True, cache=True, nogil=True)
def vec_square(a, out, m, minv):
    for i in prange(a.shape[0]):
        x = limbs.load(a, i)
        limbs.store(out, i, limbs.mont_mul(x, x, m, minv))


# IFMA forms of the three kernels above, eight rows per step (``halo2py.arith.ifma``; rows past
# the last multiple of eight take the scalar kernel). Separate functions, so that a CPU without
# IFMA never compiles them; ``field.PrimeField`` chooses. C-contiguous arrays only.

@njit(parallel=True, cache=True, nogil=True)
def vec_mul_ifma(a, b, out, m, minv):
    full = a.shape[0] >> 3
    for t in prange(full):
        ifma.mul_rows(out, t << 3, a, t << 3, b, t << 3, m, minv)
    for i in range(full << 3, a.shape[0]):
        limbs.store(out, i, limbs.mont_mul(limbs.load(a, i), limbs.load(b, i), m, minv))


@njit(parallel=True, cache=True, nogil=True)
def vec_scale_ifma(a, s, out, m, minv):
    full = a.shape[0] >> 3
    for t in prange(full):
        ifma.scale_rows(out, t << 3, a, t << 3, s, m, minv)
    for i in range(full << 3, a.shape[0]):
        limbs.store(out, i, limbs.mont_mul(limbs.load(a, i), s, m, minv))


@njit(cache=True, nogil=True)
def pow_one(x, exp, one, m, minv):
    """x^exp by left-to-right square-and-multiply over the 256 exponent bits (exp: 4-tuple)."""
    acc = one
    for w in range(3, -1, -1):
        word = exp[w]
        for bit in range(63, -1, -1):
            acc = limbs.mont_mul(acc, acc, m, minv)
            if (word >> np.uint64(bit)) & np.uint64(1):
                acc = limbs.mont_mul(acc, x, m, minv)
    return acc


@njit(parallel=True, cache=True, nogil=True)
def vec_pow(a, exp, out, one, m, minv):
    for i in prange(a.shape[0]):
        limbs.store(out, i, pow_one(limbs.load(a, i), exp, one, m, minv))


@njit(parallel=True, cache=True, nogil=True)
def vec_eq(a, b, out):
    for i in prange(a.shape[0]):
        out[i] = limbs.equal(limbs.load(a, i), limbs.load(b, i))


@njit(cache=True, nogil=True)
def _batch_invert_range(a, out, lo, hi, one, pm2, m, minv):
    """Montgomery's trick on a[lo:hi]: one exponentiation, 3 multiplications per element.

    Zeros stay zero (halo2's convention), so a vanishing denominator cannot poison the batch.
    """
    acc = one
    for i in range(lo, hi):
        x = limbs.load(a, i)
        limbs.store(out, i, acc)  # prefix product of the non-zero elements before i
        if not limbs.is_zero(x):
            acc = limbs.mont_mul(acc, x, m, minv)
    inv = pow_one(acc, pm2, one, m, minv)
    for i in range(hi - 1, lo - 1, -1):
        x = limbs.load(a, i)
        if limbs.is_zero(x):
            limbs.store(out, i, (_Z, _Z, _Z, _Z))
        else:
            prefix = limbs.load(out, i)
            limbs.store(out, i, limbs.mont_mul(inv, prefix, m, minv))
            inv = limbs.mont_mul(inv, x, m, minv)


@njit(parallel=True, cache=True, nogil=True)
def batch_invert(a, out, chunks, one, pm2, m, minv):
    """Invert every element; ``chunks`` independent Montgomery tricks run in parallel."""
    n = a.shape[0]
    step = (n + chunks - 1) // chunks
    for c in prange(chunks):
        lo = c * step
        hi = min(n, lo + step)
        if lo < hi:
            _batch_invert_range(a, out, lo, hi, one, pm2, m, minv)


@njit(cache=True, nogil=True)
def vec_less_than(a, bound):
    """Per-row ``a[i] < bound`` on canonical limbs (used to reject non-canonical input)."""
    n = a.shape[0]
    out = np.empty(n, dtype=np.bool_)
    for i in range(n):
        _, borrow = limbs._sub_raw(limbs.load(a, i), bound)
        out[i] = borrow == np.uint64(1)
    return out
