"""The compiled circuit as plain data: what the backend (keygen, prover, verifier, strategies)
reads, with no frontend object in sight (in the spirit of PSE halo2's ``halo2_middleware``).

``CompiledCircuit`` holds the columns, gates, lookups, equality columns and the queried
(column, rotation) pairs in registration order; ``CircuitShape`` derives from those the protocol's
quantities — degree d, blinding factors, usable rows — once, for both the frontend's builder
(``halo2py.frontend.constraint_system.ConstraintSystem``) and the compiled form.
"""

from __future__ import annotations

from dataclasses import dataclass

from halo2py.middleware.expression import Column, Expression, Query

PERMUTATION_DEGREE = 3  # the permutation argument's own constraints have degree 3


@dataclass(frozen=True)
class Constraint:
    """One polynomial of a gate: it must evaluate to zero on every row."""

    index: int
    name: str
    expression: Expression


@dataclass(frozen=True)
class Gate:
    index: int
    name: str
    constraints: tuple

    def degree(self) -> int:
        return max(c.expression.degree() for c in self.constraints)

    def queries(self) -> list:
        """Queried cells in first-use order (the order the cell values are reported in)."""
        seen = {}
        for c in self.constraints:
            for node in c.expression.nodes():
                if isinstance(node, Query):
                    seen.setdefault(node, None)
        return list(seen)

    def selectors(self) -> set:
        return set().union(*(c.expression.selectors() for c in self.constraints))


@dataclass(frozen=True)
class Lookup:
    """``(inputs[0], …, inputs[m-1]) ∈ {(tables[0][row], …) : row usable}``."""

    index: int
    name: str
    inputs: tuple
    tables: tuple

    def input_degree(self) -> int:
        return max([1] + [e.degree() for e in self.inputs])

    def table_degree(self) -> int:
        return max([1] + [e.degree() for e in self.tables])

    def degree(self) -> int:
        """The lookup argument's constraint
        Z(ωX)(A′+β)(S′+γ) − Z(X)(θ-compressed input + β)(θ-compressed table + γ), times l_active."""
        return max(4, 2 + self.input_degree() + self.table_degree())


@dataclass(frozen=True)
class Shuffle:
    """The rows of (inputs[0], …) are a permutation of the rows of (shuffles[0], …), usable rows."""

    index: int
    name: str
    inputs: tuple
    shuffles: tuple

    def degree(self) -> int:
        """l_active·(Z(ωX)(S + γ) − Z(X)(A + γ)) with A, S the θ-compressed tuples."""
        return 2 + max([1] + [e.degree() for e in self.inputs + self.shuffles])


class CircuitShape:
    """Protocol quantities derived from a circuit's declarations (mixed into the builder and
    the compiled circuit, which both carry ``advice_columns``, ``gates``, ``lookups`` and
    ``query_order``)."""

    def queries(self, kind: str) -> list:
        """Queried ``Query(column, rotation)`` of one column kind, in first-use order — the
        openings the prover evaluates at ω^rotation·x. Equality columns contribute rotation 0."""
        return [q for q in self.query_order if q.column.kind == kind]

    @property
    def advice_queries(self) -> list:
        return self.queries("advice")

    @property
    def fixed_queries(self) -> list:
        return self.queries("fixed")

    @property
    def instance_queries(self) -> list:
        return self.queries("instance")

    def max_advice_queries(self) -> int:
        """The largest number of distinct rotations at which any one advice column is queried."""
        counts: dict[Column, int] = {}
        for q in self.advice_queries:
            counts[q.column] = counts.get(q.column, 0) + 1
        return max(counts.values(), default=1)

    def degree(self) -> int:
        """d = max(3 (permutation), every gate's, lookup's and shuffle's required degree, and the
        minimum degree if one is set)."""
        return max([PERMUTATION_DEGREE, self.minimum_degree or 0] + [g.degree() for g in self.gates]
                   + [lk.degree() for lk in self.lookups] + [s.degree() for s in self.shuffles])

    def phases(self) -> int:
        """How many advice phases the circuit uses (1 when every column is in phase 0)."""
        return 1 + max([c.phase for c in self.advice_columns], default=0)

    def quotient_extension(self) -> int:
        """e = 2^(extended_k − k): (d − 1) rounded up to a power of two."""
        return 1 << max(0, (self.degree() - 2).bit_length())

    def blinding_factors(self) -> int:
        """Rows at the bottom of every advice column filled with randomness (halo2's rule:
        enough that the openings at x, ωx… and the multiopen reveal nothing)."""
        return max(3, self.max_advice_queries()) + 2

    def minimum_rows(self) -> int:
        """Blinding rows, plus l_last's row, plus at least one usable row on each side."""
        return self.blinding_factors() + 3

    def usable_rows(self, k: int) -> int:
        """Rows 0 .. usable_rows(k) − 1 may be assigned; row usable_rows(k) is l_last."""
        return (1 << k) - self.blinding_factors() - 1

    def minimum_k(self, rows: int) -> int:
        """The smallest k whose table has ``rows`` usable rows and at least ``minimum_rows``."""
        k = 1
        while self.usable_rows(k) < rows or (1 << k) < self.minimum_rows():
            k += 1
        return k


@dataclass(frozen=True)
class CompiledCircuit(CircuitShape):
    """A constraint system, frozen: everything keygen, prover and verifier need to know about the
    circuit besides the values in its columns."""

    advice_columns: tuple
    fixed_columns: tuple
    instance_columns: tuple
    selectors: tuple
    table_columns: tuple          # fixed columns filled by tables (unused rows repeat row 0)
    permutation_columns: tuple    # equality-enabled columns, in enabling order
    constants_columns: tuple
    gates: tuple
    lookups: tuple
    query_order: tuple            # every queried Query, in registration order
    challenges: tuple = ()        # the circuit's own challenges (Challenge nodes, with their phase)
    shuffles: tuple = ()
    minimum_degree: int | None = None
