"""Keygen: from params, a compiled circuit and its preprocessed columns to the two keys.

The verifying key is what a verifier needs besides the circuit's constraint system: the
commitments to every fixed column (selectors included) and to every σ polynomial, and a digest
that the transcript absorbs first so a proof is bound to this exact circuit. The proving key adds
the polynomials behind those commitments, l0/l_last/l_active, and the compiled quotient program.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from halo2py.arith.field import Fr
from halo2py.commitment import kzg
from halo2py.curve.points import G1
from halo2py.errors import InputError
from halo2py.middleware.circuit import CompiledCircuit
from halo2py.middleware.witness import Preprocessed
from halo2py.plonk import pinned, selectors
from halo2py.plonk.columns import HEAP
from halo2py.plonk.dialect import DEFAULT, DIALECTS, Dialect
from halo2py.plonk.layout import ProtocolLayout
from halo2py.plonk.pinned import transcript_repr
from halo2py.plonk.permutation import build_sigmas
from halo2py.poly.domain import EvaluationDomain
from halo2py.quotient.program import compile_program


@dataclass
class VerifyingKey:
    k: int
    layout: ProtocolLayout
    domain: EvaluationDomain
    fixed_commitments: np.ndarray        # (F, 8) affine, circuit fixed columns then selector columns
    permutation_commitments: np.ndarray  # (P, 8) affine, one σ per equality-enabled column
    dialect: Dialect
    transcript_repr: int = 0

    def __post_init__(self):
        self.transcript_repr = transcript_repr(self.pinned())

    @property
    def cs(self):
        return self.layout.cs

    def pinned(self) -> str:
        """halo2's ``format!("{:?}", vk.pinned())`` for this key (``halo2py.plonk.pinned``)."""
        return pinned.verifying_key_text(self.k, self.domain.extended_k, self.domain.omega,
                                         keyed_constraint_system_text(self.layout, self.dialect),
                                         _points(self.fixed_commitments), _points(self.permutation_commitments))


def _points(commitments: np.ndarray) -> list:
    return G1.to_ints(commitments) if len(commitments) else []


@dataclass
class ProvingKey:
    vk: VerifyingKey
    fixed_values: list | None  # Lagrange form (None once the prover of an owned key is past it)
    fixed_polys: list | None   # coefficient form (None in a one-proof key until the quotient)
    sigma_values: list | None
    sigma_polys: list | None
    l0: np.ndarray       # coefficient form
    l_last: np.ndarray
    l_active: np.ndarray
    quotient_columns: list  # slot order of the quotient program
    program: object
    pages: object = None    # a pk file's mapping (pkfile.KeyPages), None for a key on the heap

    def evict(self, arrays) -> None:
        """Give back the pages of these arrays of a mapped key (they are read again from the file
        if touched, so the key stays whole); a key on the heap keeps them — its owner frees it."""
        if self.pages is not None:
            self.pages.evict([a for a in arrays if a is not None])

    def lagrange_forms(self) -> list:
        """The fixed and σ columns in Lagrange form: read by the rounds before the quotient only."""
        return list(self.fixed_values or []) + list(self.sigma_values or [])

    def quotient_only(self) -> list:
        """l0, l_last and l_active: read by the quotient only."""
        return [self.l0, self.l_last, self.l_active]

    def to_coefficients(self) -> None:
        """Hold the fixed, selector and σ columns in coefficient form only, from here on.

        Only the rounds before the quotient read their Lagrange forms (lookups, shuffles,
        permutation products); the quotient, evaluations and openings read the coefficients. A
        prover that owns its key (made for this one proof) calls this at the quotient: a key made
        without polynomials (``keygen(..., polys=False)``) is interpolated in place, so each
        column exists in one basis throughout and the transforms keygen would do are done here
        instead; a full key just drops its Lagrange forms. A key kept for further proofs keeps
        both.
        """
        if self.fixed_polys is None:
            domain = self.vk.domain
            self.fixed_polys = [domain.lagrange_to_coeff(v, out=v) for v in self.fixed_values]
            self.sigma_polys = [domain.lagrange_to_coeff(v, out=v) for v in self.sigma_values]
        self.fixed_values = self.sigma_values = None


def circuit_constraint_system_text(cs, dialect: Dialect) -> str:
    """The pinned constraint system of the circuit as configured, before keygen turns selectors
    into fixed columns (halo2's ``cs.pinned()`` on the configured system)."""
    queries = pinned.QueryIndex(cs.advice_queries, cs.fixed_queries, cs.instance_queries)
    return pinned.constraint_system_text(
        cs, dialect.pinned, fixed_columns=len(cs.fixed_columns),
        gates=[c.expression for g in cs.gates for c in g.constraints],
        lookups=[(lk.inputs, lk.tables) for lk in cs.lookups],
        shuffles=[(sh.inputs, sh.shuffles) for sh in cs.shuffles], queries=queries)


def keyed_constraint_system_text(layout: ProtocolLayout, dialect: Dialect) -> str:
    """The pinned constraint system inside the verifying key: selectors replaced by their
    columns (v1.1's ``lookups_map`` keeps the circuit's own selector expressions)."""
    cs = layout.cs
    queries = pinned.QueryIndex(layout.advice_queries, layout.fixed_queries, layout.instance_queries)
    return pinned.constraint_system_text(
        cs, dialect.pinned, fixed_columns=len(layout.fixed_columns),
        gates=layout.gate_constraints,
        lookups=[(tuple(layout.lower(e) for e in lk.inputs), tuple(layout.lower(e) for e in lk.tables))
                 for lk in cs.lookups],
        shuffles=[(tuple(layout.lower(e) for e in sh.inputs), tuple(layout.lower(e) for e in sh.shuffles))
                  for sh in cs.shuffles],
        queries=queries, original_lookups=[(lk.inputs, lk.tables) for lk in cs.lookups])


