"""Library circuits and the docs example: honest witnesses pass, broken ones fail where expected;
circuit parameters, inputs and loading."""

import numpy as np
import pytest

from halo2py.circuits.fibonacci import Fibonacci
from halo2py.circuits.range_check import RangeCheck
from halo2py.circuits.stress import Stress
from halo2py.arith.field import Fr
from halo2py.errors import InputError
from halo2py.frontend.circuit import (
    Circuit,
    load_circuit_class,
    load_inputs,
    registered_circuits,
    synthesize,
)
from halo2py.frontend.mock import (
    ConstraintNotSatisfied,
    LookupNotSatisfied,
    MockProver,
    PermutationNotSatisfied,
)

EXAMPLE = "docs/examples/my_circuit.py"


def kinds(failures):
    return {type(f) for f in failures}


@pytest.mark.parametrize("name", ["fibonacci", "range_check", "stress"])
def test_library_circuits_are_registered_and_satisfied_by_default(name):
    assert name in registered_circuits()
    cls = load_circuit_class(name)
    assert cls.name == name and cls.__doc__
    circuit = cls()
    assert circuit.params.k <= 10
    assert MockProver.run(None, circuit).verify() == []


def test_fibonacci_public_values_follow_inputs():
    circuit = Fibonacci(Fibonacci.parse_params(["terms=12"]), {"a": 2, "b": "0x3"})
    assert circuit.instances() == [[2, 3, 377]]
    assert MockProver.run(None, circuit).verify() == []


def test_range_check_bounds():
    params = RangeCheck.parse_params(["bits=4", "count=3", "k=5"])
    assert MockProver.run(None, RangeCheck(params, {"values": [0, 15, 9]})).verify() == []
    failures = MockProver.run(None, RangeCheck(params, {"values": [0, 16, 9]})).verify()
    assert [(type(f), f.location.offset) for f in failures] == [(LookupNotSatisfied, 1)]
    with pytest.raises(InputError, match="has 2 entries but count=3"):
        synthesize(RangeCheck(params, {"values": [1, 2]}))


@pytest.mark.parametrize("params,degree,extension", [
    (["lookups=0"], 3, 2),
    ([], 4, 4),
    (["degree=5"], 5, 4),
    (["degree=8", "lookups=2"], 8, 8),
    (["advice=7", "fixed=9", "instance=2", "equality=15", "degree=6"], 6, 8),
])
def test_stress_shapes(params, degree, extension):
    circuit = Stress(Stress.parse_params(params + ["k=7"]))
    synth = synthesize(circuit)
    cs, asg = synth.cs, synth.assignment
    p = circuit.params
    assert (len(cs.advice_columns), len(cs.fixed_columns), len(cs.instance_columns)) == \
        (p.advice, p.fixed, p.instance)
    assert len(cs.permutation_columns) == p.equality and len(cs.lookups) == p.lookups
    assert (cs.degree(), cs.quotient_extension()) == (degree, extension)
    # every usable row but the last is in use: public row + pairs (+ the spare row)
    assert asg.regions[0].rows >= asg.usable_rows - 2
    assert MockProver(asg).verify() == []


def test_stress_default_mirrors_plonk_api():
    cs = synthesize(Stress()).cs
    names = [c.name for c in cs.permutation_columns]
    assert names == ["a", "b", "c", "sf", "e", "d", "p", "sm", "sa", "sb", "sc", "sp"]
    assert [c.name for c in cs.advice_columns] == ["e", "a", "b", "c", "d"]
    assert [c.name for c in cs.fixed_columns] == ["sf", "sm", "sa", "sb", "sc", "sp", "sl"]
    assert [g.degree() for g in cs.gates] == [3, 2]


def test_stress_detects_a_corrupted_cell():
    synth = synthesize(Stress())
    asg = synth.assignment
    c = synth.config.c
    row = 2  # an add row: its c enters the gate only
    asg.values(c)[row] = Fr.from_ints([12345])[0]
    failures = MockProver(asg).verify()
    assert kinds(failures) == {ConstraintNotSatisfied}
    assert [f.location.row for f in failures] == [row]
    a = synth.config.a
    asg.values(a)[3] = Fr.from_ints([777])[0]  # a multiply row: gate, lookup and copy break
    assert kinds(MockProver(asg).verify()) == {ConstraintNotSatisfied, LookupNotSatisfied,
                                               PermutationNotSatisfied}


