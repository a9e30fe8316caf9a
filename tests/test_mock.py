"""MockProver: each failure kind from a deliberately broken witness, with the right location.

The vectorised gate evaluation is also checked against ``Expression.evaluate_int`` row by row on
random witnesses.
"""

import json
import random
from dataclasses import dataclass

import pytest

from halo2py.circuits.fibonacci import Fibonacci
from halo2py.circuits.range_check import RangeCheck
from halo2py.arith.constants import FR_MODULUS as R
from halo2py.frontend.circuit import Circuit, CircuitParams, param, synthesize
from halo2py.frontend.mock import (
    CellNotAssigned,
    ConstraintNotSatisfied,
    ConstraintPoisoned,
    InstanceCellNotAssigned,
    LookupNotSatisfied,
    MockProver,
    PermutationNotSatisfied,
)


def verify(circuit, k=None):
    return MockProver.run(k, circuit).verify()


class WrongTerm(Fibonacci):
    """Term 5 is off by one; the public output matches the honest sequence."""

    def sequence(self):
        seq = super().sequence()
        seq[5] += 1
        return seq

    def instances(self):
        return Fibonacci(self.params).instances()


def test_constraint_not_satisfied_names_gate_constraint_location_and_cells():
    failures = verify(WrongTerm())
    # f5 is wrong: the gates applied at offsets 3, 4, 5 read it.
    assert [type(f) for f in failures] == [ConstraintNotSatisfied] * 3
    first = failures[0]
    assert (first.gate_index, first.gate_name) == (0, "fibonacci")
    assert (first.constraint_index, first.constraint_name) == (0, "f[i+2] = f[i+1] + f[i]")
    assert (first.location.region, first.location.region_name, first.location.offset) == \
        (0, "fibonacci", 3)
    assert [f.location.offset for f in failures] == [3, 4, 5]
    assert dict(first.cell_values) == {"s_fib": "1", "f[0]": "3 ('f3')",
                                        "f[+1]": "5 ('f4')", "f[+2]": "9 ('f5')"}
    text = str(first)
    assert text.startswith("Constraint 0 ('f[i+2] = f[i+1] + f[i]') in gate 0 ('fibonacci') is "
                           "not satisfied in Region 0 ('fibonacci') at offset 3")
    assert "- f[+2] = 9 ('f5')" in text


class WrongOutput(Fibonacci):
    def instances(self):
        (pub,) = super().instances()
        return [[pub[0], pub[1], pub[2] + 1]]


def test_permutation_failure_on_a_wrong_public_output():
    (failure,) = verify(WrongOutput())
    assert isinstance(failure, PermutationNotSatisfied) and failure.kind == "permutation"
    assert failure.column.name == "f" and failure.location.offset == 9
    assert failure.other_column.name == "public" and failure.other_location.region is None
    assert failure.other_location.row == 2
    assert (failure.value, failure.other_value) == ("55 ('f9')", "56")
    assert "outside any region, on row 2" in str(failure)
    data = json.loads(json.dumps(failure.to_dict()))
    assert data["kind"] == "permutation" and data["other_location"]["row"] == 2 and data["location"]["offset"] == 9


class ShortInstance(Fibonacci):
    def instances(self):
        return [super().instances()[0][:2]]


def test_instance_cell_not_assigned_through_a_copy():
    (failure,) = verify(ShortInstance())
    assert isinstance(failure, InstanceCellNotAssigned)
    assert (failure.column.name, failure.row, failure.supplied) == ("public", 2, 2)
    assert failure.used_by == "a copy constraint"


@dataclass
class ToyParams(CircuitParams):
    k: int = param(5, "rows")
    mode: str = param("honest", "which bug to plant")


class Toy(Circuit):
    """c[0] = a[0] * b[+1] under a selector; a public copy of a; bugs selected by ``mode``."""

    Params = ToyParams

    def configure(self, cs):
        a, b, c = cs.advice_column("a"), cs.advice_column("b"), cs.advice_column("c")
        p = cs.instance_column("p")
        s = cs.selector("s")
        cs.create_gate("mul", lambda m: [("c = a * b'", m.query_selector(s) * (
            m.query_advice(c) - m.query_advice(a) * m.query_advice(b, 1)))])
        if self.params.mode == "poison":
            cs.create_gate("unselected", [a.cur() - c.cur()])
        if self.params.mode == "public":
            cs.create_gate("public", [s * (a.cur() - p.cur())])
        return a, b, c, p, s

    def instances(self):
        return [[2]]

    def synthesize(self, config, layouter):
        a, b, c, p, s = config
        mode = self.params.mode

        def fill(region):
            for i in range(3):
                region.enable_selector(s, i)
                region.assign_advice("a", a, i, 2 + i)
                region.assign_advice("c", c, i, (2 + i) * (10 + i))
                if not (mode in ("unassigned", "missing") and i == 2):
                    region.assign_advice("b", b, i + 1, 10 + i)
        layouter.assign_region("toy", fill)
        if mode == "unassigned":  # b[3] is written, but by another region
            layouter.assign_region("other", lambda r: r.assign_advice("b", b, 0, 12))


def test_toy_honest():
    assert verify(Toy()) == []


def test_cell_not_assigned():
    failures = verify(Toy(ToyParams(mode="unassigned")))
    (failure,) = [f for f in failures if isinstance(f, CellNotAssigned)]
    assert (failure.gate_index, failure.gate_name, failure.region, failure.region_name) == \
        (0, "mul", 0, "toy")
    assert (failure.gate_offset, failure.column.name, failure.offset) == (2, "b", 3)
    assert str(failure) == ("Region 0 ('toy') uses gate 0 ('mul') at offset 2, which requires "
                            "cell in column 'b' (advice) at offset 3 to be assigned.")


