"""Inline Numba device functions for BN254 Fr elements (Montgomery 4-tuples of uint64).

Other kernels (NTT, constraint evaluation) call these; the modulus is a global constant tuple, so
after inlining LLVM folds it into immediates.
"""

from numba import njit

from halo2py.arith import limbs
from halo2py.arith.constants import FR

_M = FR.m_limbs
_MINV = FR.minv_u64
ONE = FR.one_limbs
R2 = FR.r2_limbs


@njit(cache=True, nogil=True)
def add(a, b):
    return limbs.add(a, b, _M)


@njit(cache=True, nogil=True)
def sub(a, b):
    return limbs.sub(a, b, _M)


@njit(cache=True, nogil=True)
def neg(a):
    return limbs.neg(a, _M)


@njit(cache=True, nogil=True)
def mul(a, b):
    return limbs.mont_mul(a, b, _M, _MINV)


@njit(cache=True, nogil=True)
def square(a):
    return limbs.mont_mul(a, a, _M, _MINV)