@pytest.mark.parametrize("bad,message", [
    (["advice=4"], "advice must be at least 5"),
    (["advice=100000000"], "advice must be at most 4096"),
    (["lookups=65"], "lookups must be at most 64"),
    (["degree=2"], "degree must be between 3 and 17"),
    (["equality=13"], "equality must be between 3 and 12"),
])
def test_stress_parameter_validation(bad, message):
    with pytest.raises(InputError, match=message):
        Stress.parse_params(bad)


@pytest.mark.slow
def test_stress_synthesises_k20():
    synth = synthesize(Stress(Stress.parse_params(["k=20"])))
    asg = synth.assignment
    assert len(asg.copies) == 2 * ((asg.usable_rows - 2) // 2)
    assert asg.advice[0].shape == (1 << 20, 4)


def test_docs_example_is_satisfied_and_catches_a_big_value():
    cls = load_circuit_class(EXAMPLE)
    assert cls.__name__ == "NibbleSum"
    assert MockProver.run(None, cls()).verify() == []
    failures = MockProver.run(None, cls(inputs={"values": [1, 2, 3, 4, 17]})).verify()
    assert [(type(f), f.lookup_name, f.location.offset) for f in failures] == \
        [(LookupNotSatisfied, "value is a nibble", 4)]


# --- parameters and inputs ---------------------------------------------------------------------
def test_parameter_parsing_converts_declared_types():
    params = Fibonacci.parse_params(["terms=0x10", " k = 7"])
    assert (params.k, params.terms) == (7, 16)
    assert Fibonacci.parse_params(["k=9"], k=9).k == 9 and Fibonacci.parse_params([], k=9).k == 9
    with pytest.raises(InputError, match="disagree"):
        Fibonacci.parse_params(["k=7"], k=9)
    specs = Fibonacci.param_specs()
    assert [(n, t, d) for n, t, d, _ in specs] == [("k", int, 5), ("terms", int, 10)]


@pytest.mark.parametrize("args,message", [
    (["nope=1"], "has no parameter 'nope'"),
    (["terms"], "expects name=value"),
    (["terms=ten"], "parameter 'terms' expects int, got 'ten'"),
    (["terms=2"], "terms must be at least 3"),
    (["k=0"], "k must be between 1 and 28"),
])
def test_parameter_errors(args, message):
    with pytest.raises(InputError, match=message):
        Fibonacci.parse_params(args)


@pytest.mark.parametrize("circuit,args,message", [
    ("fibonacci", ["terms=100000000000"], "terms=100000000000 takes 100000000000 rows, more than the 32 of k=5; "
                                          "no k up to 28"),
    ("fibonacci", ["terms=33"], "terms=33 takes 33 rows, more than the 32 of k=5; use k >= 6"),
    ("poseidon", ["length=5"], "length=5 takes 264 rows, more than the 256 of k=8"),
    ("range_check", ["count=1025"], "count=1025 takes 1025 rows"),
    ("range_check", ["bits=11"], "bits=11 takes 2048 rows, more than the 1024 of k=10"),
    ("simple-lookup", ["bits=60"], "bits=60 takes 1152921504606846976 rows"),
    ("simple-lookup", ["rows=0"], "rows must be at least 1"),
])
def test_a_size_that_cannot_fit_in_the_rows_is_refused_before_synthesis(circuit, args, message):
    """A size parameter is checked against all 2^k rows when it is parsed: synthesis would
    otherwise build the whole witness first (hours, or all the memory, for a typo)."""
    cls = load_circuit_class(circuit)
    with pytest.raises(InputError, match=message):
        cls.parse_params(args)


def test_sizes_that_fill_the_rows_still_reach_the_layouter():
    """The early check is only the ceiling: a size that fits in 2^k but not in the usable rows is
    the layouter's to refuse, with its exact count."""
    params = Fibonacci.parse_params(["terms=32"])
    with pytest.raises(InputError, match="usable rows"):
        synthesize(Fibonacci(params))
    assert Fibonacci.parse_params(["terms=33", "k=6"]).terms == 33  # one k up, the same size is taken


def test_bool_and_str_parameters():
    from dataclasses import dataclass

    from halo2py.frontend.circuit import CircuitParams, param

    @dataclass
    class P(CircuitParams):
        flag: bool = param(False, "a flag")
        label: str = param("x", "a label")

    class C(Circuit):
        Params = P

    params = C.parse_params(["flag=yes", "label=hello"])
    assert params.flag is True and params.label == "hello"
    assert C.parse_params(["flag=0"]).flag is False
    with pytest.raises(InputError, match="expects bool"):
        C.parse_params(["flag=maybe"])


def test_inputs(tmp_path):
    path = tmp_path / "in.json"
    path.write_text('{"a": 5, "b": "7"}')
    assert load_inputs(str(path)) == {"a": 5, "b": "7"}
    assert load_inputs(None) == {}
    with pytest.raises(InputError, match="not found"):
        load_inputs(str(tmp_path / "missing.json"))
    path.write_text("{oops")
    with pytest.raises(InputError, match="not valid JSON"):
        load_inputs(str(path))
    path.write_text("[1, 2]")
    with pytest.raises(InputError, match="JSON object"):
        load_inputs(str(path))
    with pytest.raises(InputError, match="has no input\\(s\\) c"):
        Fibonacci(inputs={"c": 1})
    with pytest.raises(InputError, match="not an integer"):
        Fibonacci(inputs={"a": "five"}).instances()
    with pytest.raises(InputError, match="must be a list"):
        RangeCheck(inputs={"values": 3}).values()


# --- loading -------------------------------------------------------------------------------------
def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text)
    return str(path)


