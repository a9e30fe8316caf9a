"""halo2's keys, exactly: for every Rust halo2 vector case, the library circuit written from the
README's description, laid out by the case's floor planner under the case's dialect, gives Rust's
pinned constraint system text, pinned verifying key text and transcript_repr, and Rust's fixed
columns, σ columns and l_first / l_last / l_active (params from s = 2)."""

from functools import cache

import pytest

import halo2_vectors as hv
from halo2py.arith.field import Fr
from halo2py.commitment.params import ParamsKZG
from halo2py.frontend.circuit import load_circuit_class, synthesize
from halo2py.plonk.dialect import dialect
from halo2py.plonk.keygen import circuit_constraint_system_text, keygen

CIRCUITS = {"simple": "simple-example", "simple_lookup": "simple-lookup", "shuffle": "shuffle",
            "shuffle_api": "shuffle-api", "fibonacci1": "fibonacci1", "fibonacci2": "fibonacci2"}


def dialect_of(case: dict):
    """The halo2 generation a case was made by (README §1): log-derivative lookups and the
    0.3.3–0.6 point flags are Scroll v1.1; the rest is Scroll before v1.1."""
    return dialect("scroll-v1.1" if case["lookup_type"] == "log_derivative_halo2" else "scroll-legacy")


@cache
def params(k: int) -> ParamsKZG:
    return ParamsKZG.setup_with_secret(k, 2)


@cache
def keys(name: str):
    case = hv.load(name)
    circuit = load_circuit_class(CIRCUITS[case["circuit"]])()
    synthesis = synthesize(circuit, case["k"], witness=False, floor_planner=case["floor_planner"])
    pk = keygen(params(case["k"]), synthesis.compiled, synthesis.preprocessed, dialect_of(case))
    return case, synthesis, pk


@pytest.mark.parametrize("name", hv.case_names())
def test_pinned_constraint_system_text(name):
    case, synthesis, _ = keys(name)
    assert circuit_constraint_system_text(synthesis.compiled, dialect_of(case)) == case["pinned_constraint_system"]


@pytest.mark.parametrize("name", hv.case_names())
def test_pinned_verifying_key_and_transcript_repr(name):
    case, _, pk = keys(name)
    assert pk.vk.pinned() == case["pinned_verifying_key"]
    assert pk.vk.transcript_repr == hv.transcript_repr(case)
    if case.get("transcript_repr"):  # the vector's own, not recomputed from its text
        assert pk.vk.transcript_repr == hv.to_int(case["transcript_repr"])


@pytest.mark.parametrize("name", hv.case_names())
def test_fixed_sigma_and_lagrange_columns(name):
    case, _, pk = keys(name)
    key = case["proving_key"]
    checked = 0
    if key.get("fixed_columns"):
        assert [Fr.to_ints(v) for v in pk.fixed_values] == [hv.ints(c) for c in key["fixed_columns"]]
        checked += 1
    if key.get("permutations_columns"):
        assert [Fr.to_ints(v) for v in pk.sigma_values] == [hv.ints(c) for c in key["permutations_columns"]]
        checked += 1
    for ours, theirs in ((pk.l0, "l_first"), (pk.l_last, "l_last"), (pk.l_active, "l_active_row")):
        if key.get(theirs):
            assert Fr.to_ints(ours) == hv.ints(key[theirs]), theirs
            checked += 1
    assert checked or name.endswith("gwc")  # only shuffle × GWC pins no key columns


def test_every_case_is_covered():
    assert len(hv.case_names()) == 14
    assert {hv.load(n)["circuit"] for n in hv.case_names()} == set(CIRCUITS)
