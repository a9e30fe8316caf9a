"""BN254 moduli and the derived Montgomery constants, as plain Python integers and limb tuples.

Computed from the moduli with integer arithmetic at import (microseconds, no JIT).
"""

import numpy as np

FR_MODULUS = 21888242871839275222246405745257275088548364400416034343698204186575808495617
FQ_MODULUS = 21888242871839275222246405745257275088696311157297823662689037894645226208583

FR_TWO_ADICITY = 28
FR_GENERATOR = 7  # multiplicative generator of Fr^*, as in halo2curves


def to_limbs(x: int) -> tuple:
    """Little-endian 64-bit limbs of a 256-bit integer as a tuple of np.uint64."""
    return tuple(np.uint64((x >> (64 * i)) & 0xFFFFFFFFFFFFFFFF) for i in range(4))


def from_limbs(limbs) -> int:
    return sum(int(v) << (64 * i) for i, v in enumerate(limbs))


class MontgomeryConstants:
    """R = 2^256 mod p, R^2 mod p and -p^-1 mod 2^64 for a 4-limb modulus."""

    def __init__(self, p: int):
        self.p = p
        self.r = (1 << 256) % p
        self.r2 = (self.r * self.r) % p
        self.r_inv = pow(self.r, -1, p)
        self.minv = (-pow(p, -1, 1 << 64)) % (1 << 64)
        self.m_limbs = to_limbs(p)
        self.one_limbs = to_limbs(self.r)
        self.r2_limbs = to_limbs(self.r2)
        self.minv_u64 = np.uint64(self.minv)


FR = MontgomeryConstants(FR_MODULUS)
FQ = MontgomeryConstants(FQ_MODULUS)
