"""The analytic memory model: predicted heap peak of each phase of a proof, for any circuit shape
and any strategy.

Units: V = one column of n field elements = 32·n bytes. Every term below names the arrays it
counts (see docs/memory.md for the derivation and the measured agreement). What the quotient
strategy holds is the strategy's own ``model_bytes`` term, so a new strategy brings its model.
Circuit-specific transients of synthesis (how a circuit builds its witness) are not modelled.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numba

from halo2py.curve.msm import window_bits
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
    table_columns: int = 0  # fixed columns filled by lookup tables (assigned outside regions)
    synthesis_scratch: float = 0.0  # columns the circuit's witness computation holds (its own term)

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
                   phases=cs.phases(), copies=copies, table_columns=len(cs.table_columns))

    def quotient_shape(self) -> QuotientShape:
        return QuotientShape(n=self.n, e=self.e, pieces=self.d - 1, polys=self.quotient_polys,
                             queries=self.quotient_queries)


@dataclass
class MemoryModel:
    """Predicted peak bytes per phase; ``total`` is the whole proof's predicted peak."""

    phases: dict = field(default_factory=dict)
    terms: dict = field(default_factory=dict)  # named persistent terms, in bytes

    @property
    def total(self) -> int:
        return max(self.phases.values())


def predict(shape: ProofShape, strategy, spill: bool = False) -> MemoryModel:
    """Model of a proof of ``shape`` with ``strategy`` (a class or a registered name); ``spill``:
    out of core (``--spill``), see ``predict_spilled``."""
    if isinstance(strategy, str):
        strategy = load(strategy)
    if spill:
        return predict_spilled(shape, strategy)
    s = shape
    V = ELEMENT_BYTES * s.n
    terms = {
        "runtime": RUNTIME_BYTES,
        # g and g_lagrange: n affine G1 points each.
        "srs": 2 * G1_AFFINE_BYTES * s.n,
        # ω^j twiddles for size-n transforms: n/2 elements.
        "twiddles": V // 2,
        # The synthesised table: advice, fixed, instance values; int32 owner per advice/fixed
        # cell and per selector cell; one byte per selector cell.
        # (each copy is synthesised: its own fixed columns, owners and selectors too)
        "assignment": V * (s.advice + s.copies * s.fixed + s.instance)
        + (s.n * 4) * (s.advice + s.copies * (s.fixed + s.selectors)) + s.copies * s.n * s.selectors,
        # Proving key: selector columns' values, fixed polynomials (coefficients; fixed values are
        # shared with the assignment), σ values and polynomials, l0, l_last, l_active.
        "proving_key": V * (s.selector_cols + (s.fixed + s.selector_cols) + 2 * s.permutation + 3),
    }
    base = terms["runtime"] + terms["srs"] + terms["twiddles"] + terms["assignment"]
    held = base + terms["proving_key"]
    L, pg, SH = s.lookups, s.permutation_sets, s.shuffles
    phases = {
        "synthesis": base,
        "keygen": held + V,  # one column of ω^j while σ is built
        "advice commit": held,
        # A′, S′ committed and the compressed A, S kept for Z; transient: the sort's keys
        "lookups": held + V * (4 * L + (2 if L else 0)),
        # running products, plus ω^j and the ratio column while one is built
        "permutation": held + V * (4 * L + pg + 2),
        # A, S, A′, S′, the permutation products, and Z with its ratio column while one is built;
        # then each shuffle's compressed A, S and ratio column beside the products made so far
        "lookup products": held + V * (max(4 * L + 2, 3 * L + (3 if SH else 0) + SH) + pg),
    }
    if s.phases > 1:  # a later phase re-synthesises the table; its advice columns are kept
        phases["advice commit"] = held + terms["assignment"]
    before_quotient = held + V * (3 * L + pg + SH)
    extended_twiddles = V * s.e // 2
    strategy_bytes = strategy.model_bytes(s.quotient_shape())
    phases["quotient"] = before_quotient + V + extended_twiddles + strategy_bytes
    after_quotient = before_quotient + V * (1 + s.d - 1) + extended_twiddles
    phases["evaluations"] = after_quotient
    phases["multiopen"] = after_quotient + 2 * V  # h = Σ x^{ni} h_i and the opening's quotient
    terms["quotient_strategy"] = strategy_bytes
    return MemoryModel(phases, terms)


