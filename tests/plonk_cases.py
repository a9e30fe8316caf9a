"""Proving material shared by the plonk test modules: params per k, circuits and proofs per case.

Each helper is cached for the whole pytest process, so a proof made for a round-trip test is
reused by the soundness, container and CLI tests instead of being proved again (a verify costs a
~1 s multi-pairing and a proof a second or two; the default run must stay lean). Params come from
a fixed seed and are passed explicitly: tests never touch the user's params cache.
"""

from __future__ import annotations

import sys
from functools import cache

import pytest

from halo2py import pipeline
from halo2py.commitment.params import ParamsKZG
from halo2py.conformance import circuit_cases
from halo2py.frontend.circuit import compile_circuit, registered_circuits
from halo2py.plonk.layout import ProtocolLayout
from halo2py.randomness import seeded_rng

PROVE_SEED = 7


def _case_name(circuit: str, params: tuple, first: bool) -> str:
    return circuit if first else "-".join([circuit, *params])


def _cases() -> dict:
    """name → (circuit, k, --param assignments), from every registered circuit's ``test_cases``:
    a circuit's first case is named after it, the others after their parameters. Among the
    built-ins they cover e = 2, 4, 8, lookups, and permutations split into several chunks."""
    out, seen = {}, set()
    for circuit, k, params in circuit_cases():
        out[_case_name(circuit, params, circuit not in seen)] = (circuit, k, params)
        seen.add(circuit)
    return out


CASES = _cases()
LIBRARY = tuple(sorted(registered_circuits()))


@cache
def params(k: int) -> ParamsKZG:
    return ParamsKZG.setup(k, seeded_rng(1000 + k, "setup"))


@cache
def build(spec: str, k: int, assignments: tuple = ()):
    return pipeline.build_circuit(spec, k, list(assignments))


def circuit(case: str):
    return build(*CASES[case])


def k_of(case: str) -> int:
    return CASES[case][1]


@cache
def compiled(case: str):
    return compile_circuit(circuit(case))


@cache
def layout(case: str) -> ProtocolLayout:
    """The protocol layout keygen builds for the case (selectors as the default dialect has them)."""
    return pipeline.verifying_key(circuit(case), params(k_of(case))).layout


@cache
def proof(case: str, strategy: str = "chunked", multiopen: str = "shplonk", seed: int = PROVE_SEED):
    """The ProofFile of ``case`` (treat as read-only: it is shared)."""
    return pipeline.prove(circuit(case), params(k_of(case)), strategy, multiopen, seed).proof


def run_main(monkeypatch, capsys, *args):
    """(exit code, stdout, stderr) of the console script, in process."""
    from halo2py.cli.app import main

    monkeypatch.setattr(sys, "argv", ["halo2py", *args])
    with pytest.raises(SystemExit) as exc:
        main()
    out = capsys.readouterr()
    return exc.value.code, out.out, out.err
