"""``create_proof``: halo2's prover, round by round, with the quotient delegated to a strategy.

The transcript order is halo2's (see docs and ../shared/design/protocol.md): vk digest and
instances; advice commitments; θ; lookup A′, S′; β, γ; permutation products; lookup products;
the vanishing argument's random polynomial; y; the quotient pieces; x; evaluations; multiopen.
"""

from __future__ import annotations

import numpy as np

from halo2py.arith.constants import FR_MODULUS
from halo2py.arith.field import Fr
from halo2py.commitment import kzg
from halo2py.commitment.multiopen import ProverQuery, create_proof as multiopen_proof
from halo2py.plonk import lookup, permutation
from halo2py.plonk.layout import evaluations_after_random, evaluations_before_random, opening_queries
from halo2py.poly.ops import evaluate as poly_eval
from halo2py.profiling.phases import PhaseTimer
from halo2py.quotient.evaluate import evaluate as run_program
from halo2py.quotient.program import compile_program
from halo2py.quotient.strategy import QuotientTask
from halo2py.randomness import os_rng
from halo2py.transcript import Blake2bWrite


class _Witness:
    """The prover's polynomials, by column, in Lagrange (``values``) and coefficient form."""

    def __init__(self):
        self.values: dict = {}
        self.polys: dict = {}


def _lagrange_stack(columns: list, values: dict) -> np.ndarray:
    stack = np.empty((len(columns),) + next(iter(values.values())).shape, dtype=np.uint64)
    for i, c in enumerate(columns):
        stack[i] = values[c]
    return stack


def _evaluate_rows(expression, values: dict, n: int, challenges: list) -> np.ndarray:
    """One expression over all n rows of Lagrange-form columns (rotations wrap mod n)."""
    columns = sorted({q.column for q in expression.queries()}, key=lambda c: (c.kind, c.index))
    slot = {c: i for i, c in enumerate(columns)}
    program = compile_program([expression], lambda c: slot[c])
    stack = _lagrange_stack(columns, values) if columns else np.zeros((1, n, 4), dtype=np.uint64)
    out = np.empty((n, 4), dtype=np.uint64)
    return run_program(program, stack, 1, 0, n, 0, 1, challenges, 0, out)


def create_proof(params, pk, synthesis, strategy, multiopen: str = "shplonk", rng=None,
                 timer: PhaseTimer | None = None) -> bytes:
    """Prove the synthesised circuit; returns the transcript bytes."""
    rng = rng or os_rng()
    timer = timer or PhaseTimer()
    vk = pk.vk
    layout, domain = vk.layout, vk.domain
    n, bf = domain.n, layout.blinding_factors
    usable = n - bf - 1
    assignment = synthesis.assignment
    tr = Blake2bWrite()
    w = _Witness()

    def random_values(count: int) -> np.ndarray:
        return Fr.random(count, rng)

    def commit_values(column, values: np.ndarray) -> None:
        w.values[column] = values
        tr.write_point(kzg.commit_lagrange(params, values))

    with timer.phase("witness"):
        tr.common_scalar(vk.transcript_repr)
        for column_values in assignment.instance_values:
            for v in column_values:
                tr.common_scalar(v)
        for column, values in zip(layout.instance_columns, assignment.instance):
            w.values[column] = values
        for column, values in zip(layout.fixed_columns, pk.fixed_values):
            w.values[column] = values

    with timer.phase("advice commit"):
        for column, values in zip(layout.advice_columns, assignment.advice):
            blinded = np.array(values)
            blinded[usable:] = random_values(n - usable)
            commit_values(column, blinded)
        theta = tr.squeeze_challenge()

    with timer.phase("lookups"):
        compressed = []
        for cols, inp, tab, lk in zip(layout.lookups, layout.lookup_inputs, layout.lookup_tables, layout.cs.lookups):
            a = _evaluate_rows(inp, w.values, n, [theta, 0, 0])
            s = _evaluate_rows(tab, w.values, n, [theta, 0, 0])
            a_perm, s_perm = lookup.permute_expression_pair(a[:usable], s[:usable], lk.name)
            for column, permuted in ((cols.permuted_input, a_perm), (cols.permuted_table, s_perm)):
                full = np.empty((n, 4), dtype=np.uint64)
                full[:usable] = permuted
                full[usable:] = random_values(n - usable)
                commit_values(column, full)
            compressed.append((a, s))
        beta = tr.squeeze_challenge()
        gamma = tr.squeeze_challenge()

    with timer.phase("permutation"):
        sets = [[w.values[c] for c in chunk] for chunk in layout.permutation_sets]
        products = permutation.commit_products(sets, pk.sigma_values, layout.chunk_len, beta, gamma,
                                               domain.omega, n, bf, random_values)
        for column, z in zip(layout.permutation_products, products):
            commit_values(column, z)
        del sets, products

    with timer.phase("lookups"):
        for cols, (a, s) in zip(layout.lookups, compressed):
            z = lookup.commit_product(a, s, w.values[cols.permuted_input], w.values[cols.permuted_table],
                                      beta, gamma, n, bf, random_values)
            commit_values(cols.product, z)
        del compressed

    with timer.phase("quotient"):
        random_poly = random_values(n)
        tr.write_point(kzg.commit(params, random_poly))
        y = tr.squeeze_challenge()
        for column, poly in zip(layout.fixed_columns, pk.fixed_polys):
            w.polys[column] = poly
            del w.values[column]
        for column in list(w.values):  # advice, instance, products, permuted columns
            w.polys[column] = domain.lagrange_to_coeff(w.values.pop(column))
        for column, poly in zip(layout.sigmas, pk.sigma_polys):
            w.polys[column] = poly
        w.polys[layout.l0], w.polys[layout.l_last], w.polys[layout.l_active] = pk.l0, pk.l_last, pk.l_active
        task = QuotientTask(domain, pk.program, [w.polys[c] for c in pk.quotient_columns],
                            [theta, beta, gamma], y)
        h_pieces = strategy.compute(task).pieces
        for piece in h_pieces:
            tr.write_point(kzg.commit(params, piece))
        x = tr.squeeze_challenge()

    with timer.phase("evaluations"):
        def evaluate_at(column, rotation: int) -> int:
            return poly_eval(w.polys[column], domain.rotate_omega(x, rotation))

        for column, rotation in evaluations_before_random(layout):
            tr.write_scalar(evaluate_at(column, rotation))
        tr.write_scalar(poly_eval(random_poly, x))
        for column, rotation in evaluations_after_random(layout):
            tr.write_scalar(evaluate_at(column, rotation))

    with timer.phase("multiopen"):
        xn = pow(x, n, FR_MODULUS)
        h_poly = np.array(h_pieces[-1])
        for piece in reversed(h_pieces[:-1]):  # h = Σ x^{n·i}·h_i, by Horner in x^n
            Fr.add(Fr.scale(h_poly, xn, out=h_poly), piece, out=h_poly)
        queries = [ProverQuery(domain.rotate_omega(x, rotation), w.polys[column])
                   for column, rotation in opening_queries(layout)]
        queries += [ProverQuery(x, h_poly), ProverQuery(x, random_poly)]
        multiopen_proof(params, tr, queries, multiopen)
    return tr.finalize()