# Bytes per Pippenger bucket a thread holds: batch-affine bucket, its Jacobian spill, a busy flag.
MSM_BUCKET_BYTES = 64 + 96 + 1


def msm_scratch_bytes(n: int) -> int:
    """One commitment's heap: the scalars out of Montgomery form and the GLV column β·x (one
    column each), and every thread's 2^(c−1) buckets for the window c the MSM picks for n."""
    return 2 * ELEMENT_BYTES * n + numba.config.NUMBA_NUM_THREADS * (1 << (window_bits(n, True) - 1)) * MSM_BUCKET_BYTES


def predict_spilled(shape: ProofShape, strategy) -> MemoryModel:
    """Model of the *heap* (anonymous memory) of a proof with ``--spill``: every kept column —
    the table, the proving key, committed columns, the SRS, the strategy's buffers — lives in
    spill files (page cache, not heap), so what remains are each phase's transients. See
    docs/memory.md ("Out of core"). ``strategy`` only names the quotient's scratch, which a
    strategy that takes its buffers from ``QuotientTask.allocate`` (all built-ins) spills."""
    s = shape
    V = ELEMENT_BYTES * s.n
    per_copy_advice = s.advice // s.copies
    msm = msm_scratch_bytes(s.n)
    terms = {
        "runtime": RUNTIME_BYTES,
        "twiddles": V // 2,  # from keygen's first transform on
        # int32 owner per advice, fixed and selector cell of one copy (dropped once it is
        # synthesised) and one byte per selector cell (kept until keygen has read them)
        "owners": s.n * 4 * (per_copy_advice + s.fixed + s.selectors),
        "selectors": s.copies * s.n * s.selectors,
        # the layouter's record of a region's bulk assignments, held until the region is
        # placed: every advice and fixed column but the lookup tables', once
        "region_record": V * (per_copy_advice + s.fixed - s.table_columns),
        "synthesis_scratch": int(V * s.synthesis_scratch),
        "msm": msm,
    }
    base = terms["runtime"] + terms["twiddles"]
    pg = s.permutation_sets
    phases = {
        "synthesis": terms["runtime"] + terms["owners"] + terms["selectors"] + terms["region_record"]
        + terms["synthesis_scratch"],
        # σ: the flat cycle mapping (int32 per cell), ω^j, one σ column with its two gathered
        # factors and row/column indices; or a commitment
        "keygen": base + terms["selectors"] + max(s.permutation * s.n * 4 + V * 17 // 4, msm),
        "advice commit": base + msm,
        # the sort of A and S: both (2n rows), canonical, reversed keys, np.unique's sorted copy,
        # the inverse indices — ~10 columns; or a commitment
        "lookups": base + (max(10 * V, msm) if s.lookups else msm),
        # one copy's products, then their commitments (ω^j and the ratio while one is built)
        "permutation": base + V * pg // s.copies + max(2 * V, msm),
        # Z (or φ) with its ratio column, then its commitment
        "lookup products": base + max(3 * V, V + msm),
        # the size-e·n transforms' tables (forward and inverse twiddles) and working space, then
        # the pieces' commitments; every buffer of the strategy is spilled. Measured 9.8 V at
        # k = 16 and k = 22 (e = 4): this term gives 9.4 V and 8.6 V.
        "quotient": base + V * 3 * s.e // 2 + msm,
        "evaluations": base + V,
        # the multiopen's combined polynomial, numerator and quotient, and their commitments
        "multiopen": base + 3 * V + msm,
    }
    return MemoryModel(phases, terms)
