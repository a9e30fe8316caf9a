"""``create_proof``: halo2's prover, one method per protocol round, with the quotient delegated
to a strategy.

The transcript order is halo2's (README §5.7 of the halo2 vectors): transcript_repr and the
instances; per phase, every copy's advice commitments, then that phase's circuit challenges; θ;
every copy's lookup A′, S′; β, γ; every copy's permutation products, then lookup products, then
shuffle products; the vanishing argument's random polynomial; y; the quotient pieces; x;
evaluations; multiopen. Several circuit copies share one proof (halo2's
``create_proof(&[c1, c2], …)``): their constraints are folded into one quotient.

Randomness is drawn in halo2's order — the blinds KZG ignores included — from a scalar source
(``halo2py.randomness``), so with halo2's test RNG the bytes are Rust halo2's. The dialect decides
the blinding: zero-knowledge rows (PSE) or Scroll's rule (no advice blinding, last row 1; the
vanishing argument's random polynomial the constant 1).

Memory: the prover *consumes* the witness — advice and instance columns are blinded and then
turned into coefficient form in place — so each witness column exists once, in one basis at a
time. Fixed columns and σ belong to the proving key and are only read. Every column it keeps
goes through a column store (``halo2py.plonk.columns``): the heap by default, memory-mapped files
with ``--spill``.
"""

from __future__ import annotations

import numpy as np

from halo2py.arith.constants import FR_MODULUS
from halo2py.arith.field import Fr
from halo2py.arith.ntt import clear_twiddle_cache
from halo2py.commitment import kzg
from halo2py.commitment.multiopen import ProverQuery, create_proof as multiopen_proof
from halo2py.errors import InputError
from halo2py.execution import COEFF, LAGRANGE, InProcessExecutor
from halo2py.plonk import lookup, permutation, shuffle
from halo2py.plonk.columns import HEAP
from halo2py.plonk.layout import (
    evaluations_after_random, evaluations_before_random, instance_evaluations, opening_queries,
)
from halo2py.plonk.transcripts import commits_instances, transcript_writer
from halo2py.poly.ops import evaluate as poly_eval
from halo2py.quotient.evaluate import evaluate as run_program
from halo2py.quotient.program import compile_program
from halo2py.quotient.strategy import QuotientShape, QuotientTask, validate_result
from halo2py.randomness import UniformScalars
from halo2py.timing import PhaseTimer


class QuotientPieceAtInfinity(InputError):
    """A quotient piece that commits to the identity, which a PSE halo2 transcript cannot hold
    (halo2 fails the same way; Scroll's dialects absorb it as (0, 5) and write it). It happens
    when every constraint has lower degree than the system's degree d — e.g. degree-2 gates with
    no copy constraint or lookup — so the top pieces of h vanish."""

    def __init__(self, index: int, count: int, degree: int):
        super().__init__(f"quotient piece {index} of {count} is zero, so its commitment would be the point "
                         f"at infinity, which a halo2 transcript cannot hold: no active constraint reaches "
                         f"the constraint system's degree {degree}; use a gate of degree {degree}, or add a "
                         "copy constraint or a lookup")


def create_proof(params, pk, witnesses, strategy, multiopen: str = "shplonk", scalars=None,
                 timer: PhaseTimer | None = None, next_phase=None, executor=None, own_key: bool = False,
                 columns=HEAP, own_params: bool = False) -> bytes:
    """Prove the circuit of ``pk`` for one Witness per circuit copy (consuming their advice and
    instance columns); returns the transcript bytes.

    A multi-phase circuit's witnesses hold phase 0; ``next_phase(copy, phase, challenges)`` returns
    copy ``copy``'s Witness of a later phase given the circuit challenges squeezed so far
    (index → value), as halo2 re-synthesises the circuits once per phase. Only that phase's
    advice columns are taken. ``scalars``: a scalar source (default: the OS CSPRNG). ``executor``
    (``halo2py.execution``, default in process) runs each round's commitments and the quotient.
    ``own_key``: the key was made for this proof only, so the prover turns it to coefficient
    form once the rounds that read its values are done (``ProvingKey.to_coefficients``).
    ``columns``: the column store every kept column goes through (``halo2py.plonk.columns``).
    ``own_params``: the params were loaded for this proof only, so the prover drops their
    ``g_lagrange`` once the last Lagrange-basis commitment is written (``ParamsKZG.drop_lagrange``).
    """
    if not isinstance(witnesses, (list, tuple)):
        witnesses = [witnesses]
    if not witnesses:
        raise InputError("a proof needs at least one circuit copy")
    if pk.vk.layout.phases > 1 and next_phase is None:
        raise InputError("this circuit has several phases: create_proof needs next_phase to synthesise them")
    executor = executor or InProcessExecutor()
    prover = _Prover(params, pk, list(witnesses), scalars or UniformScalars(), timer or PhaseTimer(), next_phase,
                     multiopen, executor, own_key, columns, own_params)
    with executor.proof(params):
        return prover.run(strategy, multiopen)


