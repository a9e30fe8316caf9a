"""``check_strategy``: the test every strategy author runs (like scikit-learn's check_estimator).

For a set of real constraint programs — every registered circuit's ``test_cases``, which among the
built-ins cover e = 2, 4 and 8, classic and log-derivative lookups, shuffles, a second phase with
circuit challenges, and two circuit copies folded into one quotient — and random polynomials, the candidate must return
exactly the pieces ``legacy`` returns, in the contract's shape, without modifying its inputs, and
must declare a usable memory-model term. Random polynomials suffice: h is a deterministic function
of the task, valid witness or not. The case list follows the circuit registry, so a new circuit is
covered with no edit here.

This module sits above both the frontend and the backend (it builds real circuits' constraint
programs), which is why it is not part of ``halo2py.quotient``.
"""

from __future__ import annotations

import numpy as np

from halo2py.arith.field import Fr
from halo2py.errors import InputError
from halo2py.frontend.circuit import compile_circuit, load_circuit_class, registered_circuits
from halo2py.plonk.layout import ProtocolLayout
from halo2py.poly.domain import EvaluationDomain
from halo2py.quotient.program import compile_program
from halo2py.quotient.registry import load
from halo2py.quotient.strategy import QuotientShape, QuotientTask, declared_parts, validate_result
from halo2py.randomness import seeded_rng


class ConformanceError(InputError):
    """The strategy does not compute legacy's quotient (or breaks the contract)."""


def circuit_cases(suite: str = "test") -> list:
    """(circuit, k, params) for every registered circuit: its ``test_cases`` (small tables, for
    conformance and round trips) or its ``regress_cases`` (the regression set)."""
    out = []
    for name in sorted(registered_circuits()):
        cls = load_circuit_class(name)
        cases = cls.test_cases if suite == "test" else cls.regress_cases or cls.test_cases
        out += [(name, k, tuple(params)) for k, params in cases]
    return out


def _task(circuit: str, k: int, params, seed: int, lookup: str = "classic", copies: int = 1) -> QuotientTask:
    cls = load_circuit_class(circuit)
    layout = ProtocolLayout(compile_circuit(cls(cls.parse_params(list(params), k=k))), lookup=lookup)
    columns = layout.copy_quotient_columns(copies)
    slot = {c: i for i, c in enumerate(columns)}
    program = compile_program(layout.copy_constraints(copies), lambda c: slot[c])
    rng = seeded_rng(seed, f"conformance:{circuit}:{k}:{params}:{lookup}:{copies}")
    domain = EvaluationDomain(k, layout.degree)
    polys = [Fr.random(domain.n, rng) for _ in columns]
    challenges = [int.from_bytes(rng(32), "little") % Fr.modulus for _ in range(layout.challenge_count)]
    return QuotientTask(domain, program, polys, challenges, int.from_bytes(rng(32), "little") % Fr.modulus)


def _variants(cases) -> list:
    """Each case as the default dialect proves it; with lookups, also as log-derivative lookups;
    and the small ones also as two circuit copies in one proof (halo2's folded quotient)."""
    out = []
    for circuit, k, params in cases:
        out.append((circuit, k, params, "classic", 1))
        cls = load_circuit_class(circuit)
        if compile_circuit(cls(cls.parse_params(list(params), k=k))).lookups:
            out.append((circuit, k, params, "log-derivative", 1))
        if k is not None and k <= 5:
            out.append((circuit, k, params, "classic", 2))
    return out


def _parted(strategy, task: QuotientTask, name: str):
    """The pieces from ``strategy``'s declared parts, combined as an executor would (None if it
    declares none): the promise that lets ``--executor dask`` run them on workers."""
    count = declared_parts(strategy, task)
    if not count:
        return None
    return validate_result(strategy.combine(task, [strategy.compute_part(task, i) for i in range(count)]), task, name)


def check_strategy(strategy_cls, cases=None, seed: int = 0) -> None:
    """Raise ConformanceError (one line saying what differs) unless ``strategy_cls`` conforms."""
    cases = circuit_cases() if cases is None else cases
    name = getattr(strategy_cls, "name", strategy_cls.__name__)
    reference = load("legacy")()
    for circuit, k, params, lookup, copies in _variants(cases):
        task = _task(circuit, k, params, seed, lookup, copies)
        where = f"{circuit} k={k} {' '.join(params)} (e={task.domain.e}, {lookup} lookups, {copies} copies)"
        inputs = [p.copy() for p in task.polys]
        strategy = strategy_cls()
        try:
            got = validate_result(strategy.compute(task), task, name)
            parted = _parted(strategy, task, name)
        except InputError as exc:
            raise ConformanceError(f"{exc} on {where}") from None
        if parted is not None and any(not np.array_equal(a, b) for a, b in zip(parted, got)):
            raise ConformanceError(f"strategy {name!r}: combining its declared parts differs from compute on {where}")
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


__all__ = ["check_strategy", "circuit_cases", "ConformanceError"]
