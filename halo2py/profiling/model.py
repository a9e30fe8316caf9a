"""The analytic memory model: predicted heap peak of each phase of a proof, for any circuit shape
and any strategy.

Units: V = one column of n field elements = 32·n bytes. Every term below names the arrays it
counts (see docs/memory.md for the derivation and the measured agreement). What the quotient
strategy holds is the strategy's own ``model_bytes`` term, so a new strategy brings its model.
Circuit-specific transients of synthesis (how a circuit builds its witness) are not modelled.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from halo2py.quotient.registry import load
from halo2py.quotient.strategy import ELEMENT_BYTES, QuotientShape

G1_AFFINE_BYTES = 64
# Allocations of a proof that do not grow with n (interpreter objects, the compiled program, the
# transcript, kernels' scratch). Measured at 0–0.15 MiB, plus one 1 MiB pymalloc arena or not,
# depending on where the interpreter's free pools stand: the model takes the middle.
RUNTIME_BYTES = 600_000


@dataclass(frozen=True)
class ProofShape:
    """The column counts and sizes that fix a proof's memory."""

    k: int
    e: int
    d: int
    advice: int
    fixed: int        # the circuit's fixed columns (selectors not included)
    selectors: int
    instance: int
    permutation: int  # equality-enabled columns (σ polynomials)
    permutation_sets: int
    lookups: int
    quotient_polys: int  # polynomials the quotient program reads
    quotient_queries: int  # distinct (polynomial, rotation) pairs it reads
    shuffles: int = 0
    selector_columns: int | None = None  # fixed columns keygen made for the selectors (None: one each)
    phases: int = 1
    copies: int = 1  # circuit copies in the proof (the counts above already include every copy)

    @property
    def selector_cols(self) -> int:
        return self.selectors if self.selector_columns is None else self.selector_columns

    @property
    def n(self) -> int:
        return 1 << self.k

    @classmethod
    def from_layout(cls, layout, k: int, copies: int = 1) -> ProofShape:
        """The shape of a proof of ``copies`` circuit copies: each copy brings its own advice,
        instance and argument columns; fixed, selector and σ columns are the key's, shared."""
        cs = layout.cs
        constraints = layout.copy_constraints(copies)
        return cls(k=k, e=cs.quotient_extension(), d=layout.degree, advice=copies * len(cs.advice_columns),
                   fixed=len(cs.fixed_columns), selectors=len(cs.selectors),
                   instance=copies * len(cs.instance_columns), permutation=len(layout.permutation_columns),
                   permutation_sets=copies * len(layout.permutation_sets), lookups=copies * len(cs.lookups),
                   quotient_polys=len(layout.copy_quotient_columns(copies)),
                   quotient_queries=len({(q.column, q.rotation) for c in constraints for q in c.queries()}),
                   shuffles=copies * len(cs.shuffles), selector_columns=len(layout.selector_columns),
                   phases=cs.phases(), copies=copies)

    def quotient_shape(self) -> QuotientShape:
        return QuotientShape(n=self.n, e=self.e, pieces=self.d - 1, polys=self.quotient_polys,
                             queries=self.quotient_queries)


@dataclass
class MemoryModel:
    """Predicted peak bytes per phase; ``total`` is the whole proof's predicted peak.

    ``components[phase]`` names what the phase's peak is made of — columns by kind and basis, the
    SRS, twiddles, the strategy's buffers, the runtime — and sums to ``phases[phase]`` exactly, so
    ``halo2py profile`` can show a measured peak beside the terms that predict it.
    """

    phases: dict = field(default_factory=dict)
    terms: dict = field(default_factory=dict)  # named persistent terms, in bytes
    components: dict = field(default_factory=dict)  # phase -> {component name: bytes}

    @property
    def total(self) -> int:
        return max(self.phases.values())


