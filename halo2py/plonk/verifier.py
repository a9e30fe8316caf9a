"""``verify_proof``: read a halo2 transcript back, recompute the challenges, check the quotient
identity at x from the claimed evaluations, and check every opening with one multi-pairing.

The constraints checked at x are the very expressions the prover's quotient program was compiled
from (``ProtocolLayout.quotient_constraints``), evaluated over Python ints.
"""

from __future__ import annotations

import numpy as np

from halo2py.arith.constants import FR_MODULUS
from halo2py.arith.field import Fr
from halo2py.commitment import kzg
from halo2py.commitment.multiopen import VerifierQuery, verify_proof as multiopen_verify
from halo2py.errors import Halo2pyError
from halo2py.plonk.layout import (
    evaluations_after_random, evaluations_before_random, instance_evaluations, opening_queries,
)
from halo2py.plonk.transcripts import commits_instances, transcript_reader

R = FR_MODULUS


class VerificationError(Halo2pyError):
    """A well-formed proof file whose proof is not valid for this circuit and instances."""

    exit_code = 1


def lagrange_evals(domain, x: int, rows) -> dict:
    """l_i(x) = ω^i·(x^n − 1) / (n·(x − ω^i)) for each row i (x outside ⟨ω⟩)."""
    n = domain.n
    common = (pow(x, n, R) - 1) * pow(n, -1, R) % R
    out = {}
    for i in rows:
        wi = pow(domain.omega, i % n, R)
        denominator = (x - wi) % R
        if denominator == 0:
            raise VerificationError("challenge x fell on the evaluation domain")
        out[i] = wi * common * pow(denominator, -1, R) % R
    return out


def instance_evaluation(domain, values: list, point: int) -> int:
    """The instance polynomial (values on rows 0.., zeros after) at ``point``."""
    if not values:
        return 0
    ls = lagrange_evals(domain, point, range(len(values)))
    return sum(v * ls[i] for i, v in enumerate(values)) % R


def _check_instance_column(column, values: list, usable: int) -> None:
    """Public inputs must be canonical and fit in the usable rows (halo2's InstanceTooLarge).

    The instance polynomial is evaluated from the values, so without the bound a value past row n
    would alias row i − n (a claimed output cancelled by a compensating value), and values on
    blinding rows are claims no constraint covers; a non-canonical int would alias v mod r.
    """
    if len(values) > usable:
        raise VerificationError(f"instance column '{column.name}' has {len(values)} values, more than "
                                f"the {usable} usable rows")
    for row, value in enumerate(values):
        if not 0 <= value < R:
            raise VerificationError(f"instance column '{column.name}' row {row}: {value} is not a "
                                    "canonical field element")


