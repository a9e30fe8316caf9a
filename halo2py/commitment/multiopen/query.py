"""Opening queries: "polynomial f at point z" for the prover, "commitment C opens to e at z" for
the verifier (halo2's ``ProverQuery`` / ``VerifierQuery``).

Both multiopen arguments group queries by *which* polynomial or commitment they name, and halo2
decides that by reference (pointer equality), not by value: two equal commitments of different
columns stay separate entries. We do the same with object identity, so queries of one
polynomial at several rotations must pass the same array (prover) or the same commitment object
(verifier). A verifier commitment is either an affine point (8,) or a linear combination
``[(scalar, affine point), …]`` (the verifier's h = Σ x^(ni)·h_i is one).
"""

from dataclasses import dataclass, field

import numpy as np

from halo2py.arith.constants import FR_MODULUS
from halo2py.poly import ops


@dataclass(eq=False)
class ProverQuery:
    point: int
    poly: np.ndarray  # coefficient form, (m, 4) Fr Montgomery, m ≤ n
    value: int | None = field(default=None, repr=False)  # f(point), when the prover already has it

    @property
    def eval(self) -> int:
        """f(point), computed once (or given: the prover wrote most of them to the transcript)."""
        if self.value is None:
            self.value = ops.evaluate(self.poly, self.point)
        return self.value

    @property
    def key(self):
        return self.poly


@dataclass(eq=False)
class VerifierQuery:
    point: int
    commitment: object  # affine (8,) uint64 point, or [(scalar, affine point), …]
    eval: int

    @property
    def key(self):
        return self.commitment


def commitment_terms(commitment) -> list:
    """A verifier commitment as [(scalar, affine point), …]."""
    if isinstance(commitment, np.ndarray):
        return [(1, commitment)]
    return [(int(s), p) for s, p in commitment]


def powers(x: int, count: int) -> list:
    """[1, x, x², …] (count terms) mod r."""
    out, acc = [], 1
    for _ in range(count):
        out.append(acc)
        acc = acc * x % FR_MODULUS
    return out


def group_by_point(queries) -> list:
    """[(point, [queries at it]), …] in order of each point's first appearance (halo2's
    ``construct_intermediate_sets`` for GWC)."""
    groups: dict = {}
    for q in queries:
        groups.setdefault(q.point % FR_MODULUS, []).append(q)
    return list(groups.items())


@dataclass
class RotationSet:
    """The commitments opened at exactly the same set of points (SHPLONK), with their evals."""

    points: list  # sorted canonical ints
    members: list  # [(key object, [eval at each point])]


def rotation_sets(queries) -> tuple:
    """(rotation sets, super point set) as in halo2's SHPLONK ``construct_intermediate_sets``.

    Each distinct polynomial/commitment (by identity, in order of first appearance) collects the
    points it is queried at; polynomials with equal point sets share a rotation set (in order of
    the first polynomial that forms it). Points inside a set are sorted, as halo2's BTreeSet.
    """
    queries = list(queries)
    per_key: dict = {}  # id(key) -> (key, set of points)
    evals: dict = {}  # (id(key), point) -> eval of the first such query
    for q in queries:
        point = q.point % FR_MODULUS
        entry = per_key.setdefault(id(q.key), (q.key, set()))
        entry[1].add(point)
        evals.setdefault((id(q.key), point), q)
    by_points: dict = {}
    for key, points in per_key.values():
        by_points.setdefault(frozenset(points), []).append(key)
    sets = []
    for points, keys in by_points.items():
        ordered = sorted(points)
        members = [(key, [evals[(id(key), p)].eval for p in ordered]) for key in keys]
        sets.append(RotationSet(ordered, members))
    super_points = sorted({q.point % FR_MODULUS for q in queries})
    return sets, super_points