def predict(shape: ProofShape, strategy) -> MemoryModel:
    """Model of a proof of ``shape`` with ``strategy`` (a class or a registered name)."""
    if isinstance(strategy, str):
        strategy = load(strategy)
    s = shape
    V = ELEMENT_BYTES * s.n
    L, pg, SH = s.lookups, s.permutation_sets, s.shuffles
    # Held from synthesis on. The synthesised table: advice, fixed, instance values; int32 owner
    # per advice/fixed cell and per selector cell; one byte per selector cell (each copy is
    # synthesised: its own fixed columns, owners and selectors too). Advice values are blinded and
    # turned into coefficients in place by the prover: they exist once.
    table = {
        "advice (values → coefficients)": V * s.advice,
        "fixed (values)": V * s.copies * s.fixed,
        "instance (values)": V * s.instance,
        "cell owners, selector cells": (s.n * 4) * (s.advice + s.copies * (s.fixed + s.selectors))
        + s.copies * s.n * s.selectors,
    }
    base = {
        "runtime": RUNTIME_BYTES,
        "SRS (g, g_lagrange)": 2 * G1_AFFINE_BYTES * s.n,  # n affine G1 points each
        "twiddles ω^j, size n": V // 2,  # for size-n transforms: n/2 elements
        **table,
    }
    # Proving key: selector columns' values, fixed polynomials (coefficients; fixed values are
    # shared with the assignment), σ values and polynomials, l0, l_last, l_active.
    key = {
        "selector columns (values)": V * s.selector_cols,
        "fixed, selector (coefficients)": V * (s.fixed + s.selector_cols),
        "σ (values)": V * s.permutation,
        "σ (coefficients)": V * s.permutation,
        "l0, l_last, l_active": 3 * V,
    }
    held = {**base, **key}
    assignment = sum(table.values())
    lookup_columns = {"lookup A, S (compressed)": 2 * V * L, "lookup A′, S′": 2 * V * L}
    products = {"permutation products Z": V * pg}
    components = {
        "synthesis": base,
        "keygen": {**held, "ω^j column while σ is built": V},
        "advice commit": held,
        # A′, S′ committed and the compressed A, S kept for Z; transient: the sort's keys
        "lookups": {**held, **lookup_columns, "lookup sort keys (transient)": 2 * V if L else 0},
        # running products, plus ω^j and the ratio column while one is built
        "permutation": {**held, **lookup_columns, **products, "ω^j, ratio column (transient)": 2 * V},
    }
    # A, S, A′, S′, the permutation products, and Z with its ratio column while one is built;
    # then each shuffle's compressed A, S and ratio column beside the products made so far
    if 4 * L + 2 >= 3 * L + (3 if SH else 0) + SH:
        components["lookup products"] = {**held, **lookup_columns, **products,
                                         "lookup Z, ratio column (transient)": 2 * V}
    else:
        components["lookup products"] = {**held, "lookup A′, S′": 2 * V * L, "lookup Z": V * L, **products,
                                         "shuffle Z": V * SH, "shuffle A, S, ratio column (transient)": 3 * V}
    if s.phases > 1:  # a later phase re-synthesises the table; its advice columns are kept
        components["advice commit"] = {**held, "later phase's synthesised table": assignment}
    before_quotient = {**held, "lookup A′, S′": 2 * V * L, "lookup Z": V * L, **products, "shuffle Z": V * SH,
                       "vanishing random polynomial": V}
    extended_twiddles = {"twiddles, extended domain": V * s.e // 2}
    strategy_bytes = strategy.model_bytes(s.quotient_shape())
    components["quotient"] = {**before_quotient, **extended_twiddles, "quotient strategy buffers": strategy_bytes}
    components["evaluations"] = {**before_quotient, "h pieces (d − 1)": V * (s.d - 1), **extended_twiddles}
    # h = Σ x^{ni} h_i and the opening's quotient
    components["multiopen"] = {**components["evaluations"], "h, opening quotient": 2 * V}
    terms = {"runtime": base["runtime"], "srs": base["SRS (g, g_lagrange)"], "twiddles": base["twiddles ω^j, size n"],
             "assignment": assignment, "proving_key": sum(key.values()), "quotient_strategy": strategy_bytes}
    return MemoryModel({name: sum(c.values()) for name, c in components.items()}, terms, components)
