"""The backend's view of a constraint system: every column the protocol commits or opens, and
the one list of constraints the quotient must divide by X^n − 1.

halo2 keeps the custom gates as expressions and writes the permutation and lookup constraints
by hand twice (prover's ``evaluate_h``, verifier's ``expressions``). Here those constraints are
written once, as expressions over *internal* columns (σ, permutation products, lookup A′/S′/Z,
l0/l_last/l_active), the evaluation point X and the challenges θ, β, γ. The prover compiles the
list into a register program that a quotient strategy runs over the extended domain; the
verifier evaluates the very same list over Python ints at x. Both sides agree by construction.

Selectors become ordinary fixed columns (one each, appended after the circuit's fixed columns),
which is what halo2 does before selector compression.
"""

from __future__ import annotations

from dataclasses import dataclass

from halo2py.arith.constants import FR_GENERATOR, FR_MODULUS, FR_TWO_ADICITY
from halo2py.middleware.circuit import CompiledCircuit
from halo2py.middleware.expression import (
    Challenge, Column, Constant, Expression, Negated, Product, Scaled, Sum, VariableX,
)

# δ: a generator of the 2^S-torsion-free part; δ^j·⟨ω⟩ are disjoint cosets labelling columns.
DELTA = pow(FR_GENERATOR, 1 << FR_TWO_ADICITY, FR_MODULUS)


@dataclass(frozen=True)
class LookupColumns:
    permuted_input: Column  # A′
    permuted_table: Column  # S′
    product: Column         # Z


class ProtocolLayout:
    """Columns and constraints of the protocol for one constraint system.

    Challenge indices: the circuit's own challenges come first (none yet: single phase), then
    θ, β, γ at ``THETA``, ``BETA``, ``GAMMA``.
    """

    THETA, BETA, GAMMA = 0, 1, 2

    def __init__(self, cs: CompiledCircuit):
        self.cs = cs
        self.degree = cs.degree()
        self.blinding_factors = cs.blinding_factors()
        base = len(cs.fixed_columns)
        self.selector_columns = [Column("fixed", base + s.index, s.name) for s in cs.selectors]
        self.fixed_columns = list(cs.fixed_columns) + self.selector_columns
        self.advice_columns = list(cs.advice_columns)
        self.instance_columns = list(cs.instance_columns)
        self.permutation_columns = list(cs.permutation_columns)
        self.chunk_len = self.degree - 2
        self.permutation_sets = [self.permutation_columns[i:i + self.chunk_len]
                                 for i in range(0, len(self.permutation_columns), self.chunk_len)]

        internal = []

        def new(name: str) -> Column:
            col = Column("internal", len(internal), name)
            internal.append(col)
            return col

        self.l0, self.l_last, self.l_active = new("l_0"), new("l_last"), new("l_active")
        self.sigmas = [new(f"sigma_{j}") for j in range(len(self.permutation_columns))]
        self.permutation_products = [new(f"z_perm_{s}") for s in range(len(self.permutation_sets))]
        self.lookups = [LookupColumns(new(f"A'_{lk.index}"), new(f"S'_{lk.index}"), new(f"Z_{lk.index}"))
                        for lk in cs.lookups]
        self.internal_columns = internal

        self.gate_constraints = [self.lower(c.expression) for g in cs.gates for c in g.constraints]
        self.lookup_inputs = [self.compress([self.lower(e) for e in lk.inputs]) for lk in cs.lookups]
        self.lookup_tables = [self.compress([self.lower(e) for e in lk.tables]) for lk in cs.lookups]
        self.advice_queries = [q for q in cs.advice_queries]
        self.fixed_queries = list(cs.fixed_queries) + [c.cur() for c in self.selector_columns]
        self.instance_queries = list(cs.instance_queries)

    # --- expression plumbing -------------------------------------------------------------------
    def lower(self, expr: Expression) -> Expression:
        """The expression with each Selector replaced by a query of its fixed column."""
        return expr.evaluate(
            constant=Constant, selector=lambda s: self.selector_columns[s.index].cur(),
            query=lambda q: q, challenge=lambda c: c, variable_x=VariableX,
            negated=Negated, sum=Sum, product=Product, scaled=Scaled)

    def compress(self, expressions: list) -> Expression:
        """θ-compression of a lookup tuple: ((e_0)·θ + e_1)·θ + … (halo2's order)."""
        theta = Challenge(self.THETA, "theta")
        acc = expressions[0]
        for e in expressions[1:]:
            acc = acc * theta + e
        return acc

    @property
    def challenge_count(self) -> int:
        return 3

    # --- the quotient's constraints, in halo2's order --------------------------------------------
    def quotient_constraints(self) -> list:
        """Gates, then the permutation argument, then each lookup (as halo2's verifier lists them)."""
        return self.gate_constraints + self.permutation_constraints() + self.lookup_constraints()

    def permutation_constraints(self) -> list:
        if not self.permutation_sets:
            return []
        beta, gamma = Challenge(self.BETA, "beta"), Challenge(self.GAMMA, "gamma")
        l0, l_last, l_active = self.l0.cur(), self.l_last.cur(), self.l_active.cur()
        zs = self.permutation_products
        last_rotation = -(self.blinding_factors + 1)
        out = [l0 * (1 - zs[0].cur()),
               l_last * (zs[-1].cur().square() - zs[-1].cur())]
        out += [l0 * (zs[s].cur() - zs[s - 1].rot(last_rotation)) for s in range(1, len(zs))]
        for s, columns in enumerate(self.permutation_sets):
            left, right = zs[s].next(), zs[s].cur()
            for j, column in enumerate(columns):
                global_j = s * self.chunk_len + j
                value = column.cur()
                left = left * (value + beta * self.sigmas[global_j].cur() + gamma)
                delta_j = pow(DELTA, global_j, FR_MODULUS)
                right = right * (value + (beta * VariableX()) * delta_j + gamma)
            out.append(l_active * (left - right))
        return out

    def lookup_constraints(self) -> list:
        beta, gamma = Challenge(self.BETA, "beta"), Challenge(self.GAMMA, "gamma")
        l0, l_last, l_active = self.l0.cur(), self.l_last.cur(), self.l_active.cur()
        out = []
        for cols, compressed_in, compressed_table in zip(self.lookups, self.lookup_inputs, self.lookup_tables):
            z, a, s = cols.product, cols.permuted_input, cols.permuted_table
            left = z.next() * (a.cur() + beta) * (s.cur() + gamma)
            right = z.cur() * (compressed_in + beta) * (compressed_table + gamma)
            out += [
                l0 * (1 - z.cur()),
                l_last * (z.cur().square() - z.cur()),
                l_active * (left - right),
                l0 * (a.cur() - s.cur()),
                l_active * (a.cur() - s.cur()) * (a.cur() - a.prev()),
            ]
        return out

    # --- the polynomials the quotient program reads ------------------------------------------------
    def quotient_columns(self) -> list:
        """Every column the quotient constraints query, in slot order (fixed, advice, instance,
        internal) restricted to those actually used."""
        used = set()
        for expr in self.quotient_constraints():
            used.update(q.column for q in expr.queries())
        order = self.fixed_columns + self.advice_columns + self.instance_columns + self.internal_columns
        return [c for c in order if c in used]


