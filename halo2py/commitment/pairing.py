"""G2 points and the BN254 pairing check: py_ecc for G2 points, Numba for the pairing itself.

A verifier needs one multi-pairing per proof. ``multi_pairing_is_one`` hands the pairs to
``halo2py.curve.ate`` (Miller loops of all pairs, one final exponentiation: ~1 ms for two pairs
where py_ecc took ~0.5 s); py_ecc stays the representation of G2 points — parsing, the subgroup
check, negation — which happens a handful of times per params file, and the independent
reference the kernels are tested against. G1 inputs are py_ecc optimized points too;
``halo2py.curve`` converts from our affine arrays.

G2 lives over Fq2 = Fq[i]/(i² + 1); a coordinate is the pair (c0, c1) standing for c0 + c1·i,
which is the order halo2 writes them in.
"""

import numpy as np
from halo2py._pyecc import bn
from halo2py.arith.field import Fq
from halo2py.curve import ate
from halo2py.errors import InputError

FQ2, G2, b2, curve_order = bn.FQ2, bn.G2, bn.b2, bn.curve_order
is_inf, is_on_curve, multiply, normalize = bn.is_inf, bn.is_on_curve, bn.multiply, bn.normalize

G2_GENERATOR = G2


def g2_from_coords(x0: int, x1: int, y0: int, y1: int, what: str = "G2 point"):
    """A py_ecc G2 point from canonical coordinates; rejects points off the twist or the subgroup.

    (0, 0, 0, 0) is the identity, as halo2curves stores it.
    """
    if x0 == x1 == y0 == y1 == 0:
        return (FQ2.one(), FQ2.one(), FQ2.zero())
    point = (FQ2([x0, x1]), FQ2([y0, y1]), FQ2.one())
    if not is_on_curve(point, b2):
        raise InputError(f"{what} is not on the BN254 G2 curve")
    # G2 has a large cofactor: a point on the twist need not be in the order-r subgroup.
    if not is_inf(multiply(point, curve_order)):
        raise InputError(f"{what} is not in the order-r subgroup of G2")
    return point


def g2_to_coords(point) -> tuple:
    """(x.c0, x.c1, y.c0, y.c1) as canonical ints; the identity is (0, 0, 0, 0)."""
    if is_inf(point):
        return (0, 0, 0, 0)
    x, y = normalize(point)
    return (int(x.coeffs[0]), int(x.coeffs[1]), int(y.coeffs[0]), int(y.coeffs[1]))


def g2_eq(p, q) -> bool:
    return g2_to_coords(p) == g2_to_coords(q)


def to_rows(pairs) -> tuple:
    """(G1 rows, G2 rows) in the layout of ``halo2py.curve.ate``, dropping pairs with an identity
    on either side (they contribute 1)."""
    pairs = [(p1, q2) for p1, q2 in pairs if not (is_inf(p1) or is_inf(q2))]
    g1 = Fq.from_ints([int(c) for p1, _ in pairs for c in normalize(p1)]).reshape(-1, 8)
    g2 = Fq.from_ints([c for _, q2 in pairs for c in g2_to_coords(q2)]).reshape(-1, ate.G2_ROW)
    return g1, g2


def multi_pairing_is_one(pairs) -> bool:
    """Π e(P_i, Q_i) == 1 for [(P1 in G1, Q1 in G2), …]: Miller loops multiplied, one final
    exponentiation (the expensive half of a pairing is paid once, not once per pair).

    Pairs with an identity on either side contribute 1 and are skipped.
    """
    g1, g2 = to_rows(pairs)
    if not g1.shape[0]:
        return True
    out = np.empty((ate.FQ12_ROWS, 4), dtype=np.uint64)
    ate.pairing_product(g1, g2, out)
    return bool((out == ate.one_rows()).all())
