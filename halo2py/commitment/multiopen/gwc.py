"""GWC multi-opening (Gabizon–Williamson–Ciobotaru, the "KZG batch" of the PLONK paper),
following halo2's ``ProverGWC`` / ``VerifierGWC`` transcript flow.

Queries are grouped by point, in order of first appearance. Prover: squeeze v; for each point z
with polynomials p_0, p_1, … write W_z = [Σ_j v^j·p_j(X) / (X − z)] (the quotient, remainder
dropped). Verifier: squeeze v, read one W per point, squeeze u, and check

    e(Σ_i u^i·W_i, s_g2) = e(Σ_i u^i·(z_i·W_i + Σ_j v^j·C_ij) − (Σ_i u^i Σ_j v^j·e_ij)·G, g2).
"""

from halo2py.arith.constants import FR_MODULUS
from halo2py.commitment import kzg
from halo2py.commitment.multiopen.query import commitment_terms, group_by_point, powers
from halo2py.poly import ops


def create_proof(params, transcript, queries) -> None:
    v = transcript.squeeze_challenge()
    for z, group in group_by_point(queries):
        batch = ops.linear_combination([q.poly for q in group], powers(v, len(group)))
        transcript.write_point(kzg.commit(params, ops.divide_by_linear(batch, z, out=batch)))


def verify_proof(params, transcript, queries) -> bool:
    v = transcript.squeeze_challenge()
    groups = group_by_point(queries)
    witnesses = [transcript.read_point() for _ in groups]
    u = transcript.squeeze_challenge()
    left, right = [], []
    eval_multi = 0
    for (z, group), w, u_i in zip(groups, witnesses, powers(u, len(groups))):
        for q, v_j in zip(group, powers(v, len(group))):
            coeff = u_i * v_j % FR_MODULUS
            right += [(coeff * s, p) for s, p in commitment_terms(q.commitment)]
            eval_multi += coeff * q.eval
        left.append((u_i, w))
        right.append((u_i * z, w))
    right.append((-eval_multi, params.g[0]))
    return kzg.pairing_check(params, kzg.linear_combination(left), kzg.linear_combination(right))
