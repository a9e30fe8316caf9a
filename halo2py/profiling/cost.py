"""A circuit's cost, as halo2's ``dev::CircuitCost`` and a pinned constraint system show it: the
shape of the constraint system (columns by kind, selectors before and after keygen's
compression, gates, lookups, shuffles, queries), its rows (blinding, usable, used), the
quotient's extended domain, the proof size under each multiopen scheme, the prover's
commitments (each one MSM of n points) and the memory model's prediction per strategy.

Everything is computed from the plain-data middle and the backend's layout: a keygen-only
synthesis (no witness), ``protocol_layout`` under the chosen dialect, and ``plonk.layout``'s
lists of evaluations and openings — the very lists the prover writes, so the proof size here is
the proof's length by construction (the tests compare it with real proofs and with Rust halo2's).

Proof size (halo2 vectors README §5.7), in 32-byte items, per circuit copy unless "shared":
advice commitments; per lookup A′, S′ (classic) or m (log-derivative); the permutation products;
per lookup Z (or φ); per shuffle Z; shared: the vanishing argument's random commitment and its
d − 1 quotient pieces. Evaluations: instance queries (only where the dialect commits instances
under GWC); advice queries; shared: fixed queries (selector columns included), the random
polynomial, σ per equality column; per copy the permutation products' 3·sets − 1, per lookup
5 (classic) or 3, per shuffle 2. The multiopen argument adds 2 points (SHPLONK) or one per
distinct opening point (GWC).
"""

from __future__ import annotations

import numpy as np

from halo2py.frontend.circuit import synthesize
from halo2py.plonk.dialect import dialect as dialect_named
from halo2py.plonk.keygen import protocol_layout
from halo2py.plonk.layout import opening_queries
from halo2py.profiling.model import ProofShape, predict
from halo2py.quotient.registry import available

POINT_BYTES = 32   # a compressed G1 point
SCALAR_BYTES = 32  # an Fr element
SCHEMES = ("gwc", "shplonk")


def _rotations(queries) -> list:
    return sorted({q.rotation for q in queries})


def _query_summary(queries) -> dict:
    return {"count": len(queries), "rotations": _rotations(queries),
            "columns": len({q.column for q in queries})}


def _expression(expr) -> dict:
    return {"degree": expr.degree(), "expression": str(expr)}


def proof_size(layout, scheme: str, dialect, copies: int = 1) -> dict | None:
    """The proof's bytes for ``copies`` instances of the circuit in one proof (halo2's
    ``create_proof`` over several circuits), with the count of points and scalars per argument."""
    lookups = len(layout.lookups)
    classic = layout.lookup_kind == "classic"
    query_instances = scheme == "gwc" and dialect.gwc_instance_commitments
    permutation_sets = len(layout.permutation_products)
    points = {
        "advice": copies * len(layout.advice_columns),
        "lookups": copies * (3 if classic else 2) * lookups,  # A′, S′, Z — or m, φ
        "permutation": copies * permutation_sets,
        "shuffles": copies * len(layout.shuffle_products),
        "vanishing": 1 + (layout.degree - 1),
    }
    sigmas = len(layout.sigmas)
    # per argument, as the prover's lists (evaluations_before_random, …_after_random) write them
    scalars = {
        "instance": copies * len(layout.instance_queries) if query_instances else 0,
        "advice": copies * len(layout.advice_queries),
        "fixed": len(layout.fixed_queries),
        "vanishing": 1,
        "permutation": sigmas + copies * (max(0, 3 * permutation_sets - 1)),
        "lookups": copies * (5 if classic else 3) * lookups,
        "shuffles": copies * 2 * len(layout.shuffle_products),
    }
    if scheme == "shplonk":
        points["multiopen"] = 2
    else:
        rotations = {rotation for _, rotation in opening_queries(layout)} | {0}
        if query_instances:
            rotations |= {q.rotation for q in layout.instance_queries}
        points["multiopen"] = len(rotations)
    total = POINT_BYTES * sum(points.values()) + SCALAR_BYTES * sum(scalars.values())
    return {"bytes": total, "points": points, "scalars": scalars}


def commitments(layout, scheme_points: dict, dialect) -> dict:
    """G1 commitments of keygen and of the prover; every one is an MSM of n points. Under GWC a
    dialect that queries instances also commits each instance column (absorbed, not written)."""
    lookups = len(layout.lookups)
    per_lookup = 1 if layout.lookup_kind != "classic" else 2
    prover = {
        "advice": len(layout.advice_columns),
        "lookup_permuted": per_lookup * lookups,
        "permutation_products": len(layout.permutation_products),
        "lookup_products": lookups,
        "shuffle_products": len(layout.shuffle_products),
        "vanishing_random": 1,
        "quotient_pieces": layout.degree - 1,
    }
    rounds = sum(prover.values())
    return {
        "keygen": {"fixed": len(layout.fixed_columns), "sigma": len(layout.sigmas),
                   "total": len(layout.fixed_columns) + len(layout.sigmas)},
        "prover": prover,
        "instance_gwc": len(layout.instance_columns) if dialect.gwc_instance_commitments else 0,
        "prover_total": {scheme: None if extra is None else rounds + extra
                         + (len(layout.instance_columns) if scheme == "gwc" and dialect.gwc_instance_commitments
                            else 0)
                         for scheme, extra in scheme_points.items()},
        "multiopen": dict(scheme_points),
    }


