"""The analytic memory model: predicted heap peak of each phase of a proof, for any circuit shape
and any strategy.

Units: V = one column of n field elements = 32·n bytes. Every term below names the arrays it
counts (see docs/memory.md for the derivation and the measured agreement). What the quotient
strategy holds is the strategy's own ``model_bytes`` term, so a new strategy brings its model.
Circuit-specific transients of synthesis (how a circuit builds its witness) are not modelled.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from halo2py.arith.ntt import LOG_BLOCK
from halo2py.curve.msm import batch_size, reduction_chains, window_bits
from halo2py.quotient.registry import load
from halo2py.quotient.strategy import ELEMENT_BYTES, QuotientShape

G1_AFFINE_BYTES = 64
# Allocations of a proof that do not grow with n (interpreter objects, the compiled program, the
# transcript, kernels' scratch). Measured at 0.1–0.5 MiB, plus one 1 MiB pymalloc arena or not
# (the random polynomial's n Python ints leave it behind, or not, depending on where the
# interpreter's free pools stand): the model takes the middle.
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


def msm_scratch_bytes(n: int, threads: int) -> int:
    """What a round's commitments hold while their MSMs run (``halo2py.curve.msm.msm_columns``):
    φ's x-coordinates (one Fr vector), the canonical scalars of the ``threads`` columns in flight
    (one Fr vector each), and per worker thread the window's affine
    buckets and their busy flags, the batch's operands and its queue of waiting points, the
    bucket sum's chains, and at worst (points spilled) the Jacobian spill buckets with what
    folding them back takes (a prefix product and a flag per bucket)."""
    c = window_bits(n, True)
    buckets = 1 << (c - 1)
    batch = min(batch_size(c), max(1, buckets // 4))
    chains = reduction_chains.py_func(buckets, max(1, batch))  # the kernel's rule, run without JIT
    per_thread = (buckets * (64 + 1) + batch * (8 + 64 + 32 + 32) + batch * (8 + 64) + 2 * chains * (64 + 1)
                  + buckets * (96 + 32 + 1))
    return (1 + threads) * ELEMENT_BYTES * n + threads * per_thread


def twiddle_bytes(k: int) -> int:
    """The NTT's cached ω_k^j table (n/2 elements) for a size-2^k transform; sizes up to its
    block size use only the small shared block table."""
    return 0 if k <= LOG_BLOCK else ELEMENT_BYTES * (1 << k) // 2


def modes() -> tuple:
    """The modes ``predict`` models: in memory, and out of core (``--spill``)."""
    return ("in-memory", "spill")


def predict(shape: ProofShape, strategy, spill: bool = False, threads: int | None = None) -> MemoryModel:
    """Model of a proof of ``shape`` with ``strategy`` (a class or a registered name), its
    commitments' MSMs run on ``threads`` workers (default: Numba's thread count).

    The phases follow the prover (``halo2py.plonk.prover``): the synthesis and keygen hold the
    assignment with its owners; the prover holds the witness in one basis at a time; the proving
    key made for the proof drops its Lagrange forms (fixed, selector and σ columns) before the
    quotient. The params are the proof's own (the CLI's, the profiler's): ``g_lagrange`` is freed
    at the quotient, and l0, l_last, l_active and the twiddle tables once the strategy returns.
    ``spill``: out of core (``--spill``), see ``predict_spilled``.
    """
    if isinstance(strategy, str):
        strategy = load(strategy)
    if threads is None:
        import numba

        threads = numba.get_num_threads()
    if spill:
        return predict_spilled(shape, strategy, threads)
    s = shape
    V = ELEMENT_BYTES * s.n
    F, Sc, P, L, pg, SH = s.copies * s.fixed, s.selector_cols, s.permutation, s.lookups, s.permutation_sets, \
        s.shuffles
    msm = msm_scratch_bytes(s.n, threads)
    terms = {
        "runtime": RUNTIME_BYTES,
        # g and g_lagrange: n affine G1 points each.
        "srs": 2 * G1_AFFINE_BYTES * s.n,
        "twiddles": twiddle_bytes(s.k),
        # The witness the prover consumes: advice and instance values (each column in one basis).
        "witness": V * (s.advice + s.instance),
        # The synthesis' int32 owner per advice/fixed/selector cell and bool selectors: freed with
        # the synthesis, before the first round (each copy is synthesised: its own of each).
        "owners": (s.n * 4) * (s.advice + s.copies * (s.fixed + s.selectors)) + s.copies * s.n * s.selectors,
        # The key's fixed, selector and σ columns in one basis: values from keygen (the fixed ones
        # are the synthesis' own arrays) until the prover interpolates them in place at the
        # quotient (a key made for the proof; see ProvingKey.to_coefficients).
        "key": V * (s.fixed + Sc + P),
        # l0, l_last, l_active (coefficients).
        "key_indicators": 3 * V,
        "msm": msm,
    }
    base = {"runtime": terms["runtime"], "SRS (g, g_lagrange)": terms["srs"]}
    committing_g = {"runtime": terms["runtime"], "SRS g (g_lagrange freed)": terms["srs"] // 2}
    witness = {"witness: advice, instance (values → coefficients)": terms["witness"]}
    synthesised = {"fixed (values, the synthesis')": V * F, "cell owners, selector cells": terms["owners"]}
    held = {**base, "twiddles ω^j, size n": terms["twiddles"], **witness,
            "key: fixed, selector, σ (values → coefficients)": terms["key"],
            "l0, l_last, l_active": terms["key_indicators"]}
    compressed, permuted = {"lookup A, S (compressed)": 2 * V * L}, {"lookup A′, S′": 2 * V * L}
    products = {"permutation products Z": V * pg}
    components = {
        "synthesis": {**base, **witness, **synthesised},
        # the key beside the synthesis' owners; an indicator column before its interpolation, or
        # a commitment's MSM
        "keygen": {**held, "cell owners, selector cells": terms["owners"],
                   "an indicator column, or an MSM (transient)": max(V, msm)},
        "advice commit": {**held, "commitment MSM (transient)": msm},
        # A′, S′ and the compressed A, S; the sort's two key columns, or a commitment's MSM
        "lookups": {**held, **compressed, **permuted, "sort keys, or an MSM (transient)": max(V * 2 if L else 0, msm)},
        # running products; ω^j and the ratio column while one is built, or an MSM
        "permutation": {**held, **compressed, **permuted, **products,
                        "ω^j and a ratio column, or an MSM (transient)": max(2 * V, msm)},
        # A, S (each pair freed once its Z exists), A′, S′, the permutation products and the
        # lookups' Z; each shuffle's compressed A, S and ratio column beside the products made so
        # far; at the round's end the vanishing random polynomial, drawn before its commitments run
        "lookup products": {**held, "lookup A, S, then Z": 2 * V * L, **permuted, **products, "shuffle Z": V * SH,
                            "ratio columns, or an MSM (transient)": max(V * (3 if SH else 1), msm),
                            "vanishing random polynomial": V},
    }
    if s.phases > 1:  # a later phase re-synthesises the table; its advice columns are kept
        components["advice commit"] = {**held, "later phase's witness": terms["witness"], **synthesised,
                                       "commitment MSM (transient)": msm}
    # from here on the witness, A′, S′, Z, the products and the key in coefficient form; the
    # quotient's own (l0, l_last, l_active, the twiddles) are freed when the strategy returns
    opened = {**committing_g, **witness, "key: fixed, selector, σ (values → coefficients)": terms["key"],
              **permuted, "lookup Z": V * L, **products, "shuffle Z": V * SH, "vanishing random polynomial": V}
    quotient_only = {"twiddles ω^j, size n": terms["twiddles"], "l0, l_last, l_active": terms["key_indicators"]}
    strategy_bytes = strategy.model_bytes(s.quotient_shape())
    pieces = V * (s.d - 1)
    # the strategy's buffers, or — after it returns — h's pieces while their commitments' MSMs run
    components["quotient"] = ({**opened, **quotient_only, "quotient strategy buffers": strategy_bytes}
                              if strategy_bytes + sum(quotient_only.values()) >= pieces + msm
                              else {**opened, "h pieces, an MSM (transient)": pieces + msm})
    components["evaluations"] = {**opened, "h pieces (d − 1)": pieces}
    # h = Σ x^{ni} h_i, the opening's quotient polynomial, and its commitment's MSM
    components["multiopen"] = {**components["evaluations"], "h, opening quotient": 2 * V,
                               "commitment MSM (transient)": msm}
    terms["quotient_strategy"] = strategy_bytes
    return MemoryModel({name: sum(c.values()) for name, c in components.items()}, terms, components)


def predict_spilled(shape: ProofShape, strategy, threads: int) -> MemoryModel:
    """Model of the *heap* (anonymous memory) of a proof with ``--spill``: every kept column —
    the table, the proving key, committed columns, the SRS, the strategy's buffers — lives in
    spill files (page cache, not heap), so what remains are each phase's transients. See
    docs/memory.md ("Out of core"). ``strategy`` only names the quotient's scratch, which a
    strategy that takes its buffers from ``QuotientTask.allocate`` (all built-ins) spills."""
    s = shape
    V = ELEMENT_BYTES * s.n
    per_copy_advice = s.advice // s.copies
    msm = msm_scratch_bytes(s.n, threads)
    terms = {
        "runtime": RUNTIME_BYTES,
        "twiddles": twiddle_bytes(s.k),  # from keygen's first transform on
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
    base = {"runtime": terms["runtime"], "twiddles ω^j, size n": terms["twiddles"]}
    pg = s.permutation_sets
    selectors = {"selector cells": terms["selectors"]}
    components = {
        "synthesis": {"runtime": terms["runtime"], "cell owners": terms["owners"], **selectors,
                      "a region's assignment record": terms["region_record"],
                      "the circuit's synthesis scratch": terms["synthesis_scratch"]},
        # σ: the flat cycle mapping (int32 per cell), ω^j, one σ column with its two gathered
        # factors and row/column indices; or a commitment
        "keygen": {**base, **selectors,
                   "σ construction, or an MSM (transient)": max(s.permutation * s.n * 4 + V * 17 // 4, msm)},
        "advice commit": {**base, "commitment MSM (transient)": msm},
        # the sort of A and S: both (2n rows), canonical, reversed keys, np.unique's sorted copy,
        # the inverse indices — ~10 columns; or a commitment
        "lookups": {**base, "lookup sort, or an MSM (transient)": max(10 * V, msm) if s.lookups else msm},
        # one copy's products, then their commitments (ω^j and the ratio while one is built)
        "permutation": {**base, "one copy's permutation products": V * pg // s.copies,
                        "ω^j and a ratio column, or an MSM (transient)": max(2 * V, msm)},
        # Z (or φ) with its ratio column, then its commitment
        "lookup products": {**base, "a product and its ratio column, or an MSM (transient)": max(3 * V, V + msm)},
        # the size-e·n transforms' tables (forward and inverse twiddles) and working space, then
        # the pieces' commitments; every buffer of the strategy is spilled. Measured 9.8 V at
        # k = 16 and k = 22 (e = 4): this term gives 9.4 V and 8.6 V.
        "quotient": {**base, "extended-domain transform tables and space": V * 3 * s.e // 2,
                     "commitment MSM (transient)": msm},
        # the twiddle tables are freed with the quotient
        "evaluations": {"runtime": terms["runtime"], "an evaluation's working column": V},
        # the multiopen's combined polynomial, numerator and quotient, and their commitments
        "multiopen": {"runtime": terms["runtime"], "opening polynomials (transient)": 3 * V,
                      "commitment MSM (transient)": msm},
    }
    terms["quotient_strategy"] = 0  # spilled: the strategy's buffers are files, not heap
    return MemoryModel({name: sum(c.values()) for name, c in components.items()}, terms, components)
