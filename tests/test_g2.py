"""G2 membership in Numba against py_ecc: points of the subgroup pass, points on the twist outside
it and points off the twist are told apart."""

import numpy as np
from py_ecc import optimized_bn128 as bn

from halo2py.arith.constants import FQ
from halo2py.commitment.g2_encoding import fq2_sqrt as _fq2_sqrt
from halo2py.curve.g2 import membership
from halo2py.errors import InputError


def _rows(point) -> np.ndarray:
    x, y = bn.normalize(point)
    coords = [int(c) for c in (*x.coeffs, *y.coeffs)]
    return np.array([[(c * FQ.r % FQ.p) >> (64 * j) & (2**64 - 1) for j in range(4)] for c in coords],
                    dtype=np.uint64)


def _twist_point_outside_g2():
    """A point of E′(Fq2) with r·P ≠ O: x = 1 + t·u for the first t with x³ + b′ a square."""
    for t in range(1, 100):
        x = bn.FQ2([1, t])
        try:
            return (x, _fq2_sqrt(x ** 3 + bn.b2, "x"), bn.FQ2.one())
        except InputError:
            continue
    raise AssertionError("no twist point found")


def test_subgroup_points_pass():
    for s in (1, 2, 12345, bn.curve_order - 1):
        assert membership(_rows(bn.multiply(bn.G2, s))) == 0


def test_off_twist_and_outside_subgroup_are_told_apart():
    bad = _rows(bn.G2).copy()
    bad[0, 0] ^= np.uint64(1)
    assert membership(bad) == 1
    point = _twist_point_outside_g2()
    assert bn.is_on_curve(point, bn.b2) and not bn.is_inf(bn.multiply(point, bn.curve_order))
    assert membership(_rows(point)) == 2