def verify_proof(params, vk, instances: list, proof: bytes, multiopen: str = "shplonk", copies: int = 1) -> None:
    """Return if the proof is valid; raise VerificationError or TranscriptError (exit 1) if not.

    ``instances``: per instance column a list of values (one copy), or with ``copies`` > 1 one such
    list of columns per copy. The transcript is read as ``vk.dialect`` writes it.
    """
    layout, domain = vk.layout, vk.domain
    n, bf = domain.n, layout.blinding_factors
    usable = n - bf - 1
    per_copy = [instances] if copies == 1 else list(instances)
    if len(per_copy) != copies:
        raise VerificationError(f"expected instances for {copies} circuit copies, got {len(per_copy)}")
    for copy_instances in per_copy:
        if len(copy_instances) != len(layout.instance_columns):
            raise VerificationError(f"expected {len(layout.instance_columns)} instance column(s), "
                                    f"got {len(copy_instances)}")
        for column, values in zip(layout.instance_columns, copy_instances):
            _check_instance_column(column, values, usable)
    committed = commits_instances(vk.dialect, multiopen)
    tr = transcript_reader(vk.dialect, proof)
    tr.common_scalar(vk.transcript_repr)
    commitments = {}
    for c, copy_instances in enumerate(per_copy):
        for column, values in zip(layout.instance_columns, copy_instances):
            if committed:
                point = kzg.commit_lagrange(params, _instance_column(values, n))
                tr.common_point(point)
                commitments[layout.copy_column(column, c)] = point
            else:
                for v in values:
                    tr.common_scalar(v)

    circuit_challenges = [0] * len(layout.circuit_challenges)
    for phase in range(layout.phases):
        for c in range(copies):
            for column in layout.advice_of_phase(phase):
                commitments[layout.copy_column(column, c)] = tr.read_point()
        for challenge in layout.challenges_after(phase):
            circuit_challenges[challenge.index] = tr.squeeze_challenge()
    theta = tr.squeeze_challenge()
    for c in range(copies):
        for cols in layout.lookups:  # A′, S′ (classic) or m (log-derivative)
            commitments[layout.copy_column(cols.permuted_input, c)] = tr.read_point()
            if cols.permuted_table is not None:
                commitments[layout.copy_column(cols.permuted_table, c)] = tr.read_point()
    beta = tr.squeeze_challenge()
    gamma = tr.squeeze_challenge()
    for c in range(copies):
        for column in layout.permutation_products:
            commitments[layout.copy_column(column, c)] = tr.read_point()
    for c in range(copies):
        for cols in layout.lookups:
            commitments[layout.copy_column(cols.product, c)] = tr.read_point()
    for c in range(copies):
        for column in layout.shuffle_products:
            commitments[layout.copy_column(column, c)] = tr.read_point()
    random_commitment = tr.read_point()
    y = tr.squeeze_challenge()
    h_commitments = [tr.read_point() for _ in range(domain.quotient_poly_degree)]
    x = tr.squeeze_challenge()

    evals = {}
    if committed:
        evals.update({key: tr.read_scalar() for key in instance_evaluations(layout, copies)})
    evals.update({key: tr.read_scalar() for key in evaluations_before_random(layout, copies)})
    random_eval = tr.read_scalar()
    evals.update({key: tr.read_scalar() for key in evaluations_after_random(layout, copies)})

    for column, point in zip(layout.fixed_columns, vk.fixed_commitments):
        commitments[column] = point
    for column, point in zip(layout.sigmas, vk.permutation_commitments):
        commitments[column] = point

    xn = pow(x, n, R)
    ls = lagrange_evals(domain, x, [0] + list(range(usable, n)))
    l_blind = sum(ls[i] for i in range(usable + 1, n)) % R
    special = {layout.l0: ls[0], layout.l_last: ls[usable],
               layout.l_active: (1 - ls[usable] - l_blind) % R}
    if not committed:
        for c, copy_instances in enumerate(per_copy):
            for q in layout.instance_queries:
                evals[(layout.copy_column(q.column, c), q.rotation)] = instance_evaluation(
                    domain, copy_instances[q.column.index], domain.rotate_omega(x, q.rotation))

    def query(q) -> int:
        if q.column in special:
            return special[q.column]
        return evals[(q.column, q.rotation)]

    challenges = circuit_challenges + [theta, beta, gamma]
    numerator = 0
    for constraint in layout.copy_constraints(copies):
        value = constraint.evaluate_int(selector=_no_selector, query=query,
                                        challenge=lambda ch: challenges[ch.index], x=x)
        numerator = (numerator * y + value) % R
    if xn == 1:
        raise VerificationError("challenge x fell on the evaluation domain")
    expected_h = numerator * pow(xn - 1, -1, R) % R

    queries = [VerifierQuery(domain.rotate_omega(x, rotation), commitments[column], evals[(column, rotation)])
               for column, rotation in opening_queries(layout, copies, committed)]
    h_combination = [(pow(xn, i, R), point) for i, point in enumerate(h_commitments)]
    queries += [VerifierQuery(x, h_combination, expected_h), VerifierQuery(x, random_commitment, random_eval)]
    if not multiopen_verify(params, tr, queries, multiopen):
        raise VerificationError("the opening proof does not verify")
    tr.assert_exhausted()


def _instance_column(values: list, n: int):
    """An instance column in Lagrange form: the supplied values, zeros after."""
    column = np.zeros((n, 4), dtype=np.uint64)
    if values:
        column[:len(values)] = Fr.from_ints(values)
    return column


def _no_selector(selector):
    raise AssertionError("selectors are lowered to fixed columns before verification")