def protocol_layout(circuit: CompiledCircuit, preprocessed: Preprocessed, dialect: Dialect) -> ProtocolLayout:
    """The protocol's view of ``circuit`` under ``dialect``: selectors turned into fixed columns
    (compressed where the dialect compresses, which depends on where each selector is on)."""
    if dialect.selector_compression:
        columns = selectors.compress(circuit, preprocessed.selectors, circuit.degree())
    else:
        columns = selectors.direct(circuit.selectors)
    return ProtocolLayout(circuit, columns, dialect.lookup)


def _fixed_values(layout: ProtocolLayout, preprocessed, keep=HEAP.keep) -> list:
    """The circuit's fixed columns, then the selector columns, in Lagrange form."""
    values = list(preprocessed.fixed)  # shared with the synthesis, never written
    for ints in layout.selector_columns_map.values(preprocessed.selectors, preprocessed.n):
        col = np.zeros((preprocessed.n, 4), dtype=np.uint64)
        for v in np.unique(ints):
            if v:
                col[ints == v] = Fr.from_ints([int(v)])[0]
        values.append(keep(col))
        del col
    return values


def _lagrange_indicator(n: int, rows) -> np.ndarray:
    col = np.zeros((n, 4), dtype=np.uint64)
    col[rows] = np.array(Fr.one_limbs, dtype=np.uint64)
    return col


def _fixed_and_sigmas(layout: ProtocolLayout, preprocessed, domain: EvaluationDomain, keep=HEAP.keep):
    fixed_values = _fixed_values(layout, preprocessed, keep)
    sigma_values = build_sigmas(preprocessed.copies, len(layout.permutation_columns), preprocessed.n,
                                layout.cs.usable_rows(preprocessed.k), domain.omega, keep)
    return fixed_values, sigma_values


def _verifying_key(params, layout, domain, preprocessed, fixed_values, sigma_values, dialect) -> VerifyingKey:
    if params.k != preprocessed.k:
        raise InputError(f"params are for k = {params.k} but the circuit has k = {preprocessed.k}")
    return VerifyingKey(preprocessed.k, layout, domain, _commit_all(params, fixed_values),
                        _commit_all(params, sigma_values), dialect)


def keygen_vk(params, circuit: CompiledCircuit, preprocessed: Preprocessed,
              dialect: Dialect = DIALECTS[DEFAULT]) -> VerifyingKey:
    """Only the verifying key (what a verifier recomputes from the circuit; no witness needed)."""
    layout = protocol_layout(circuit, preprocessed, dialect)
    domain = EvaluationDomain(preprocessed.k, layout.degree)
    fixed_values, sigma_values = _fixed_and_sigmas(layout, preprocessed, domain)
    return _verifying_key(params, layout, domain, preprocessed, fixed_values, sigma_values, dialect)


def keygen(params, circuit: CompiledCircuit, preprocessed: Preprocessed,
           dialect: Dialect = DIALECTS[DEFAULT], columns=HEAP, polys: bool = True) -> ProvingKey:
    """Both keys for a compiled circuit and its preprocessed columns; every polynomial of the
    proving key is made in (or moved to) the column store ``columns`` as soon as it exists.
    ``polys=False``: a key for one proof, whose fixed and σ columns are held as values only until
    the prover interpolates them in place (``ProvingKey.to_coefficients``); the fixed values are
    then the synthesis' own arrays, written."""
    layout = protocol_layout(circuit, preprocessed, dialect)
    n, usable = preprocessed.n, layout.cs.usable_rows(preprocessed.k)
    domain = EvaluationDomain(preprocessed.k, layout.degree)
    fixed_values, sigma_values = _fixed_and_sigmas(layout, preprocessed, domain, columns.keep)
    vk = _verifying_key(params, layout, domain, preprocessed, fixed_values, sigma_values, dialect)

    def coeffs(values):
        return domain.lagrange_to_coeff(values, out=columns.empty(values.shape))

    return proving_key(
        vk, fixed_values, [coeffs(v) for v in fixed_values] if polys else None, sigma_values,
        [coeffs(v) for v in sigma_values] if polys else None,
        coeffs(_lagrange_indicator(n, [0])), coeffs(_lagrange_indicator(n, [usable])),
        coeffs(_lagrange_indicator(n, slice(0, usable))))


def proving_key(vk, fixed_values, fixed_polys, sigma_values, sigma_polys, l0, l_last, l_active) -> ProvingKey:
    """A proving key from its polynomials (computed by keygen or read from a pk file) and the
    constraint program compiled for the vk's layout."""
    columns = vk.layout.quotient_columns()
    slot = {c: i for i, c in enumerate(columns)}
    return ProvingKey(vk, fixed_values, fixed_polys, sigma_values, sigma_polys, l0, l_last, l_active, columns,
                      compile_program(vk.layout.quotient_constraints(), lambda c: slot[c]))


def _commit_all(params, values: list) -> np.ndarray:
    out = np.zeros((len(values), 8), dtype=np.uint64)
    for i, v in enumerate(values):
        out[i] = kzg.commit_lagrange(params, v)
    return out
