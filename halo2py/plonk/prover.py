"""``create_proof``: halo2's prover, one method per protocol round, with the quotient delegated
to a strategy.

The transcript order is halo2's (../shared/design/protocol.md): vk digest and instances; advice
commitments; θ; lookup A′, S′; β, γ; permutation products; lookup products; the vanishing
argument's random polynomial; y; the quotient pieces; x; evaluations; multiopen.

Memory: the prover *consumes* the synthesis — advice and instance columns are blinded and then
turned into coefficient form in place — so each witness column exists once, in one basis at a
time. Fixed columns and σ belong to the proving key and are only read.
"""

from __future__ import annotations

import numpy as np

from halo2py.arith.constants import FR_MODULUS
from halo2py.arith.field import Fr
from halo2py.commitment import kzg
from halo2py.commitment.multiopen import ProverQuery, create_proof as multiopen_proof
from halo2py.errors import InputError
from halo2py.middleware.witness import Witness
from halo2py.plonk import lookup, permutation, shuffle
from halo2py.plonk.layout import evaluations_after_random, evaluations_before_random, opening_queries
from halo2py.poly.ops import evaluate as poly_eval
from halo2py.timing import PhaseTimer
from halo2py.quotient.evaluate import evaluate as run_program
from halo2py.quotient.program import compile_program
from halo2py.quotient.strategy import QuotientTask, validate_result
from halo2py.randomness import os_rng
from halo2py.transcript import Blake2bWrite


class QuotientPieceAtInfinity(InputError):
    """A quotient piece that commits to the identity, which a halo2 transcript cannot hold (halo2
    fails the same way). It happens when every constraint has lower degree than the system's
    degree d — e.g. degree-2 gates with no copy constraint or lookup — so the top pieces of h
    vanish; blinded columns make any other cause negligible."""

    def __init__(self, index: int, count: int, degree: int):
        super().__init__(f"quotient piece {index} of {count} is zero, so its commitment would be the point "
                         f"at infinity, which a halo2 transcript cannot hold: no active constraint reaches "
                         f"the constraint system's degree {degree}; use a gate of degree {degree}, or add a "
                         "copy constraint or a lookup")


def create_proof(params, pk, witness: Witness, strategy, multiopen: str = "shplonk", rng=None,
                 timer: PhaseTimer | None = None, next_phase=None) -> bytes:
    """Prove the circuit of ``pk`` for ``witness`` (consuming its advice and instance columns);
    returns the transcript bytes.

    A multi-phase circuit's ``witness`` holds phase 0; ``next_phase(phase, challenges)`` returns
    the Witness of a later phase given the circuit challenges squeezed so far (index → value), as
    halo2 re-synthesises the circuit once per phase. Only that phase's advice columns are taken.
    """
    if pk.vk.layout.phases > 1 and next_phase is None:
        raise InputError("this circuit has several phases: create_proof needs next_phase to synthesise them")
    if pk.vk.layout.lookups and pk.vk.layout.lookup_kind != "classic":
        raise InputError("log-derivative lookups are not proved by halo2py yet (dialect "
                         f"{pk.vk.dialect.name!r}); use a dialect with classic lookups")
    return _Prover(params, pk, witness, rng or os_rng(), timer or PhaseTimer(), next_phase).run(strategy, multiopen)