def opening_queries(layout: ProtocolLayout) -> list:
    """(column, rotation) pairs the multiopen argument opens, in halo2's order, except the
    vanishing argument's h and random polynomial (both at x), which come last."""
    out = [(q.column, q.rotation) for q in layout.advice_queries]
    zs = layout.permutation_products
    for z in zs:
        out += [(z, 0), (z, 1)]
    out += [(z, -(layout.blinding_factors + 1)) for z in reversed(zs[:-1])]
    for cols in layout.lookups:
        out += [(cols.product, 0), (cols.permuted_input, 0), (cols.permuted_table, 0),
                (cols.permuted_input, -1), (cols.product, 1)]
    out += [(q.column, q.rotation) for q in layout.fixed_queries]
    out += [(sigma, 0) for sigma in layout.sigmas]
    return out


def evaluations_before_random(layout: ProtocolLayout) -> list:
    """Evaluations written before the vanishing argument's random-polynomial evaluation."""
    return [(q.column, q.rotation) for q in layout.advice_queries + layout.fixed_queries]


def evaluations_after_random(layout: ProtocolLayout) -> list:
    """σ(x); each permutation product at x, ωx (and ω^last·x but for the last); each lookup's
    Z(x), Z(ωx), A′(x), A′(ω⁻¹x), S′(x) — the order halo2 writes them in."""
    out = [(sigma, 0) for sigma in layout.sigmas]
    zs = layout.permutation_products
    for s, z in enumerate(zs):
        out += [(z, 0), (z, 1)]
        if s < len(zs) - 1:
            out.append((z, -(layout.blinding_factors + 1)))
    for cols in layout.lookups:
        out += [(cols.product, 0), (cols.product, 1), (cols.permuted_input, 0),
                (cols.permuted_input, -1), (cols.permuted_table, 0)]
    return out
