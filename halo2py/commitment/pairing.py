"""G2 points and the BN254 pairing check, through py_ecc (pure Python; verification only).

The prover never pairs; a verifier needs one multi-pairing per proof, so a ~0.3 s Python pairing
is acceptable and an independent implementation is worth more here than speed. G1 inputs are
py_ecc optimized (Jacobian) points; ``halo2py.curve`` converts from our affine arrays.

G2 lives over Fq2 = Fq[i]/(i² + 1); a coordinate is the pair (c0, c1) standing for c0 + c1·i,
which is the order halo2 writes them in.
"""

from py_ecc.optimized_bn128 import (
    FQ2,
    FQ12,
    G2,
    b2,
    curve_order,
    is_inf,
    is_on_curve,
    multiply,
    normalize,
)
from py_ecc.optimized_bn128 import optimized_pairing as _op

from halo2py.errors import InputError

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


def multi_pairing_is_one(pairs) -> bool:
    """Π e(P_i, Q_i) == 1 for [(P1 in G1, Q1 in G2), …]: Miller loops multiplied, one final
    exponentiation (the expensive half of a pairing is paid once, not once per pair).

    Pairs with an identity on either side contribute 1 and are skipped.
    """
    acc = FQ12.one()
    for p1, q2 in pairs:
        if is_inf(p1) or is_inf(q2):
            continue
        acc = acc * _op.miller_loop(_op.twist(q2), _op.cast_point_to_fq12(p1), final_exponentiate=False)
    return _op.final_exponentiate(acc) == FQ12.one()
