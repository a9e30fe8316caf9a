"""``check_strategy``: the test every strategy author runs (like scikit-learn's check_estimator).

For a set of real constraint programs — every library circuit's, with e = 2, 4 and 8 — and random
polynomials, the candidate must return exactly the pieces ``legacy`` returns, in the contract's
shape, without modifying its inputs, and must declare a usable memory-model term. Random
polynomials suffice: h is a deterministic function of the task, valid witness or not.
"""

from __future__ import annotations


import numpy as np

from halo2py.errors import InputError
from halo2py.quotient.strategy import QuotientShape, QuotientTask, validate_result

# (circuit, k, params): e = 2 (d = 3), e = 4 (d = 4, 5) and e = 8 (d = 6 … 9), lookups or not.
CASES = [
    ("fibonacci", 5, ()),
    ("range_check", 6, ("count=8", "bits=4")),
    ("stress", 6, ()),
    ("stress", 6, ("degree=5", "lookups=0")),
    ("stress", 7, ("degree=7", "lookups=2")),
    ("poseidon", 7, ()),
]


class ConformanceError(InputError):
    """The strategy does not compute legacy's quotient (or breaks the contract)."""


def _task(circuit: str, k: int, params, seed: int) -> QuotientTask:
    from halo2py.arith.field import Fr
    from halo2py.frontend.circuit import configure, load_circuit_class
    from halo2py.plonk.layout import ProtocolLayout
    from halo2py.poly.domain import EvaluationDomain
    from halo2py.quotient.program import compile_program
    from halo2py.randomness import seeded_rng

    cls = load_circuit_class(circuit)
    cs, _ = configure(cls(cls.parse_params(list(params), k=k)))
    layout = ProtocolLayout(cs)
    columns = layout.quotient_columns()
    slot = {c: i for i, c in enumerate(columns)}
    program = compile_program(layout.quotient_constraints(), lambda c: slot[c])
    rng = seeded_rng(seed, f"conformance:{circuit}:{k}:{params}")
    domain = EvaluationDomain(k, layout.degree)
    polys = [Fr.random(domain.n, rng) for _ in columns]
    challenges = [int.from_bytes(rng(32), "little") % Fr.modulus for _ in range(layout.challenge_count)]
    return QuotientTask(domain, program, polys, challenges, int.from_bytes(rng(32), "little") % Fr.modulus)


def check_strategy(strategy_cls, cases=CASES, seed: int = 0) -> None:
    """Raise ConformanceError (one line saying what differs) unless ``strategy_cls`` conforms."""
    from halo2py.quotient.registry import load

    name = getattr(strategy_cls, "name", strategy_cls.__name__)
    reference = load("legacy")()
    for circuit, k, params in cases:
        task = _task(circuit, k, params, seed)
        where = f"{circuit} k={k} {' '.join(params)} (e={task.domain.e})".strip()
        inputs = [p.copy() for p in task.polys]
        got = validate_result(strategy_cls().compute(task), task, name)
        if any(not np.array_equal(a, b) for a, b in zip(inputs, task.polys)):
            raise ConformanceError(f"strategy {name!r} modified its input polynomials on {where}")
        want = reference.compute(task).pieces
        for i, (a, b) in enumerate(zip(got, want)):
            if not np.array_equal(a, b):
                row = int(np.flatnonzero((a != b).any(axis=1))[0])
                raise ConformanceError(f"strategy {name!r} differs from legacy on {where}: piece {i}, "
                                       f"coefficient {row}")
    model = strategy_cls.model_bytes(QuotientShape(n=1 << 16, e=4, pieces=3, polys=30, queries=40))
    if not isinstance(model, (int, np.integer)) or model <= 0:
        raise ConformanceError(f"strategy {name!r}: model_bytes must return a positive int, got {model!r}")


__all__ = ["check_strategy", "ConformanceError", "CASES"]