class _Prover:
    def __init__(self, params, pk, witness: Witness, rng, timer: PhaseTimer, next_phase=None):
        self.next_phase = next_phase
        self.params, self.pk, self.rng, self.timer = params, pk, rng, timer
        self.layout, self.domain = pk.vk.layout, pk.vk.domain
        self.n, self.bf = self.domain.n, self.layout.blinding_factors
        self.usable = self.n - self.bf - 1
        self.witness = witness
        self.tr = Blake2bWrite()
        self.values: dict = {}  # column -> Lagrange form (until the quotient round)
        self.polys: dict = {}   # column -> coefficient form

    def random_values(self, count: int) -> np.ndarray:
        return Fr.random(count, self.rng)

    def commit(self, column, values: np.ndarray) -> None:
        self.values[column] = values
        self.tr.write_point(kzg.commit_lagrange(self.params, values))

    def blind_and_commit(self, column, values: np.ndarray) -> None:
        """Rows usable .. n − 1 (bf + 1 of them) become random, then commit."""
        values[self.usable:] = self.random_values(self.n - self.usable)
        self.commit(column, values)

    def run(self, strategy, multiopen: str) -> bytes:
        t, tr = self.timer, self.tr
        with t.phase("instances"):
            self.absorb_instances()
        with t.phase("advice commit"):
            self.commit_advice()
            theta = tr.squeeze_challenge()
        with t.phase("lookups"):
            compressed = [self.commit_permuted(i, theta) for i in range(len(self.layout.lookups))]
            beta, gamma = tr.squeeze_challenge(), tr.squeeze_challenge()
        with t.phase("permutation"):
            self.commit_permutation_products(beta, gamma)
        with t.phase("lookup products"):
            self.commit_lookup_products(compressed, beta, gamma)
            del compressed
            self.commit_shuffle_products(theta, gamma)
        with t.phase("quotient"):
            random_poly = self.random_values(self.n)
            tr.write_point(kzg.commit(self.params, random_poly))
            y = tr.squeeze_challenge()
            pieces = self.quotient(strategy, self.circuit_challenges + [theta, beta, gamma], y)
            x = tr.squeeze_challenge()
        with t.phase("evaluations"):
            self.write_evaluations(x, random_poly)
        with t.phase("multiopen"):
            self.open(x, pieces, random_poly, multiopen)
        return tr.finalize()

    # --- rounds ----------------------------------------------------------------------------
    def absorb_instances(self) -> None:
        self.tr.common_scalar(self.pk.vk.transcript_repr)
        for column_values in self.witness.instance_values:
            for v in column_values:
                self.tr.common_scalar(v)
        self.values.update(zip(self.layout.instance_columns, self.witness.instance))
        self.values.update(zip(self.layout.fixed_columns, self.pk.fixed_values))

    def commit_advice(self) -> None:
        """Phase by phase: that phase's advice columns, then the circuit challenges usable after it."""
        layout = self.layout
        self.circuit_challenges = [0] * len(layout.circuit_challenges)
        witness = self.witness
        for phase in range(layout.phases):
            if phase > 0:
                known = {c.index: self.circuit_challenges[c.index] for c in layout.circuit_challenges
                         if c.phase < phase}
                witness = self.next_phase(phase, known)
            for column in layout.advice_of_phase(phase):
                self.blind_and_commit(column, witness.advice[column.index])
            for challenge in layout.challenges_after(phase):
                self.circuit_challenges[challenge.index] = self.tr.squeeze_challenge()

    def commit_shuffle_products(self, theta: int, gamma: int) -> None:
        challenges = self.circuit_challenges + [theta, 0, 0]
        for z_column, inputs, shuffles in zip(self.layout.shuffle_products, self.layout.shuffle_inputs,
                                              self.layout.shuffle_tables):
            a, s = self.rows_of(inputs, challenges), self.rows_of(shuffles, challenges)
            self.commit(z_column, shuffle.grand_product(a, s, gamma, self.n, self.bf, self.random_values))

    def commit_permuted(self, i: int, theta: int):
        """θ-compress lookup i's input and table over all rows, commit A′ and S′; return (A, S)."""
        cols, lk = self.layout.lookups[i], self.layout.cs.lookups[i]
        a = self.rows_of(self.layout.lookup_inputs[i], self.circuit_challenges + [theta, 0, 0])
        s = self.rows_of(self.layout.lookup_tables[i], self.circuit_challenges + [theta, 0, 0])
        a_perm, s_perm = lookup.permute_expression_pair(a[:self.usable], s[:self.usable], lk.name)
        for column, permuted in ((cols.permuted_input, a_perm), (cols.permuted_table, s_perm)):
            full = np.empty((self.n, 4), dtype=np.uint64)
            full[:self.usable] = permuted
            self.blind_and_commit(column, full)
        return a, s

    def commit_permutation_products(self, beta: int, gamma: int) -> None:
        sets = [[self.values[c] for c in chunk] for chunk in self.layout.permutation_sets]
        products = permutation.grand_products(sets, self.pk.sigma_values, self.layout.chunk_len, beta, gamma,
                                               self.domain.omega, self.n, self.bf, self.random_values)
        for column, z in zip(self.layout.permutation_products, products):
            self.commit(column, z)

    def commit_lookup_products(self, compressed: list, beta: int, gamma: int) -> None:
        for cols, (a, s) in zip(self.layout.lookups, compressed):
            z = lookup.grand_product(a, s, self.values[cols.permuted_input], self.values[cols.permuted_table],
                                      beta, gamma, self.n, self.bf, self.random_values)
            self.commit(cols.product, z)

    def quotient(self, strategy, challenges: list, y: int) -> list:
        """Everything the constraints query, in coefficient form, handed to the strategy."""
        layout, pk = self.layout, self.pk
        for column in layout.fixed_columns:
            del self.values[column]
        for column, values in self.values.items():  # advice, instance, products, A′, S′
            self.polys[column] = self.domain.lagrange_to_coeff(values, out=values)
        self.values.clear()
        self.polys.update(zip(layout.fixed_columns, pk.fixed_polys))
        self.polys.update(zip(layout.sigmas, pk.sigma_polys))
        self.polys.update({layout.l0: pk.l0, layout.l_last: pk.l_last, layout.l_active: pk.l_active})
        task = QuotientTask(self.domain, pk.program, [self.polys[c] for c in pk.quotient_columns], challenges, y)
        pieces = validate_result(strategy.compute(task), task, getattr(strategy, "name", type(strategy).__name__))
        for i, piece in enumerate(pieces):
            commitment = kzg.commit(self.params, piece)
            if not commitment.any():
                raise QuotientPieceAtInfinity(i, len(pieces), self.layout.degree)
            self.tr.write_point(commitment)
        return pieces

    def write_evaluations(self, x: int, random_poly) -> None:
        for column, rotation in evaluations_before_random(self.layout):
            self.tr.write_scalar(self.evaluate(column, x, rotation))
        self.tr.write_scalar(poly_eval(random_poly, x))
        for column, rotation in evaluations_after_random(self.layout):
            self.tr.write_scalar(self.evaluate(column, x, rotation))

    def open(self, x: int, pieces: list, random_poly, scheme: str) -> None:
        xn = pow(x, self.n, FR_MODULUS)
        h_poly = np.array(pieces[-1])
        for piece in reversed(pieces[:-1]):  # h = Σ x^{n·i}·h_i, by Horner in x^n
            Fr.add(Fr.scale(h_poly, xn, out=h_poly), piece, out=h_poly)
        del pieces[:]
        queries = [ProverQuery(self.domain.rotate_omega(x, rotation), self.polys[column])
                   for column, rotation in opening_queries(self.layout)]
        queries += [ProverQuery(x, h_poly), ProverQuery(x, random_poly)]
        multiopen_proof(self.params, self.tr, queries, scheme)

    # --- helpers ---------------------------------------------------------------------------
    def evaluate(self, column, x: int, rotation: int) -> int:
        return poly_eval(self.polys[column], self.domain.rotate_omega(x, rotation))

    def rows_of(self, expression, challenges: list) -> np.ndarray:
        """One expression over all n rows of the Lagrange-form columns (rotations wrap mod n)."""
        columns = sorted({q.column for q in expression.queries()}, key=lambda c: (c.kind, c.index))
        slot = {c: i for i, c in enumerate(columns)}
        program = compile_program([expression], lambda c: slot[c])
        stack = np.empty((max(1, len(columns)), self.n, 4), dtype=np.uint64)
        for i, c in enumerate(columns):
            stack[i] = self.values[c]
        out = np.empty((self.n, 4), dtype=np.uint64)
        return run_program(program, stack, 1, 0, self.n, 0, 1, challenges, 0, out)
