"""The strategy contract: registry, conformance helper, third-party files, bad strategies."""

import subprocess
import sys
from pathlib import Path

import pytest

from halo2py.errors import InputError
from halo2py.conformance import ConformanceError, check_strategy
from halo2py.quotient.registry import StrategyError, available, load
from halo2py.quotient.strategy import QuotientStrategy

ROOT = Path(__file__).resolve().parent.parent
TOY = ROOT / "docs" / "examples" / "toy_strategy.py"


BUILTIN_FILES = sorted(p.stem for p in (ROOT / "strategies").glob("*.py") if not p.stem.startswith("_"))


def test_every_file_in_strategies_is_a_registered_builtin():
    registry = available()
    for stem in BUILTIN_FILES:
        module = __import__(f"halo2py.strategies.{stem}", fromlist=["_"])
        names = [obj.name for obj in vars(module).values()
                 if isinstance(obj, type) and issubclass(obj, QuotientStrategy) and obj.__module__ == module.__name__]
        assert names, f"strategies/{stem}.py defines no strategy"
        for name in names:
            assert registry[name] == "built-in"
            assert load(name).name == name and load(name).description


@pytest.mark.parametrize("name", sorted(set(available()) - {"legacy"}))
def test_registered_strategy_conforms(name):
    check_strategy(load(name))


def test_a_new_file_in_strategies_is_found_conformance_tested_and_regressed(tmp_path, monkeypatch):
    """What dropping one file into strategies/ does: the package's module search path is where
    the registry looks, so a file there is a strategy with no pyproject or list edit."""
    import halo2py.strategies
    from halo2py.profiling import regress

    (tmp_path / "reversed_copy.py").write_text(TOY.read_text().replace('"reversed-parts"', '"reversed-copy"'))
    monkeypatch.setattr(halo2py.strategies, "__path__", [*halo2py.strategies.__path__, str(tmp_path)])
    assert available()["reversed-copy"] == "built-in"
    cls = load("reversed-copy")
    check_strategy(cls)
    assert "reversed-copy" in regress.strategies_to_run()


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
    with pytest.raises(StrategyError, match="defines 2 strategy classes"):
        load(str(TOY))


def _cli(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "halo2py", *args], capture_output=True, text=True, cwd=cwd)


def test_strategy_that_fails_to_import_is_one_line_exit_2(tmp_path):
    bad = tmp_path / "broken.py"
    bad.write_text("import does_not_exist\n")
    done = _cli("prove", "fibonacci", "--strategy", f"{bad}:X", "--seed", "1", "--out", str(tmp_path / "p.bin"))
    assert done.returncode == 2
    assert "cannot import strategy file" in done.stderr and "Traceback" not in done.stderr


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
