"""The strategy contract: registry, conformance helper, third-party files, bad strategies."""

import subprocess
import sys
from pathlib import Path

import pytest

from halo2py.errors import InputError
from halo2py.quotient.conformance import ConformanceError, check_strategy
from halo2py.quotient.registry import StrategyError, available, load

ROOT = Path(__file__).resolve().parent.parent
TOY = ROOT / "docs" / "examples" / "toy_strategy.py"


def test_builtin_strategies_are_registered_by_entry_point():
    assert {"legacy", "chunked", "subcoset"} <= set(available())
    for name in ("legacy", "chunked", "subcoset"):
        cls = load(name)
        assert cls.name == name and cls.description


@pytest.mark.parametrize("name", ["chunked", "subcoset"])
def test_builtin_strategy_conforms(name):
    check_strategy(load(name))


def test_toy_strategy_from_a_file_conforms():
    cls = load(f"{TOY}:ReversedParts")
    assert cls.name == "reversed-parts"
    check_strategy(cls)


def test_deliberately_wrong_strategy_fails_conformance():
    cls = load(f"{TOY}:ForgetsVanishing")
    with pytest.raises(ConformanceError, match="differs from legacy"):
        check_strategy(cls)


@pytest.mark.parametrize("spec, message", [
    ("no-such-strategy", "unknown strategy"),
    ("missing/file.py", "not found"),
    (f"{TOY}:Nope", "has no class"),
])
def test_bad_strategy_specs_are_input_errors(spec, message):
    with pytest.raises(StrategyError, match=message):
        load(spec)


def test_file_with_two_strategies_needs_a_class_name():
    with pytest.raises(StrategyError, match="defines 2 strategies"):
        load(str(TOY))


def _cli(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "halo2py", *args], capture_output=True, text=True, cwd=cwd)


def test_strategy_that_fails_to_import_is_one_line_exit_2(tmp_path):
    bad = tmp_path / "broken.py"
    bad.write_text("import does_not_exist\n")
    done = _cli("prove", "fibonacci", "--strategy", f"{bad}:X", "--seed", "1", "--out", str(tmp_path / "p.bin"))
    assert done.returncode == 2
    assert "failed to import" in done.stderr and "Traceback" not in done.stderr


def test_strategy_returning_the_wrong_shape_is_one_line_exit_2(tmp_path):
    bad = tmp_path / "short.py"
    bad.write_text(
        "from halo2py.quotient.strategy import QuotientResult, QuotientStrategy\n"
        "import numpy as np\n"
        "class Short(QuotientStrategy):\n"
        "    name = 'short'\n"
        "    description = 'returns one piece too few'\n"
        "    def compute(self, task):\n"
        "        n = task.domain.n\n"
        "        return QuotientResult([np.zeros((n, 4), np.uint64)] * (task.domain.quotient_poly_degree - 1))\n"
        "    @classmethod\n"
        "    def model_bytes(cls, shape):\n"
        "        return 1\n")
    done = _cli("prove", "fibonacci", "--strategy", str(bad), "--seed", "1", "--out", str(tmp_path / "p.bin"))
    assert done.returncode == 2
    assert "quotient pieces" in done.stderr and "Traceback" not in done.stderr


def test_strategies_command_lists_builtins():
    done = _cli("strategies", "--json")
    assert done.returncode == 0
    assert {"legacy", "chunked"} <= {s["name"] for s in __import__("json").loads(done.stdout)["strategies"]}


def test_strategy_errors_are_input_errors():
    assert issubclass(StrategyError, InputError)
