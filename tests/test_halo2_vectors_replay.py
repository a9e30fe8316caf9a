"""Replay every Rust halo2 proof of the vectors through ``Blake2bRead``: challenges, commitments and
evaluations must equal the values Rust pinned, and the multiopen items must end the proof exactly.

This is a test-only reader (the verifier proper lives elsewhere); it proves the point encodings and
the transcript byte-exact against Rust. The proof layout is halo2's (vectors README §5.7): per phase
the advice commitments of every circuit copy, then θ, lookup permutations, β, γ, the grand products,
the vanishing argument, x, the evaluations and the multiopen. The per-circuit counts below are
derived by hand from the circuit descriptions of README §4 — not from halo2py's constraint system —
so the replay is independent of the code under test apart from the transcript and the encodings.
"""

from __future__ import annotations

from dataclasses import dataclass

import halo2_vectors as hv
import numpy as np
import pytest

from halo2py.arith.field import Fr
from halo2py.commitment.kzg import commit_lagrange
from halo2py.commitment.params import ParamsKZG
from halo2py.curve import encoding_for
from halo2py.curve.points import G1
from halo2py.transcript import SCROLL_IDENTITY, Blake2bRead

BLINDING_FACTORS = 5  # every vector circuit: max(3, queries of one advice column) + 2