HEADER = "from halo2py.frontend.circuit import Circuit\n"
GOOD = HEADER + """
class Good(Circuit):
    def configure(self, cs):
        return cs.advice_column('a')
    def synthesize(self, config, layouter):
        layouter.assign_region('r', lambda r: r.assign_advice('x', config, 0, 1))
"""


def test_loading_from_files(tmp_path):
    path = write(tmp_path, "good.py", GOOD + "from halo2py.circuits.fibonacci import Fibonacci\n")
    cls = load_circuit_class(path)  # imported circuits do not count
    assert cls.__name__ == "Good" and MockProver.run(4, cls()).verify() == []
    assert load_circuit_class(path + ":Good").__name__ == "Good"
    two = write(tmp_path, "two.py", GOOD + "class Other(Good):\n    pass\n")
    assert load_circuit_class(two + ":Other").__name__ == "Other"


@pytest.mark.parametrize("text,spec_suffix,message", [
    (None, "", "circuit file not found"),
    ("import not_a_module_anywhere\n", "", "cannot import .*ModuleNotFoundError"),
    ("def broken(:\n", "", "cannot import .*SyntaxError.*bad.py:1"),
    ("x = 1\n", "", "defines 0 circuit classes"),
    (GOOD + "class Other(Good):\n    pass\n", "", "defines 2 circuit classes \\(Good, Other\\)"),
    (GOOD, ":Missing", "has no class 'Missing'"),
])
def test_loading_errors(tmp_path, text, spec_suffix, message):
    path = str(tmp_path / "bad.py") if text is None else write(tmp_path, "bad.py", text)
    with pytest.raises(InputError, match=message):
        load_circuit_class(path + spec_suffix)


def test_unknown_registered_name():
    with pytest.raises(InputError, match="unknown circuit 'nope'.*fibonacci"):
        load_circuit_class("nope")


def test_errors_inside_user_code_become_one_line_input_errors(tmp_path):
    undeclared = write(tmp_path, "undeclared.py", HEADER + """
from halo2py.middleware.expression import Column
class Undeclared(Circuit):
    def configure(self, cs):
        a = cs.advice_column('a')
        cs.create_gate('uses ghost', [a.cur() - Column('advice', 3, 'ghost').cur()])
    def synthesize(self, config, layouter):
        pass
""")
    with pytest.raises(InputError, match="gate 'uses ghost': column 'ghost' \\(advice 3\\) was not "
                                         "declared"):
        synthesize(load_circuit_class(undeclared)())
    crashing = write(tmp_path, "crash.py", GOOD.replace("return cs.advice_column('a')",
                                                        "return 1 // 0"))
    with pytest.raises(InputError, match="configure failed: ZeroDivisionError.*crash.py:5"):
        synthesize(load_circuit_class(crashing)())


def test_k_too_small_for_the_blinding_rows():
    with pytest.raises(InputError, match="k=2 is too small"):
        synthesize(Fibonacci(), k=2)


def test_assignment_is_columnar_fr():
    asg = synthesize(Fibonacci()).assignment
    column = asg.cs.advice_columns[0]
    values = asg.values(column)
    assert values.dtype == np.uint64 and values.shape == (32, 4)
    assert Fr.to_ints(values[:5]) == [1, 1, 2, 3, 5]
    assert asg.assigned(column).sum() == 10
