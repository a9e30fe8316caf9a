"""Finding quotient strategies: the ``halo2py.strategies`` entry-point group, or a file path.

Built-in strategies register themselves in pyproject.toml exactly as a third party would, so the
registry has no list of its own to keep in sync. ``--strategy path/to/file.py:ClassName`` loads a
strategy that is not installed at all.
"""

from __future__ import annotations

import importlib.util
import inspect
from importlib.metadata import entry_points
from pathlib import Path

from halo2py.errors import InputError
from halo2py.quotient.strategy import QuotientStrategy

GROUP = "halo2py.strategies"


class StrategyError(InputError):
    """A strategy that cannot be found, loaded, or does not honour the contract."""


def available() -> dict:
    """Name → entry point of every installed strategy."""
    return {ep.name: ep for ep in entry_points(group=GROUP)}


def _validate(cls, origin: str):
    if not (inspect.isclass(cls) and issubclass(cls, QuotientStrategy)):
        raise StrategyError(f"{origin} is not a QuotientStrategy subclass")
    if inspect.isabstract(cls):
        missing = ", ".join(sorted(cls.__abstractmethods__))
        raise StrategyError(f"strategy {origin} does not implement: {missing}")
    if not cls.name or not cls.description:
        raise StrategyError(f"strategy {origin} must set a name and a one-line description")
    return cls


def _load_file(spec: str):
    path_text, _, class_name = spec.partition(":")
    path = Path(path_text)
    if not path.is_file():
        raise StrategyError(f"strategy file not found: {path}")
    module_name = f"_halo2py_strategy_{abs(hash(str(path.resolve())))}"
    mod_spec = importlib.util.spec_from_file_location(module_name, path)
    module = importlib.util.module_from_spec(mod_spec)
    try:
        mod_spec.loader.exec_module(module)
    except Exception as exc:  # any import-time failure of user code is bad input, not our bug
        raise StrategyError(f"strategy file {path} failed to import: {type(exc).__name__}: {exc}") from exc
    if class_name:
        if not hasattr(module, class_name):
            raise StrategyError(f"strategy file {path} has no class {class_name!r}")
        return _validate(getattr(module, class_name), f"{path}:{class_name}")
    found = [obj for obj in vars(module).values()
             if inspect.isclass(obj) and issubclass(obj, QuotientStrategy)
             and obj.__module__ == module_name and not inspect.isabstract(obj)]
    if len(found) != 1:
        raise StrategyError(f"strategy file {path} defines {len(found)} strategies; name one as {path}:ClassName")
    return _validate(found[0], str(path))


def load(spec: str):
    """The strategy class for a registered name or a ``file.py[:ClassName]`` path."""
    if spec.endswith(".py") or ".py:" in spec:
        return _load_file(spec)
    eps = available()
    if spec not in eps:
        names = ", ".join(sorted(eps)) or "none installed"
        raise StrategyError(f"unknown strategy {spec!r} (available: {names})")
    try:
        cls = eps[spec].load()
    except Exception as exc:
        raise StrategyError(f"strategy {spec!r} failed to load: {type(exc).__name__}: {exc}") from exc
    return _validate(cls, spec)


def create(spec: str) -> QuotientStrategy:
    return load(spec)()
