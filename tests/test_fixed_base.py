"""Fixed-base multiples against py_ecc, including scalars whose signed digits carry."""

import random

import numpy as np
import pytest
from py_ecc import optimized_bn128 as bn

from halo2py.arith.constants import FR_MODULUS as R
from halo2py.arith.field import Fr
from halo2py.commitment import fixed_base
from halo2py.curve.points import G1

BASE_SCALAR = 98765


def expected(scalars):
    base = bn.multiply(bn.G1, BASE_SCALAR)
    return [G1.from_py_ecc(bn.multiply(base, s)) if s % R else np.zeros(8, dtype=np.uint64) for s in scalars]


def edge_scalars(c):
    half = 1 << (c - 1)
    return [0, 1, 2, R - 1, R - 2, 1 << 253, half, half + 1, (1 << c) - 1, (1 << (2 * c)) - 1,
            sum(half << (c * w) for w in range(254 // c)) % R]


@pytest.mark.parametrize("count", [1, 40, 5000])
def test_multiples_match_py_ecc(count):
    c = fixed_base.window_bits(count)
    rng = random.Random(count)
    scalars = (edge_scalars(c) + [rng.randrange(R) for _ in range(count)])[:max(count, 11)]
    base = G1.from_py_ecc(bn.multiply(bn.G1, BASE_SCALAR))
    out = fixed_base.multiples(base, Fr.from_ints(scalars))
    # py_ecc is slow: check the edge cases and a sample of the rest
    idx = list(range(11)) + rng.sample(range(11, len(scalars)), min(20, len(scalars) - 11))
    ref = expected([scalars[i] for i in idx])
    for i, r in zip(idx, ref):
        assert np.array_equal(out[i], r), (i, scalars[i])


def test_window_bits_range():
    assert fixed_base.window_bits(1) == 4
    assert fixed_base.window_bits(1 << 17) == 14
    assert fixed_base.window_bits(1 << 30) == 16
