"""The G1 inverse FFT: [L_j(τ)]G from [τ^i]G, against the Lagrange formula and py_ecc."""

import random

import numpy as np
import pytest
from py_ecc import optimized_bn128 as bn

from halo2py.arith.constants import FR_MODULUS as R
from halo2py.commitment.lagrange_basis import lagrange_from_monomial
from halo2py.curve.points import G1


@pytest.mark.parametrize("k", [0, 1, 3])
def test_lagrange_from_monomial(k):
    n = 1 << k
    tau = random.Random(k).randrange(R)
    w = pow(pow(7, (R - 1) >> 28, R), 1 << (28 - k), R)
    g = np.stack([G1.from_py_ecc(bn.multiply(bn.G1, pow(tau, i, R))) for i in range(n)])
    out = lagrange_from_monomial(g)
    for j in range(n):
        wj = pow(w, j, R)
        lj = wj * (pow(tau, n, R) - 1) * pow(n * (tau - wj), -1, R) % R
        assert np.array_equal(out[j], G1.from_py_ecc(bn.multiply(bn.G1, lj))), j


def test_rejects_non_power_of_two():
    with pytest.raises(ValueError):
        lagrange_from_monomial(np.zeros((3, 8), dtype=np.uint64))
