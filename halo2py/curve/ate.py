"""The optimal-ate pairing product as one array kernel: Miller loops of all pairs, one final
exponentiation (the expensive, per-product half is paid once, not once per pair).

Inputs are row arrays in Fq Montgomery limbs: G1 (n, 8) affine x ‖ y as in ``halo2py.curve.points``
and G2 (n, 16) affine x.c0 ‖ x.c1 ‖ y.c0 ‖ y.c1 on the twist; no identities (the caller drops such
pairs), and every Q in the order-r subgroup (``commitment.pairing`` checks it when a point is
parsed): then no Miller-loop step meets T = ±Q, the one case the G2 step formulas exclude.
The output is the Fq12 value as (12, 4) rows in tower order (see ``tower``): g0.c0, g0.c1,
g0.c2, g1.c0, g1.c1, g1.c2, each an Fq2 as c0 then c1.
"""

import numpy as np
from numba import njit

from halo2py.curve.final_exp import final_exponentiation
from halo2py.curve.miller import multi_miller_loop
from halo2py.curve.tower import FQ12_ONE

G2_ROW = 16
FQ12_ROWS = 12


@njit(cache=True, nogil=True)
def pairing_product(g1, g2, out):
    """out ← Π_j e(P_j, Q_j) ∈ Fq12 (reduced, so it is 1 exactly when the product is trivial)."""
    f = final_exponentiation(multi_miller_loop(g1, g2))
    for i in range(2):
        for j in range(3):
            for k in range(2):
                for limb in range(4):
                    out[6 * i + 2 * j + k, limb] = f[i][j][k][limb]


def one_rows() -> np.ndarray:
    """1 ∈ Fq12 in the output layout, to compare ``pairing_product`` results against."""
    return np.array([c for e in FQ12_ONE for c2 in e for c in c2], dtype=np.uint64)