def test_cell_values_say_unassigned():
    failures = verify(Toy(ToyParams(mode="missing")))
    assert [type(f) for f in failures] == [CellNotAssigned, ConstraintNotSatisfied]
    assert dict(failures[1].cell_values)["b[+1]"] == "0 (unassigned)"
    assert dict(failures[1].cell_values)["c[0]"] == "48 ('c')"


def test_constraint_poisoned_on_blinding_rows():
    failures = verify(Toy(ToyParams(mode="poison")))
    poisoned = [f for f in failures if isinstance(f, ConstraintPoisoned)]
    usable = 32 - 5 - 1
    assert [f.location.row for f in poisoned] == list(range(usable, 32))
    assert all(f.gate_name == "unselected" for f in poisoned)
    assert "is active on an unusable row" in str(poisoned[0])
    # the same gate also fails on the usable rows where a != c (outside any region there)
    unsat = [f for f in failures if isinstance(f, ConstraintNotSatisfied)]
    assert [f.location.row for f in unsat] == [0, 1, 2]
    assert unsat[0].location.region_name == "toy"


def test_instance_cell_not_assigned_through_a_gate():
    failures = verify(Toy(ToyParams(mode="public")))
    missing = [f for f in failures if isinstance(f, InstanceCellNotAssigned)]
    assert [f.row for f in missing] == [1, 2]
    assert missing[0].used_by == "gate 1 ('public') in Region 0 ('toy') at offset 1"


def test_lookup_failure_names_lookup_and_location():
    values = [3, 255, 256, 7, -1]
    circuit = RangeCheck(RangeCheck.parse_params(["count=5"]), {"values": values})
    failures = verify(circuit)
    assert [type(f) for f in failures] == [LookupNotSatisfied] * 2
    assert [(f.lookup_index, f.lookup_name) for f in failures] == [(0, "range")] * 2
    assert [(f.location.region_name, f.location.offset) for f in failures] == \
        [("values", 2), ("values", 4)]
    assert failures[1].input_values == (("q_range * value[0]", "-1"),)
    assert str(failures[0]).startswith("Lookup 0 ('range') is not satisfied in Region 0 "
                                       "('values') at offset 2")


def test_lookup_with_a_gap_in_the_region_looks_up_zero():
    """Rows with the selector off look up 0, which is in 0 .. 2^bits − 1: no failure."""
    assert verify(RangeCheck(RangeCheck.parse_params(["count=3", "bits=2", "k=4"]),
                             {"values": [0, 3, 1]})) == []


class Constants(Circuit):
    def configure(self, cs):
        a = cs.advice_column("a")
        k = cs.fixed_column("k")
        cs.enable_constant(k)
        cs.enable_equality(a)
        return a

    def synthesize(self, a, layouter):
        cell = layouter.assign_region("r", lambda r: r.assign_advice("x", a, 0, 5))
        layouter.assign_region("pin", lambda r: r.constrain_constant(cell, 6))


def test_constrain_constant_mismatch_is_a_permutation_failure():
    (failure,) = verify(Constants())
    assert isinstance(failure, PermutationNotSatisfied)
    # halo2 emits a constant's copy as copy(constants cell, advice cell)
    assert failure.column.name == "k" and failure.location.region_name == "constants"
    assert (failure.value, failure.other_value) == ("6", "5 ('x')")


# --- vectorised evaluation against the per-row reference -----------------------------------------
class RandomGate(Circuit):
    """A random-ish degree-4 gate with rotations over random witnesses: some rows fail."""

    def __init__(self, seed):
        super().__init__(CircuitParams(k=6))
        self.rng = random.Random(seed)

    def configure(self, cs):
        a, b = cs.advice_column("a"), cs.advice_column("b")
        f = cs.fixed_column("f")
        s = cs.selector("s")
        c = self.rng.randrange(R)
        expr = s * (a.cur() * b.next() * 3 - f.cur() * a.prev() + c - (b.cur() + f.next()) ** 2)
        cs.create_gate("random", [("e", expr)])
        self.expr = expr
        return a, b, f, s

    def synthesize(self, config, layouter):
        a, b, f, s = config
        usable = layouter.usable

        def fill(region):
            for row in range(usable):
                small = self.rng.random() < 0.5  # small values hit zero more often
                pick = (lambda: self.rng.randrange(3)) if small else (lambda: self.rng.randrange(R))
                region.assign_advice("a", a, row, pick())
                region.assign_advice("b", b, row, pick())
                region.assign_fixed("f", f, row, pick())
                if self.rng.random() < 0.7:
                    region.enable_selector(s, row)
        layouter.assign_region("all", fill)


@pytest.mark.parametrize("seed", range(3))
def test_vectorised_gate_evaluation_matches_evaluate_int(seed):
    circuit = RandomGate(seed)
    asg = synthesize(circuit).assignment
    failures = MockProver(asg).verify()
    failing = {f.location.row for f in failures if isinstance(f, ConstraintNotSatisfied)}
    expected = set()
    for row in range(asg.usable_rows - 1):  # the last usable row's b[+1] is poisoned
        value = circuit.expr.evaluate_int(
            selector=lambda s: int(asg.selectors[s.index][row]),
            query=lambda q: asg.value(q.column, row + q.rotation))
        if value:
            expected.add(row)
    assert failing - {asg.usable_rows - 1, 0} == expected - {0}
    assert expected  # the random witnesses do break the gate somewhere


def test_failures_serialise_to_json():
    for circuit in (WrongTerm(), WrongOutput(), Toy(ToyParams(mode="unassigned")),
                    Toy(ToyParams(mode="poison"))):
        for failure in verify(circuit):
            data = json.loads(json.dumps(failure.to_dict()))
            assert data["kind"] == failure.kind and data["message"] == str(failure)