def used_rows(assignment) -> dict:
    """Rows the layout assigns: 1 + the last row holding an assigned advice, fixed (tables
    included), instance or selector cell; and the region extent (regions and tables)."""

    def extent(masks) -> int:
        last = 0
        for mask in masks:
            rows = np.flatnonzero(mask)
            if len(rows):
                last = max(last, int(rows[-1]) + 1)
        return last

    advice = extent(owner >= 0 for owner in assignment.advice_owner)
    fixed = extent(owner >= 0 for owner in assignment.fixed_owner)
    selectors = extent(assignment.selectors)
    instance = max([len(v) for v in assignment.instance_values], default=0)
    regions = max([r.start + r.rows for r in assignment.regions], default=0)
    return {"used": max(advice, fixed, selectors, instance, regions), "advice": advice, "fixed": fixed,
            "selectors": selectors, "regions": regions}


def circuit_cost(circuit, dialect: str | None = None, floor_planner: str | None = None) -> dict:
    """Everything ``halo2py info`` prints, as one plain dict (JSON-ready)."""
    chosen = dialect_named(dialect)
    synthesis = synthesize(circuit, witness=False, floor_planner=floor_planner)
    compiled, preprocessed, assignment = synthesis.compiled, synthesis.preprocessed, synthesis.assignment
    layout = protocol_layout(compiled, preprocessed, chosen)
    k = assignment.k
    n = 1 << k
    cs = compiled
    e = cs.quotient_extension()
    phases = cs.phases()

    selectors = [{"name": s.name, "kind": "simple" if s.simple else "complex",
                  "column": layout.selector_columns_map.placement[s.index][0],
                  "position": layout.selector_columns_map.placement[s.index][1],
                  "shares_with": layout.selector_columns_map.placement[s.index][2] - 1}
                 for s in cs.selectors]
    gates = []
    for gate, lowered_start in _gate_offsets(cs):
        constraints = []
        for j, c in enumerate(gate.constraints):
            keyed = layout.gate_constraints[lowered_start + j]
            constraints.append({"name": c.name, **_expression(c.expression),
                                "keyed_degree": keyed.degree(), "keyed_expression": str(keyed)})
        gates.append({"name": gate.name, "degree": gate.degree(), "constraints": constraints})
    lookups = [{"name": lk.name, "degree": lk.degree(), "input_degree": lk.input_degree(),
                "table_degree": lk.table_degree(), "inputs": [str(x) for x in lk.inputs],
                "tables": [str(x) for x in lk.tables]} for lk in cs.lookups]
    shuffles = [{"name": sh.name, "degree": sh.degree(), "inputs": [str(x) for x in sh.inputs],
                 "shuffles": [str(x) for x in sh.shuffles]} for sh in cs.shuffles]

    sizes = {scheme: proof_size(layout, scheme, chosen) for scheme in SCHEMES}
    multiopen_points = {scheme: (s["points"]["multiopen"] if s else None) for scheme, s in sizes.items()}
    shape = ProofShape.from_layout(layout, k)
    memory = {}
    for name in sorted(available()):
        model = predict(shape, name)
        memory[name] = {"peak_bytes": model.total, "quotient_strategy_bytes": model.terms["quotient_strategy"],
                        "phases": dict(model.phases)}
    bf = cs.blinding_factors()
    usable = cs.usable_rows(k)
    rows = {"n": n, "blinding": bf, "usable": usable, "l_last_row": usable, **used_rows(assignment)}
    return {
        "circuit": circuit.circuit_name(),
        "k": k,
        "params": {name: getattr(circuit.params, name) for name, *_ in circuit.param_specs()},
        "dialect": chosen.name,
        "floor_planner": floor_planner or circuit.floor_planner,
        "degree": layout.degree,
        "extension": e,
        "extended_k": k + (e.bit_length() - 1),
        "quotient_pieces": layout.degree - 1,
        "columns": {
            "advice": len(cs.advice_columns),
            "advice_by_phase": [len([c for c in cs.advice_columns if c.phase == p]) for p in range(phases)],
            "fixed": len(cs.fixed_columns),
            "table": len(cs.table_columns),
            "instance": len(cs.instance_columns),
            "equality": len(cs.permutation_columns),
            "constants": len(cs.constants_columns),
            "selector_columns": len(layout.selector_columns),
            "fixed_after_keygen": len(layout.fixed_columns),
        },
        "phases": phases,
        "challenges": len(cs.challenges),
        "selectors": {
            "total": len(cs.selectors),
            "simple": sum(1 for s in cs.selectors if s.simple),
            "complex": sum(1 for s in cs.selectors if not s.simple),
            "compressed": chosen.selector_compression,
            "columns": len(layout.selector_columns),
            "placement": selectors,
        },
        "gates": gates,
        "lookups": lookups,
        "lookup_kind": layout.lookup_kind,
        "shuffles": shuffles,
        "queries": {
            "advice": _query_summary(layout.advice_queries),
            "fixed": _query_summary(layout.fixed_queries),
            "instance": _query_summary(layout.instance_queries),
        },
        "permutation": {"columns": len(layout.permutation_columns), "chunk_length": layout.chunk_len,
                        "sets": len(layout.permutation_sets)},
        "rows": rows,
        "proof_bytes": {scheme: (s["bytes"] if s else None) for scheme, s in sizes.items()},
        "proof_size": sizes,
        "commitments": commitments(layout, multiopen_points, chosen),
        "msm_points": n,
        "memory": memory,
    }


def _gate_offsets(cs):
    """(gate, index of its first constraint in the layout's flat list of gate constraints)."""
    start = 0
    for gate in cs.gates:
        yield gate, start
        start += len(gate.constraints)
