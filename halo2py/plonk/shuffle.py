"""The shuffle argument (PSE halo2's shuffle API): one grand product per shuffle proving that the
θ-compressed input rows are a permutation of the θ-compressed shuffle rows on the usable rows.

Z(ω^0) = 1, Z(ω^{i+1}) = Z(ω^i)·(A_i + γ)/(S_i + γ); it returns to 1 at l_last exactly when the
two multisets agree; the blinding rows are random.
"""

from __future__ import annotations

import numpy as np

from halo2py.arith.field import Fr
from halo2py.poly.grand_product import mul_linear_factor, prefix_product


def grand_product(compressed_input, compressed_shuffle, gamma: int, n: int, blinding_factors: int,
                  random_values) -> np.ndarray:
    ratios = Fr.ones(n)
    mul_linear_factor(ratios, compressed_shuffle, compressed_shuffle, 0, gamma)
    ratios = Fr.batch_inverse(ratios, out=ratios)
    mul_linear_factor(ratios, compressed_input, compressed_input, 0, gamma)
    z = np.empty((n, 4), dtype=np.uint64)
    prefix_product(ratios, 1, n - blinding_factors, z)
    z[n - blinding_factors:] = random_values(blinding_factors)
    return z
