"""Keygen: from params, a compiled circuit and its preprocessed columns to the two keys.

The verifying key is what a verifier needs besides the circuit's constraint system: the
commitments to every fixed column (selectors included) and to every σ polynomial, and a digest
that the transcript absorbs first so a proof is bound to this exact circuit. The proving key adds
the polynomials behind those commitments, l0/l_last/l_active, and the compiled quotient program.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import numpy as np

from halo2py.arith.constants import FR_MODULUS
from halo2py.arith.field import Fr
from halo2py.commitment import kzg
from halo2py.curve.encoding import encode_compressed
from halo2py.errors import InputError
from halo2py.middleware.circuit import CompiledCircuit
from halo2py.middleware.witness import Preprocessed
from halo2py.plonk.layout import ProtocolLayout
from halo2py.plonk.permutation import build_sigmas
from halo2py.poly.domain import EvaluationDomain
from halo2py.quotient.program import compile_program


@dataclass
class VerifyingKey:
    k: int
    layout: ProtocolLayout
    domain: EvaluationDomain
    fixed_commitments: np.ndarray        # (F, 8) affine, circuit fixed columns then selectors
    permutation_commitments: np.ndarray  # (P, 8) affine, one σ per equality-enabled column
    transcript_repr: int = 0

    def __post_init__(self):
        self.transcript_repr = vk_digest(self)

    @property
    def cs(self):
        return self.layout.cs


@dataclass
class ProvingKey:
    vk: VerifyingKey
    fixed_values: list   # Lagrange form
    fixed_polys: list    # coefficient form
    sigma_values: list
    sigma_polys: list
    l0: np.ndarray       # coefficient form
    l_last: np.ndarray
    l_active: np.ndarray
    quotient_columns: list  # slot order of the quotient program
    program: object


def describe_constraint_system(layout: ProtocolLayout) -> str:
    """A canonical text of everything the verifier relies on besides commitments (halo2 hashes
    the Debug form of its pinned verifying key for the same purpose)."""
    cs = layout.cs
    lines = [f"degree {layout.degree}", f"blinding_factors {layout.blinding_factors}"]
    for kind, cols in (("advice", layout.advice_columns), ("fixed", layout.fixed_columns),
                       ("instance", layout.instance_columns), ("permutation", layout.permutation_columns)):
        lines.append(f"{kind} " + ",".join(f"{c.kind}:{c.index}:{c.name}" for c in cols))
    for gate in cs.gates:
        for c in gate.constraints:
            lines.append(f"gate {gate.index} {gate.name!r} {c.index} {c.name!r}: {layout.lower(c.expression)}")
    for lk, inp, tab in zip(cs.lookups, layout.lookup_inputs, layout.lookup_tables):
        lines.append(f"lookup {lk.index} {lk.name!r}: {inp} in {tab}")
    for kind, queries in (("advice", layout.advice_queries), ("fixed", layout.fixed_queries),
                          ("instance", layout.instance_queries)):
        lines.append(f"{kind}_queries " + ",".join(f"{q.column.index}@{q.rotation}" for q in queries))
    return "\n".join(lines)


def vk_digest(vk: VerifyingKey) -> int:
    """Blake2b-512 (personal "Halo2-Verify-Key") of k, the constraint system and the commitments,
    reduced mod r: the scalar the transcript absorbs first."""
    h = hashlib.blake2b(digest_size=64, person=b"Halo2-Verify-Key")
    h.update(b"halo2py-vk-1\n")
    h.update(f"k {vk.k}\n".encode())
    h.update(describe_constraint_system(vk.layout).encode())
    h.update(encode_compressed(vk.fixed_commitments))
    h.update(encode_compressed(vk.permutation_commitments))
    return int.from_bytes(h.digest(), "little") % FR_MODULUS


def _fixed_values(layout: ProtocolLayout, preprocessed) -> list:
    """The circuit's fixed columns, then one 0/1 column per selector, in Lagrange form."""
    values = list(preprocessed.fixed)  # shared with the synthesis, never written
    one = np.array(Fr.one_limbs, dtype=np.uint64)
    for enabled in preprocessed.selectors:
        col = np.zeros((preprocessed.n, 4), dtype=np.uint64)
        col[enabled] = one
        values.append(col)
    return values


def _lagrange_indicator(n: int, rows) -> np.ndarray:
    col = np.zeros((n, 4), dtype=np.uint64)
    col[rows] = np.array(Fr.one_limbs, dtype=np.uint64)
    return col


def _fixed_and_sigmas(layout: ProtocolLayout, preprocessed, domain: EvaluationDomain):
    fixed_values = _fixed_values(layout, preprocessed)
    sigma_values = build_sigmas(preprocessed.copies, len(layout.permutation_columns), preprocessed.n,
                                layout.cs.usable_rows(preprocessed.k), domain.omega)
    return fixed_values, sigma_values


def _verifying_key(params, layout, domain, preprocessed, fixed_values, sigma_values) -> VerifyingKey:
    if params.k != preprocessed.k:
        raise InputError(f"params are for k = {params.k} but the circuit has k = {preprocessed.k}")
    return VerifyingKey(preprocessed.k, layout, domain, _commit_all(params, fixed_values),
                        _commit_all(params, sigma_values))


def keygen_vk(params, circuit: CompiledCircuit, preprocessed: Preprocessed) -> VerifyingKey:
    """Only the verifying key (what a verifier recomputes from the circuit; no witness needed)."""
    layout = ProtocolLayout(circuit)
    domain = EvaluationDomain(preprocessed.k, layout.degree)
    fixed_values, sigma_values = _fixed_and_sigmas(layout, preprocessed, domain)
    return _verifying_key(params, layout, domain, preprocessed, fixed_values, sigma_values)


def keygen(params, circuit: CompiledCircuit, preprocessed: Preprocessed) -> ProvingKey:
    """Both keys for a compiled circuit and its preprocessed columns."""
    layout = ProtocolLayout(circuit)
    n, usable = preprocessed.n, layout.cs.usable_rows(preprocessed.k)
    domain = EvaluationDomain(preprocessed.k, layout.degree)
    fixed_values, sigma_values = _fixed_and_sigmas(layout, preprocessed, domain)
    vk = _verifying_key(params, layout, domain, preprocessed, fixed_values, sigma_values)
    columns = layout.quotient_columns()
    slot = {c: i for i, c in enumerate(columns)}
    return ProvingKey(
        vk=vk,
        fixed_values=fixed_values,
        fixed_polys=[domain.lagrange_to_coeff(v) for v in fixed_values],
        sigma_values=sigma_values,
        sigma_polys=[domain.lagrange_to_coeff(v) for v in sigma_values],
        l0=domain.lagrange_to_coeff(_lagrange_indicator(n, [0])),
        l_last=domain.lagrange_to_coeff(_lagrange_indicator(n, [usable])),
        l_active=domain.lagrange_to_coeff(_lagrange_indicator(n, slice(0, usable))),
        quotient_columns=columns,
        program=compile_program(layout.quotient_constraints(), lambda c: slot[c]),
    )


def _commit_all(params, values: list) -> np.ndarray:
    out = np.zeros((len(values), 8), dtype=np.uint64)
    for i, v in enumerate(values):
        out[i] = kzg.commit_lagrange(params, v)
    return out
