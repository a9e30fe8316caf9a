"""SHPLONK multi-opening (Boneh–Drake–Fisch–Gabizon), following halo2's ``ProverSHPLONK`` /
``VerifierSHPLONK`` transcript flow: challenges y, v, u and two points h, h′.

Polynomials queried at the same set of points S_i form a rotation set; each p_ij has the
low-degree r_ij interpolating its evaluations on S_i, and T is the union of all S_i.

- Prover: squeeze y, v. Write h = [Σ_i v^i·Σ_j y^j·(p_ij − r_ij)/Z_{S_i}]. Squeeze u. With
  z_i = Z_{T∖S_i}(u), L(X) = Σ_i v^i·z_i·Σ_j y^j·(p_ij(X) − r_ij(u)) − Z_T(u)·h(X) vanishes at
  u; write h′ = [L(X)/(X − u)] / z_0 (halo2 normalises by the first set's z_0).
- Verifier: squeeze y, v, read h, squeeze u, read h′, and check e(h′, s_g2) = e(R, g2) for
  R = Σ_i v^i·(z_i/z_0)·Σ_j y^j·(C_ij − r_ij(u)·G) − Z_{S_0}(u)·h + u·h′.
"""

import numpy as np

from halo2py.arith.constants import FR_MODULUS
from halo2py.arith.field import Fr
from halo2py.commitment import kzg
from halo2py.commitment.multiopen.query import commitment_terms, powers, rotation_sets
from halo2py.poly import ops

R = FR_MODULUS


def _add_constant(poly: np.ndarray, c: int) -> None:
    """poly[0] += c in place."""
    ops.add_scaled(poly[:1], Fr.from_ints([1]), c)


def create_proof(params, transcript, queries) -> None:
    n = params.n
    y = transcript.squeeze_challenge()
    sets, super_points = rotation_sets(queries)
    low_degree = [[ops.lagrange_interpolate(s.points, evals) for _, evals in s.members] for s in sets]
    v = transcript.squeeze_challenge()

    h_x = Fr.zeros(n)
    numerator = Fr.zeros(n)
    for s, rs, v_i in zip(sets, low_degree, powers(v, len(sets))):
        numerator[:] = 0
        for (poly, _), r, y_j in zip(s.members, rs, powers(y, len(s.members))):
            ops.add_scaled(numerator, poly, y_j)
            ops.add_scaled(numerator, Fr.from_ints(r), -y_j)
        for point in s.points:  # exact: every p_ij − r_ij vanishes on S_i
            ops.divide_by_linear(numerator, point, out=numerator)
        ops.add_scaled(h_x, numerator, v_i)
    del numerator
    transcript.write_point(kzg.commit(params, h_x))
    u = transcript.squeeze_challenge()

    l_x = Fr.zeros(n)
    constant = 0
    z_diffs = []
    for s, rs, v_i in zip(sets, low_degree, powers(v, len(sets))):
        z_i = ops.vanishing_eval([t for t in super_points if t not in set(s.points)], u)
        z_diffs.append(z_i)
        for (poly, _), r, y_j in zip(s.members, rs, powers(y, len(s.members))):
            coeff = v_i * z_i * y_j % R
            ops.add_scaled(l_x, poly, coeff)
            constant -= coeff * ops.eval_small(r, u)
    _add_constant(l_x, constant % R)
    ops.add_scaled(l_x, h_x, -ops.vanishing_eval(super_points, u))
    del h_x
    ops.divide_by_linear(l_x, u, out=l_x)  # L(u) = 0, so this is exact
    Fr.scale(l_x, pow(z_diffs[0], -1, R), out=l_x)
    transcript.write_point(kzg.commit(params, l_x))


def verify_proof(params, transcript, queries) -> bool:
    sets, super_points = rotation_sets(queries)
    y = transcript.squeeze_challenge()
    v = transcript.squeeze_challenge()
    h1 = transcript.read_point()
    u = transcript.squeeze_challenge()
    h2 = transcript.read_point()

    terms = []
    r_outer = 0
    z_0 = z_0_diff_inv = 0
    for i, (s, v_i) in enumerate(zip(sets, powers(v, len(sets)))):
        z_diff = ops.vanishing_eval([t for t in super_points if t not in set(s.points)], u)
        if i == 0:
            z_0 = ops.vanishing_eval(s.points, u)
            z_0_diff_inv = pow(z_diff, -1, R)
            z_diff = 1
        else:
            z_diff = z_diff * z_0_diff_inv % R
        for (commitment, evals), y_j in zip(s.members, powers(y, len(s.members))):
            r_eval = ops.eval_small(ops.lagrange_interpolate(s.points, evals), u)
            coeff = v_i * z_diff * y_j % R
            terms += [(coeff * c, p) for c, p in commitment_terms(commitment)]
            r_outer += coeff * r_eval
    terms += [(-r_outer, params.g[0]), (-z_0, h1), (u, h2)]
    return kzg.pairing_check(params, h2, kzg.linear_combination(terms))