class _Prover:
    def __init__(self, params, pk, witnesses: list, scalars, timer: PhaseTimer, next_phase, multiopen: str,
                 executor, own_key: bool = False, columns=HEAP, own_params: bool = False):
        self.params, self.pk, self.scalars, self.timer = params, pk, scalars, timer
        self.own_params = own_params
        self.executor = executor
        self.pending: list = []  # the round's started commitments (executor handles), in order
        self.own_key = own_key
        self.next_phase = next_phase
        self.layout, self.domain = pk.vk.layout, pk.vk.domain
        self.dialect = pk.vk.dialect
        self.n, self.bf = self.domain.n, self.layout.blinding_factors
        self.usable = self.n - self.bf - 1
        self.witnesses = witnesses
        self.copies = len(witnesses)
        self.commit_instances = commits_instances(self.dialect, multiopen)
        self.tr = transcript_writer(self.dialect)
        self.store = columns
        self.values: dict = {}  # column -> Lagrange form (until the quotient round)
        self.polys: dict = {}   # column -> coefficient form
        self.circuit_challenges = [0] * len(self.layout.circuit_challenges)
        self.strategy = None
        self._copies_program = None  # (program, columns) of several copies, compiled once

    def draw(self, count: int) -> np.ndarray:
        return self.scalars.scalars(count)

    def draw_unused(self, count: int = 1) -> None:
        """A blind halo2 draws for a commitment and KZG ignores: drawn so the stream stays halo2's."""
        self.scalars.scalars(count)

    def column(self, column, copy: int):
        return self.layout.copy_column(column, copy)

    def commit(self, column, values: np.ndarray) -> None:
        self.values[column] = values = self.store.keep(values)
        self.start_commits([values])

    def start_commits(self, columns: list) -> None:
        """Hand the executor Lagrange-form columns to commit (one MSM each), to be written by the
        round's ``flush``: an executor that runs them elsewhere starts now, while the round goes
        on. Each such column goes into the quotient in coefficient form, unchanged until then, so
        the executor is told it will be interpolated (a cluster does it where the column is)."""
        self.pending.append(self.executor.start_commits(self.params, [(LAGRANGE, v) for v in columns]))
        self.executor.prepare_coefficients(self.domain, columns)

    def flush(self) -> None:
        """Write the round's commitments in the order they were started; commitments draw no
        randomness, so the scalar stream is the one an eager commit would see."""
        for handle in self.pending:
            for point in self.executor.finish_commits(handle):
                self.tr.write_point(point)
        self.pending = []

    def run(self, strategy, multiopen: str) -> bytes:
        self.strategy = strategy
        t, tr = self.timer, self.tr
        with t.phase("instances"):
            self.absorb_instances()
        with t.phase("advice commit"):
            self.commit_advice()
            theta = tr.squeeze_challenge()
        with t.phase("lookups"):
            compressed = {(c, i): self.commit_permuted(c, i, theta)
                          for c in range(self.copies) for i in range(len(self.layout.lookups))}
            self.flush()
            beta, gamma = tr.squeeze_challenge(), tr.squeeze_challenge()
        with t.phase("permutation"):
            for c in range(self.copies):
                self.commit_permutation_products(c, beta, gamma)
            self.flush()
        with t.phase("lookup products"):
            for c in range(self.copies):
                self.commit_lookup_products(c, compressed, beta, gamma)
            del compressed
            for c in range(self.copies):
                self.commit_shuffle_products(c, theta, gamma)
            random_poly = self.vanishing_random_poly()
            self.flush()
        with t.phase("quotient"):
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
        """transcript_repr, then each copy's instance columns: their values (PSE, and SHPLONK in
        Scroll's dialects) or their commitments (GWC in Scroll's dialects)."""
        self.tr.common_scalar(self.pk.vk.transcript_repr)
        for c, witness in enumerate(self.witnesses):
            for column, values, instance in zip(self.layout.instance_columns, witness.instance_values,
                                                witness.instance):
                if self.commit_instances:
                    self.tr.common_point(kzg.commit_lagrange(self.params, instance))
                else:
                    for v in values:
                        self.tr.common_scalar(v)
                self.values[self.column(column, c)] = self.store.keep(instance)
        self.values.update(zip(self.layout.fixed_columns, self.pk.fixed_values))

    def commit_advice(self) -> None:
        """Phase by phase: every copy's advice columns of that phase, then the phase's challenges."""
        layout = self.layout
        for phase in range(layout.phases):
            columns = layout.advice_of_phase(phase)
            for c in range(self.copies):
                if phase == 0:
                    witness = self.witnesses[c]
                else:
                    known = {ch.index: self.circuit_challenges[ch.index] for ch in layout.circuit_challenges
                             if ch.phase < phase}
                    witness = self.next_phase(c, phase, known)
                for column in columns:
                    values = witness.advice[column.index]
                    if self.dialect.zero_knowledge:
                        values[self.usable:] = self.draw(self.n - self.usable)
                    else:  # Scroll: no advice blinding; halo2 sets the last row to 1
                        values[self.usable:] = 0
                        values[self.n - 1] = Fr.one_limbs
                    # the store's copy replaces the witness's: the heap column is freed
                    self.values[self.column(column, c)] = witness.advice[column.index] = self.store.keep(values)
                self.start_commits([self.values[self.column(column, c)] for column in columns])
                self.draw_unused(len(columns))
            if phase == 0:
                self.prepare_other_columns()
            self.flush()
            for challenge in layout.challenges_after(phase):
                self.circuit_challenges[challenge.index] = self.tr.squeeze_challenge()

    def prepare_other_columns(self) -> None:
        """The Lagrange-form columns the quotient interpolates besides the committed ones — the
        instance columns and, for a key made for this proof, its fixed and σ columns — and the
        key's coefficient forms it reads (fixed and σ of a kept key, l0, l_last, l_active),
        announced to the executor once the first advice commitments are under way (they stay
        unchanged: the rounds only read them), and the quotient's shape, so the executor can ready
        the strategy's part buffers in the rounds' gaps."""
        columns = [self.values[self.column(column, c)] for c in range(self.copies)
                   for column in self.layout.instance_columns]
        pk = self.pk
        if self.own_key and pk.fixed_polys is None:
            columns += list(pk.fixed_values) + list(pk.sigma_values)
        self.executor.prepare_coefficients(self.domain, columns)
        if pk.fixed_polys is not None:  # a kept key (or one keygen interpolated): its polynomials as they are
            self.executor.prepare_polynomials(list(pk.fixed_polys) + list(pk.sigma_polys))
        self.executor.prepare_polynomials(pk.quotient_only())
        program, queried = self.quotient_program()
        self.executor.prepare_quotient(self.strategy, QuotientShape.of(self.domain, program, len(queried)))

    def quotient_program(self):
        """The constraint program of every copy and the columns its slots read (the key's own for
        one copy; compiled once for several)."""
        if self.copies == 1:
            return self.pk.program, self.pk.quotient_columns
        if self._copies_program is None:
            columns = self.layout.copy_quotient_columns(self.copies)
            slot = {col: i for i, col in enumerate(columns)}
            program = compile_program(self.layout.copy_constraints(self.copies), lambda col: slot[col])
            self._copies_program = program, columns
        return self._copies_program

    def commit_permuted(self, c: int, i: int, theta: int):
        """θ-compress copy c's lookup i input and table over all rows, commit A′ and S′ (rows
        usable … n − 1 random, then the two unused blinds) — or, log-derivative, the multiplicities
        m; return (A, S)."""
        cols, lk = self.layout.lookups[i], self.layout.cs.lookups[i]
        challenges = self.circuit_challenges + [theta, 0, 0]
        a = self.rows_of(self.layout.at_copy(self.layout.lookup_inputs[i], c), challenges)
        s = self.rows_of(self.layout.at_copy(self.layout.lookup_tables[i], c), challenges)
        if self.layout.lookup_kind != "classic":  # log-derivative: the multiplicities m, then its blind
            m = self.store.keep(lookup.multiplicities(a[:self.usable], s[:self.usable], self.n, lk.name))
            if self.dialect.zero_knowledge:
                m[self.usable:] = self.draw(self.n - self.usable)
            self.commit(self.column(cols.permuted_input, c), m)
            self.draw_unused()
            return a, s
        a_perm, s_perm = lookup.permute_expression_pair(a[:self.usable], s[:self.usable], lk.name)
        columns = []
        for column, permuted in ((cols.permuted_input, a_perm), (cols.permuted_table, s_perm)):
            full = self.store.empty((self.n, 4))
            full[:self.usable] = permuted
            full[self.usable:] = self.draw(self.n - self.usable)
            columns.append((self.column(column, c), full))
        for column, full in columns:
            self.commit(column, full)
        self.draw_unused(2)
        return a, s

    def commit_permutation_products(self, c: int, beta: int, gamma: int) -> None:
        sets = [[self.values[self.column(col, c)] for col in chunk] for chunk in self.layout.permutation_sets]
        products = permutation.grand_products(sets, self.pk.sigma_values, self.layout.chunk_len, beta, gamma,
                                              self.domain.omega, self.n, self.bf, self.draw_blinded)
        for column, z in zip(self.layout.permutation_products, products):  # each set's z committed as it comes
            self.commit(self.column(column, c), z)

    def draw_blinded(self, count: int) -> np.ndarray:
        """A grand product's random rows, then its commitment's unused blind (halo2's order)."""
        rows = self.draw(count)
        self.draw_unused()
        return rows

    def commit_lookup_products(self, c: int, compressed: dict, beta: int, gamma: int) -> None:
        for i, cols in enumerate(self.layout.lookups):
            a, s = compressed.pop((c, i))  # freed once its product exists
            if self.layout.lookup_kind != "classic":
                phi = lookup.grand_sum(a, s, self.values[self.column(cols.permuted_input, c)], beta, self.n, self.bf,
                                       self.draw_blinded)
                self.commit(self.column(cols.product, c), phi)
                continue
            z = lookup.grand_product(a, s, self.values[self.column(cols.permuted_input, c)],
                                     self.values[self.column(cols.permuted_table, c)],
                                     beta, gamma, self.n, self.bf, self.draw_blinded)
            self.commit(self.column(cols.product, c), z)

    def commit_shuffle_products(self, c: int, theta: int, gamma: int) -> None:
        challenges = self.circuit_challenges + [theta, 0, 0]
        for z_column, inputs, shuffles in zip(self.layout.shuffle_products, self.layout.shuffle_inputs,
                                              self.layout.shuffle_tables):
            a = self.rows_of(self.layout.at_copy(inputs, c), challenges)
            s = self.rows_of(self.layout.at_copy(shuffles, c), challenges)
            self.commit(self.column(z_column, c), shuffle.grand_product(a, s, gamma, self.n, self.bf,
                                                                        self.draw_blinded))

    def vanishing_random_poly(self) -> np.ndarray:
        """The vanishing argument's random polynomial (coefficient form), its commitment started
        for the round's ``flush`` to write after the products': n random coefficients and a blind
        (PSE), or the constant 1 and no draw (Scroll). It is the next thing halo2 draws and
        writes after the products, so it is drawn while their commitments run (on a cluster the
        workers would otherwise wait for the n draws)."""
        if self.dialect.zero_knowledge:
            poly = self.store.keep(self.draw(self.n))
            self.draw_unused()
        else:
            poly = np.zeros((self.n, 4), dtype=np.uint64)
            poly[0] = Fr.one_limbs
        self.pending.append(self.executor.start_commits(self.params, [(COEFF, poly)]))
        return poly

    def quotient(self, strategy, challenges: list, y: int) -> list:
        """Everything the constraints query, in coefficient form, handed to the strategy."""
        layout, pk = self.layout, self.pk
        if self.own_params:  # every Lagrange-basis commitment is written: only g commits from here on
            self.params.drop_lagrange()
        for column in layout.fixed_columns:
            del self.values[column]
        if self.own_key:  # the key's values are read by the rounds before this one only
            if pk.fixed_polys is None:  # a key without polynomials: interpolated in place, as to_coefficients does
                pk.fixed_polys = self.executor.coefficients(self.domain, pk.fixed_values)
                pk.sigma_polys = self.executor.coefficients(self.domain, pk.sigma_values)
            pk.to_coefficients()
        else:  # a key kept for further proofs keeps both bases; a mapped one gives back these pages
            pk.evict(pk.lagrange_forms())
        # advice, instance, products, A′, S′: each in place, so a column exists in one basis at a time
        self.polys.update(zip(self.values, self.executor.coefficients(self.domain, list(self.values.values()))))
        self.values.clear()
        self.polys.update(zip(layout.fixed_columns, pk.fixed_polys))
        self.polys.update(zip(layout.sigmas, pk.sigma_polys))
        self.polys.update({layout.l0: pk.l0, layout.l_last: pk.l_last, layout.l_active: pk.l_active})
        program, columns = self.quotient_program()
        task = QuotientTask(self.domain, program, [self.polys[col] for col in columns], challenges, y,
                            allocate=self.store.empty)
        pieces = validate_result(self.executor.quotient(strategy, task), task,
                                 getattr(strategy, "name", type(strategy).__name__))
        del task
        self.drop_quotient_only()
        self.draw_unused(len(pieces))  # h pieces' blinds
        for i, commitment in enumerate(self.executor.commit(self.params, [(COEFF, piece) for piece in pieces])):
            if not commitment.any() and self.tr.identity_as is None:
                raise QuotientPieceAtInfinity(i, len(pieces), self.layout.degree)
            self.tr.write_point(commitment)
        return pieces

    def drop_quotient_only(self) -> None:
        """Free what only the quotient reads, before the pieces' commitments: l0, l_last and
        l_active (never opened; the key's too if it is this proof's own) and the NTT's twiddle
        tables (no transform follows: the rest of the proof evaluates, commits and divides
        coefficient forms)."""
        layout = self.layout
        for column in (layout.l0, layout.l_last, layout.l_active):
            del self.polys[column]
        if self.own_key:
            self.pk.l0 = self.pk.l_last = self.pk.l_active = None
        else:
            self.pk.evict(self.pk.quotient_only())
        clear_twiddle_cache()

    def write_evaluations(self, x: int, random_poly) -> None:
        """Write every opened value, and keep them: the multiopen argument needs them again."""
        self.evaluations = {}
        if self.commit_instances:
            for column, rotation in instance_evaluations(self.layout, self.copies):
                self.tr.write_scalar(self.evaluate(column, x, rotation))
        for column, rotation in evaluations_before_random(self.layout, self.copies):
            self.tr.write_scalar(self.evaluate(column, x, rotation))
        self.random_eval = poly_eval(random_poly, x)
        self.tr.write_scalar(self.random_eval)
        for column, rotation in evaluations_after_random(self.layout, self.copies):
            self.tr.write_scalar(self.evaluate(column, x, rotation))

    def open(self, x: int, pieces: list, random_poly, scheme: str) -> None:
        xn = pow(x, self.n, FR_MODULUS)
        h_poly = self.store.empty((self.n, 4))
        h_poly[...] = pieces[-1]
        for piece in reversed(pieces[:-1]):  # h = Σ x^{n·i}·h_i, by Horner in x^n
            Fr.add(Fr.scale(h_poly, xn, out=h_poly), piece, out=h_poly)
        del pieces[:]
        queries = [ProverQuery(self.domain.rotate_omega(x, rotation), self.polys[column],
                               value=self.evaluations.get((column, rotation)))
                   for column, rotation in opening_queries(self.layout, self.copies, self.commit_instances)]
        queries += [ProverQuery(x, h_poly), ProverQuery(x, random_poly, value=self.random_eval)]
        multiopen_proof(self.params, self.tr, queries, scheme)

    # --- helpers ---------------------------------------------------------------------------
    def evaluate(self, column, x: int, rotation: int) -> int:
        value = poly_eval(self.polys[column], self.domain.rotate_omega(x, rotation))
        self.evaluations[column, rotation] = value
        return value

    def rows_of(self, expression, challenges: list) -> np.ndarray:
        """One expression over all n rows of the Lagrange-form columns (rotations wrap mod n)."""
        columns = sorted({q.column for q in expression.queries()}, key=lambda c: (c.kind, c.index, c.name))
        slot = {c: i for i, c in enumerate(columns)}
        program = compile_program([expression], lambda c: slot[c])
        stack = self.store.empty((max(1, len(columns)), self.n, 4))
        for i, c in enumerate(columns):
            stack[i] = self.values[c]
        out = self.store.empty((self.n, 4))
        return run_program(program, stack, 1, 0, self.n, 0, 1, challenges, 0, out)
