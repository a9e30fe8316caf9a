"""The running-product kernels (``halo2py.poly.grand_product``) against Python ints, the IFMA and
scalar paths limb for limb."""

import numpy as np
import pytest

from halo2py.arith import ifma
from halo2py.arith.constants import FR_MODULUS as P
from halo2py.arith.field import Fr
from halo2py.poly.grand_product import mul_linear_factor, prefix_product
from halo2py.randomness import seeded_rng

PATHS = [False] + ([True] if ifma.cpu_has_ifma() else [])


@pytest.mark.parametrize("use_ifma", PATHS)
@pytest.mark.parametrize("n", [1, 7, 8, 13, 1000, 4096 + 5])
@pytest.mark.parametrize("zero_c", [False, True])
def test_mul_linear_factor_matches_python_ints(use_ifma, n, zero_c):
    """acc[i]·(v[i] + c·s[i] + γ) mod r for random rows (every row, the ragged tail past the
    last multiple of eight included), with c random or 0 (the lookups' factors skip c·s)."""
    rng = seeded_rng(n, "linear-factor")
    acc, values, scaled = (Fr.random(n, rng) for _ in range(3))
    c = 0 if zero_c else int(Fr.to_ints(Fr.random(1, rng))[0])
    gamma = int(Fr.to_ints(Fr.random(1, rng))[0])
    expect = [a * (v + c * s + gamma) % P
              for a, v, s in zip(Fr.to_ints(acc), Fr.to_ints(values), Fr.to_ints(scaled))]
    mul_linear_factor(acc, values, scaled, c, gamma, use_ifma=use_ifma)
    assert Fr.to_ints(acc) == expect


def test_both_paths_agree_limb_for_limb_and_shapes_are_checked():
    rng = seeded_rng(2, "linear-factor")
    acc, values, scaled = (Fr.random(1 << 12, rng) for _ in range(3))
    c, gamma = 5, P - 3
    results = []
    for use_ifma in PATHS:
        out = acc.copy()
        mul_linear_factor(out, values, scaled, c, gamma, use_ifma=use_ifma)
        results.append(out)
    assert all(np.array_equal(results[0], r) for r in results)
    with pytest.raises(ValueError, match="rows"):
        mul_linear_factor(acc, values[:-1], scaled, c, gamma)


def test_prefix_product_matches_python_ints():
    rng = seeded_rng(3, "prefix")
    ratios = Fr.random(50, rng)
    out = Fr.zeros(50)
    prefix_product(ratios, 7, 40, out)
    xs, acc, expect = Fr.to_ints(ratios), 7, []
    for i in range(40):
        expect.append(acc)
        acc = acc * xs[i] % P
    assert Fr.to_ints(out)[:40] == expect
