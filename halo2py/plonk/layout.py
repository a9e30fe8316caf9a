"""The backend's view of a constraint system: every column the protocol commits or opens, and
the one list of constraints the quotient must divide by X^n − 1.

halo2 keeps the custom gates as expressions and writes the permutation and lookup constraints
by hand twice (prover's ``evaluate_h``, verifier's ``expressions``). Here those constraints are
written once, as expressions over *internal* columns (σ, permutation products, lookup A′/S′/Z,
l0/l_last/l_active), the evaluation point X and the challenges θ, β, γ. The prover compiles the
list into a register program that a quotient strategy runs over the extended domain; the
verifier evaluates the very same list over Python ints at x. Both sides agree by construction.

Selectors become fixed columns appended after the circuit's own (``halo2py.plonk.selectors``:
one each, or halo2's compression), and each Selector leaf is replaced by its column expression.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from halo2py.arith.constants import FR_GENERATOR, FR_MODULUS, FR_TWO_ADICITY
from halo2py.middleware.circuit import CompiledCircuit
from halo2py.plonk.selectors import SelectorColumns, direct
from halo2py.middleware.expression import (
    Challenge, Column, Constant, Expression, Negated, Product, Query, Scaled, Sum, VariableX,
)

# δ: a generator of the 2^S-torsion-free part; δ^j·⟨ω⟩ are disjoint cosets labelling columns.
DELTA = pow(FR_GENERATOR, 1 << FR_TWO_ADICITY, FR_MODULUS)


@dataclass(frozen=True)
class LookupColumns:
    """A classic lookup's committed columns, or (log-derivative) its multiplicities m and grand
    sum φ in ``permuted_input`` / ``product``, ``permuted_table`` unused (None)."""

    permuted_input: Column  # A′ (classic) or m (log-derivative)
    permuted_table: Column | None  # S′ (classic)
    product: Column         # Z (classic) or φ (log-derivative)


class ProtocolLayout:
    """Columns and constraints of the protocol for one compiled circuit.

    ``selectors`` says how the circuit's selectors became fixed columns (``plonk.selectors``;
    default: one column each). Challenge indices: the circuit's own challenges come first, then
    θ, β, γ at ``theta``, ``beta``, ``gamma``.
    """

    def __init__(self, cs: CompiledCircuit, selectors: SelectorColumns | None = None,
                 lookup: str = "classic"):
        self.cs = cs
        self.selector_columns_map = selectors if selectors is not None else direct(cs.selectors)
        self.lookup_kind = lookup
        self.degree = cs.degree()
        self.blinding_factors = cs.blinding_factors()
        base = len(cs.fixed_columns)
        self.selector_columns = [Column("fixed", base + i, f"selector_column_{i}")
                                 for i in range(self.selector_columns_map.columns)]
        self.fixed_columns = list(cs.fixed_columns) + self.selector_columns
        self.advice_columns = list(cs.advice_columns)
        self.instance_columns = list(cs.instance_columns)
        self.permutation_columns = list(cs.permutation_columns)
        self.chunk_len = self.degree - 2
        self.permutation_sets = [self.permutation_columns[i:i + self.chunk_len]
                                 for i in range(0, len(self.permutation_columns), self.chunk_len)]
        self.circuit_challenges = list(cs.challenges)
        nc = len(self.circuit_challenges)
        self.theta, self.beta, self.gamma = nc, nc + 1, nc + 2

        internal = []

        def new(name: str) -> Column:
            col = Column("internal", len(internal), name)
            internal.append(col)
            return col

        self.l0, self.l_last, self.l_active = new("l_0"), new("l_last"), new("l_active")
        self.sigmas = [new(f"sigma_{j}") for j in range(len(self.permutation_columns))]
        self.permutation_products = [new(f"z_perm_{s}") for s in range(len(self.permutation_sets))]
        if lookup == "classic":
            self.lookups = [LookupColumns(new(f"A'_{lk.index}"), new(f"S'_{lk.index}"), new(f"Z_{lk.index}"))
                            for lk in cs.lookups]
        else:
            self.lookups = [LookupColumns(new(f"m_{lk.index}"), None, new(f"phi_{lk.index}")) for lk in cs.lookups]
        self.shuffle_products = [new(f"Z_shuffle_{sh.index}") for sh in cs.shuffles]
        self.internal_columns = internal

        self.gate_constraints = [self.lower(c.expression) for g in cs.gates for c in g.constraints]
        self.lookup_inputs = [self.compress([self.lower(e) for e in lk.inputs]) for lk in cs.lookups]
        self.lookup_tables = [self.compress([self.lower(e) for e in lk.tables]) for lk in cs.lookups]
        self.shuffle_inputs = [self.compress([self.lower(e) for e in sh.inputs]) for sh in cs.shuffles]
        self.shuffle_tables = [self.compress([self.lower(e) for e in sh.shuffles]) for sh in cs.shuffles]
        self.advice_queries = [q for q in cs.advice_queries]
        self.fixed_queries = list(cs.fixed_queries) + [c.cur() for c in self.selector_columns]
        self.instance_queries = list(cs.instance_queries)
        self._shared = set(self.fixed_columns) | set(self.sigmas) | {self.l0, self.l_last, self.l_active}

    # --- expression plumbing -------------------------------------------------------------------
    def lower(self, expr: Expression) -> Expression:
        """The expression with each Selector replaced by its fixed-column expression."""
        base = len(self.cs.fixed_columns)
        return expr.evaluate(
            constant=Constant, selector=lambda s: self.selector_columns_map.expression(s, base),
            query=lambda q: q, challenge=lambda c: c, variable_x=VariableX,
            negated=Negated, sum=Sum, product=Product, scaled=Scaled)

    def compress(self, expressions: list) -> Expression:
        """θ-compression of a tuple: ((e_0)·θ + e_1)·θ + … (halo2's order)."""
        theta = Challenge(self.theta, "theta")
        acc = expressions[0]
        for e in expressions[1:]:
            acc = acc * theta + e
        return acc

    @property
    def challenge_count(self) -> int:
        return len(self.circuit_challenges) + 3

    @property
    def phases(self) -> int:
        return self.cs.phases()

    def advice_of_phase(self, phase: int) -> list:
        return [c for c in self.advice_columns if c.phase == phase]

    def challenges_after(self, phase: int) -> list:
        return [c for c in self.circuit_challenges if c.phase == phase]

    # --- the quotient's constraints, in halo2's order --------------------------------------------
    def quotient_constraints(self) -> list:
        """Gates, the permutation argument, each lookup, each shuffle (halo2's verifier order)."""
        return (self.gate_constraints + self.permutation_constraints() + self.lookup_constraints()
                + self.shuffle_constraints())

    def permutation_constraints(self) -> list:
        if not self.permutation_sets:
            return []
        beta, gamma = Challenge(self.beta, "beta"), Challenge(self.gamma, "gamma")
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
        beta, gamma = Challenge(self.beta, "beta"), Challenge(self.gamma, "gamma")
        l0, l_last, l_active = self.l0.cur(), self.l_last.cur(), self.l_active.cur()
        out = []
        for cols, compressed_in, compressed_table in zip(self.lookups, self.lookup_inputs, self.lookup_tables):
            if self.lookup_kind != "classic":
                # φ(ωX) − φ(X) = 1/(f + β) − m/(t + β), multiplied out by (f + β)(t + β)
                phi, m = cols.product, cols.permuted_input
                f_beta, t_beta = compressed_in + beta, compressed_table + beta
                out += [
                    l0 * phi.cur(),
                    l_last * phi.cur(),
                    l_active * (t_beta * f_beta * (phi.next() - phi.cur()) - (t_beta - m.cur() * f_beta)),
                ]
                continue
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

    def shuffle_constraints(self) -> list:
        gamma = Challenge(self.gamma, "gamma")
        l0, l_last, l_active = self.l0.cur(), self.l_last.cur(), self.l_active.cur()
        out = []
        for z, compressed_in, compressed_shuffle in zip(self.shuffle_products, self.shuffle_inputs,
                                                         self.shuffle_tables):
            out += [
                l0 * (1 - z.cur()),
                l_last * (z.cur().square() - z.cur()),
                l_active * (z.next() * (compressed_shuffle + gamma) - z.cur() * (compressed_in + gamma)),
            ]
        return out

    # --- several circuit copies per proof ----------------------------------------------------------
    def shared_columns(self) -> set:
        """Columns every copy shares: the proving key's (fixed, selector columns, σ, l0 …)."""
        return self._shared

    def copy_column(self, column: Column, copy: int) -> Column:
        """Copy ``copy``'s instance of a per-copy column (advice, instance, the arguments' own
        polynomials); copy 0 is the column itself, so one copy is exactly the single-circuit case."""
        if copy == 0 or column in self.shared_columns():
            return column
        return dataclasses.replace(column, name=f"{column.name}#{copy}")

    def at_copy(self, expr: Expression, copy: int) -> Expression:
        if copy == 0:
            return expr
        return expr.evaluate(
            constant=Constant, selector=lambda s: s,
            query=lambda q: Query(self.copy_column(q.column, copy), q.rotation),
            challenge=lambda c: c, variable_x=VariableX, negated=Negated, sum=Sum, product=Product, scaled=Scaled)

    def copy_constraints(self, copies: int) -> list:
        """halo2's flat list over the copies: each copy's gates, permutation, lookups, shuffles."""
        own = self.quotient_constraints()
        return [self.at_copy(e, c) for c in range(copies) for e in own]

    def copy_quotient_columns(self, copies: int) -> list:
        used = set()
        for expr in self.copy_constraints(copies):
            used.update(q.column for q in expr.queries())
        shared = self.shared_columns()
        per_copy = self.advice_columns + self.instance_columns + [c for c in self.internal_columns if c not in shared]
        order = self.fixed_columns + [self.copy_column(c, k) for k in range(copies) for c in per_copy] + \
            [c for c in self.internal_columns if c in shared]
        return [c for c in order if c in used]

    # --- the polynomials the quotient program reads ------------------------------------------------
    def quotient_columns(self) -> list:
        """Every column the quotient constraints query, in slot order (fixed, advice, instance,
        internal) restricted to those actually used."""
        used = set()
        for expr in self.quotient_constraints():
            used.update(q.column for q in expr.queries())
        order = self.fixed_columns + self.advice_columns + self.instance_columns + self.internal_columns
        return [c for c in order if c in used]


def _per_copy_openings(layout: ProtocolLayout, instance: bool) -> list:
    out = [(q.column, q.rotation) for q in layout.instance_queries] if instance else []
    out += [(q.column, q.rotation) for q in layout.advice_queries]
    zs = layout.permutation_products
    for z in zs:
        out += [(z, 0), (z, 1)]
    out += [(z, -(layout.blinding_factors + 1)) for z in reversed(zs[:-1])]
    for cols in layout.lookups:
        if layout.lookup_kind == "classic":
            out += [(cols.product, 0), (cols.permuted_input, 0), (cols.permuted_table, 0),
                    (cols.permuted_input, -1), (cols.product, 1)]
        else:  # log-derivative: φ at x and ωx, m at x
            out += [(cols.product, 0), (cols.product, 1), (cols.permuted_input, 0)]
    for z in layout.shuffle_products:
        out += [(z, 0), (z, 1)]
    return out


def opening_queries(layout: ProtocolLayout, copies: int = 1, instance: bool = False) -> list:
    """(column, rotation) pairs the multiopen argument opens, in halo2's order — per copy its
    instance (when committed), advice, permutation, lookup and shuffle queries, then the shared
    fixed and σ ones — except the vanishing argument's h and random polynomial (both at x),
    which come last."""
    own = _per_copy_openings(layout, instance)
    out = [(layout.copy_column(col, c), rot) for c in range(copies) for col, rot in own]
    out += [(q.column, q.rotation) for q in layout.fixed_queries]
    out += [(sigma, 0) for sigma in layout.sigmas]
    return out


def instance_evaluations(layout: ProtocolLayout, copies: int = 1) -> list:
    """Instance evaluations a proof carries when it commits instances (GWC in Scroll's dialects)."""
    return [(layout.copy_column(q.column, c), q.rotation) for c in range(copies) for q in layout.instance_queries]


def evaluations_before_random(layout: ProtocolLayout, copies: int = 1) -> list:
    """Evaluations written before the vanishing argument's random-polynomial evaluation: each
    copy's advice queries, then the fixed ones."""
    return ([(layout.copy_column(q.column, c), q.rotation) for c in range(copies) for q in layout.advice_queries]
            + [(q.column, q.rotation) for q in layout.fixed_queries])


def evaluations_after_random(layout: ProtocolLayout, copies: int = 1) -> list:
    """σ(x); then per copy each permutation product at x, ωx (and ω^last·x but for the last); per
    copy each lookup's Z(x), Z(ωx), A′(x), A′(ω⁻¹x), S′(x) (log-derivative: φ(x), φ(ωx), m(x)); per
    copy each shuffle's Z(x), Z(ωx) — the order halo2 writes them in."""
    out = [(sigma, 0) for sigma in layout.sigmas]
    zs = layout.permutation_products
    for c in range(copies):
        for s, z in enumerate(zs):
            z = layout.copy_column(z, c)
            out += [(z, 0), (z, 1)]
            if s < len(zs) - 1:
                out.append((z, -(layout.blinding_factors + 1)))
    for c in range(copies):
        for cols in layout.lookups:
            if layout.lookup_kind == "classic":
                z, a, t = (layout.copy_column(x, c) for x in (cols.product, cols.permuted_input, cols.permuted_table))
                out += [(z, 0), (z, 1), (a, 0), (a, -1), (t, 0)]
            else:  # φ(x), φ(ωx), m(x)
                phi, m = layout.copy_column(cols.product, c), layout.copy_column(cols.permuted_input, c)
                out += [(phi, 0), (phi, 1), (m, 0)]
    for c in range(copies):
        for z in layout.shuffle_products:
            z = layout.copy_column(z, c)
            out += [(z, 0), (z, 1)]
    return out