@dataclass(frozen=True)
class Shape:
    """What one circuit copy puts in a proof, read off the circuit description.

    ``advice``: advice columns per phase; ``challenges``: circuit challenges squeezed after each
    phase; ``advice_rotations``: one entry per advice query, in query order; ``degree``: the
    constraint-system degree d (d − 1 h pieces, permutation chunks of d − 2 columns).
    """

    advice: tuple
    advice_rotations: tuple
    fixed_queries: int
    degree: int
    challenges: tuple = (0,)
    instance_columns: int = 0
    permutation_columns: int = 0
    lookups: int = 0
    shuffles: int = 0

    @property
    def permutation_sets(self) -> int:
        chunk = self.degree - 2
        return -(-self.permutation_columns // chunk)

    def opening_rotations(self) -> list:
        """Distinct opening points (as rotations) in order of first appearance (GWC), README §5.8:
        instance and advice queries, permutation, lookups, shuffles, then fixed/σ/h at x."""
        rotations = [0] * self.instance_columns + list(self.advice_rotations)
        if self.permutation_columns:
            rotations += [0, 1, -(BLINDING_FACTORS + 1)]
        rotations += [0, 0, 0, -1, 1] * self.lookups + [0, 1] * self.shuffles + [0]
        return list(dict.fromkeys(rotations))


SHAPES = {
    # a0, a1; queries a0@0, a1@0 (enable_equality) then a0@+1 (the gate); fixed f0 (constants) and
    # the s_mul column f1; equality i0, f0, a0, a1; mul gate degree 3.
    "simple": Shape(advice=(2,), advice_rotations=(0, 0, 1), fixed_queries=2, degree=3,
                    instance_columns=1, permutation_columns=4),
    # a0 at rotation 0; fixed: table f0 and q's column f1; one lookup of degree 5.
    "simple_lookup": Shape(advice=(1,), advice_rotations=(0,), fixed_queries=2, degree=5, lookups=1),
    # a0–a3 in phase 0, z = a4 in phase 1 after two challenges; queries a4@0, a0–a3@0, a4@+1;
    # compressed selectors f0, f1; degree 3.
    "shuffle": Shape(advice=(4, 1), advice_rotations=(0, 0, 0, 0, 0, 1), fixed_queries=2, degree=3,
                     challenges=(2, 0)),
    # a0, a1, a2 at rotation 0; fixed f0 and the selector columns f1, f2; one shuffle, degree 4.
    "shuffle_api": Shape(advice=(3,), advice_rotations=(0, 0, 0), fixed_queries=3, degree=4, shuffles=1),
    # a0, a1, a2 at rotation 0; selector f0; equality a0, a1, a2, i0; degree 3.
    "fibonacci1": Shape(advice=(3,), advice_rotations=(0, 0, 0), fixed_queries=1, degree=3,
                        instance_columns=1, permutation_columns=4),
    # a0 at 0, +1, +2; selector f0; equality a0, i0; degree 3.
    "fibonacci2": Shape(advice=(1,), advice_rotations=(0, 1, 2), fixed_queries=1, degree=3,
                        instance_columns=1, permutation_columns=2),
}


def _hex(value: int) -> str:
    return f"0x{value:064x}"


def _pair(point) -> list | None:
    if not np.asarray(point).any():
        return None
    x, y = G1.to_ints(np.asarray(point).reshape(1, 8))[0]
    return [_hex(x), _hex(y)]


class Reader:
    """Blake2bRead with the vector's encoding and Scroll's identity, returning the vectors' format."""

    def __init__(self, data: dict):
        self.tr = Blake2bRead(hv.proof_bytes(data), encoding_for(data["point_serialization"]),
                              identity_as=SCROLL_IDENTITY)

    def points(self, count: int) -> list:
        return [_pair(self.tr.read_point()) for _ in range(count)]

    def scalars(self, count: int) -> list:
        return [_hex(self.tr.read_scalar()) for _ in range(count)]

    def challenge(self) -> str:
        return _hex(self.tr.squeeze_challenge())


def _absorb_instances(tr: Blake2bRead, data: dict, shape: Shape) -> None:
    """SHPLONK absorbs every supplied instance value; Scroll's GWC commits each zero-padded column
    (params s = 2, Lagrange form) and absorbs the commitment (README §5.6)."""
    columns_per_copy = data["instance_columns"]
    assert all(len(copy) == shape.instance_columns for copy in columns_per_copy)
    params = ParamsKZG.setup_with_secret(data["k"], 2) if data["scheme"] == "gwc" and shape.instance_columns else None
    for copy in columns_per_copy:
        for column in copy:
            values = hv.ints(column)
            if params is None:
                for value in values:
                    tr.common_scalar(value)
            else:
                padded = Fr.from_ints(values + [0] * (data["n"] - len(values)))
                tr.common_point(commit_lagrange(params, padded))


def replay(data: dict) -> dict:
    """Read the whole proof; the result mirrors the vector's challenges / commitments / evaluations."""
    shape = SHAPES[data["circuit"]]
    copies = range(data["num_circuits"])
    r = Reader(data)
    r.tr.common_scalar(hv.transcript_repr(data))
    _absorb_instances(r.tr, data, shape)
    ch, com, ev = {}, {}, {}

    advice = [[] for _ in copies]
    circuit = []
    for count, squeezed in zip(shape.advice, shape.challenges):
        for c in copies:
            advice[c] += r.points(count)
        circuit += [r.challenge() for _ in range(squeezed)]
    com["advice"] = advice
    if circuit:
        ch["circuit"] = circuit

    ch["theta"] = r.challenge()
    permuted = [[r.points(2) for _ in range(shape.lookups)] for _ in copies]
    com["lookup_permuted_input"] = [[a for a, _ in copy] for copy in permuted]
    com["lookup_permuted_table"] = [[s for _, s in copy] for copy in permuted]
    ch["beta"] = r.challenge()
    ch["gamma"] = r.challenge()
    com["permutation_product"] = [r.points(shape.permutation_sets) for _ in copies]
    com["lookup_product"] = [r.points(shape.lookups) for _ in copies]
    com["shuffle_product"] = [r.points(shape.shuffles) for _ in copies]
    (com["vanishing_random_poly"],) = r.points(1)
    ch["y"] = r.challenge()
    com["vanishing_h_poly"] = r.points(shape.degree - 1)
    ch["x"] = r.challenge()

    if data["scheme"] == "gwc":
        ev["instance"] = [r.scalars(shape.instance_columns) for _ in copies]
    ev["advice"] = [r.scalars(len(shape.advice_rotations)) for _ in copies]
    ev["fixed"] = r.scalars(shape.fixed_queries)
    (ev["vanishing_random"],) = r.scalars(1)
    ev["common_permutation"] = r.scalars(shape.permutation_columns)
    sets = shape.permutation_sets
    z, z_next, z_last = ([[None] * sets for _ in copies] for _ in range(3))
    for c in copies:
        for s in range(sets):
            z[c][s], z_next[c][s] = r.scalars(2)
            if s < sets - 1:
                (z_last[c][s],) = r.scalars(1)
    ev["permutation_product"], ev["permutation_product_next"], ev["permutation_product_last"] = z, z_next, z_last
    lookup = [[r.scalars(5) for _ in range(shape.lookups)] for _ in copies]
    for i, name in enumerate(("lookup_product", "lookup_product_next", "lookup_permuted_input",
                              "lookup_permuted_input_prev", "lookup_permuted_table")):
        ev[name] = [[evals[i] for evals in copy] for copy in lookup]
    shuffle = [[r.scalars(2) for _ in range(shape.shuffles)] for _ in copies]
    ev["shuffle_product"] = [[evals[0] for evals in copy] for copy in shuffle]
    ev["shuffle_product_next"] = [[evals[1] for evals in copy] for copy in shuffle]

    if data["scheme"] == "shplonk":
        r.challenge(), r.challenge()  # y′, v
        r.points(1)  # h
        r.challenge()  # u
        r.points(1)  # h′
    else:
        r.challenge()  # v
        r.points(len(shape.opening_rotations()))  # one W per distinct point
    r.tr.assert_exhausted()
    return {"challenges": ch, "commitments": com, "evaluations": ev}


_NOT_IN_PROOF = {"h_eval"}  # computed by the verifier, never read from the transcript


@pytest.mark.parametrize("case", hv.case_names())
def test_replay_matches_rust(case):
    data = hv.load(case)
    got = replay(data)
    checked = 0
    for section in ("challenges", "commitments", "evaluations"):
        for key, expected in data[section].items():
            if expected is None or key in _NOT_IN_PROOF:
                continue
            assert key in got[section], f"the vector pins {section}.{key}, which the replay does not read"
            assert got[section][key] == expected, f"{section}.{key}"
            checked += 1
    assert checked >= 2  # shuffle × GWC pins only the vanishing commitment and evaluation


@pytest.mark.parametrize("case", [c for c in hv.case_names() if c.endswith("-gwc")])
def test_gwc_replay_agrees_with_shplonk_vector(case):
    """The GWC vectors pin little besides the proof; up to the multiopen their transcript is the
    SHPLONK one of the same circuit (same vk, no instances, same RNG draws), which Tachyon checked."""
    shplonk = hv.load(case.replace("-gwc", "-shplonk"))
    got = replay(hv.load(case))
    for section in ("challenges", "commitments", "evaluations"):
        for key, expected in shplonk[section].items():
            if expected is not None and key not in _NOT_IN_PROOF:
                assert got[section][key] == expected, f"{section}.{key}"


@pytest.mark.parametrize("case", [c for c in hv.case_names() if hv.load(c).get("transcript_repr")])
def test_transcript_repr_is_the_hash_of_the_pinned_vk(case):
    data = hv.load(case)
    assert hv.repr_of_pinned_vk(data["pinned_verifying_key"]) == hv.to_int(data["transcript_repr"])


def test_gwc_opening_points():
    assert SHAPES["shuffle"].opening_rotations() == [0, 1]
    assert SHAPES["simple"].opening_rotations() == [0, 1, -6]
    assert SHAPES["simple_lookup"].opening_rotations() == [0, -1, 1]


def test_shapes_cover_the_proof_sizes():
    """Items per proof from the shapes = the byte counts of README §2 (32 bytes each)."""
    for case in hv.case_names():
        data = hv.load(case)
        s = SHAPES[data["circuit"]]
        sets = s.permutation_sets
        points = 2 * (sum(s.advice) + 2 * s.lookups + sets + s.lookups + s.shuffles) + 1 + (s.degree - 1)
        scalars = (2 * len(s.advice_rotations) + s.fixed_queries + 1 + s.permutation_columns
                   + 2 * (3 * sets - 1 if sets else 0) + 2 * 5 * s.lookups + 2 * 2 * s.shuffles)
        opening = 2 if data["scheme"] == "shplonk" else len(s.opening_rotations())
        if data["scheme"] == "gwc":
            scalars += 2 * s.instance_columns
        assert 32 * (points + scalars + opening) == data["proof_len"] == len(hv.proof_bytes(data)), case


def test_corrupted_proof_is_caught():
    """The comparison is not vacuous: a flipped bit in the first advice evaluation (after the 15
    commitments of simple) shows up there, while the challenges before it still replay."""
    reference = hv.load("simple-simple-shplonk")
    proof = bytearray(hv.proof_bytes(reference))
    proof[15 * 32] ^= 1
    got = replay({**reference, "proof": proof.hex()})
    assert got["challenges"]["x"] == reference["challenges"]["x"]
    assert got["evaluations"]["advice"][0][0] != reference["evaluations"]["advice"][0][0]
    assert got["evaluations"]["advice"][0][1:] == reference["evaluations"]["advice"][0][1:]
