"""Finding quotient strategies: built-ins (one file each in ``strategies/``, installed as
``halo2py.strategies``), the ``halo2py.strategies`` entry-point group for third-party packages, or
``path/to/file.py[:ClassName]`` — by the rules of ``halo2py.plugins``, shared with circuits.
"""

from __future__ import annotations

from halo2py import plugins
from halo2py.quotient.strategy import QuotientStrategy

STRATEGIES = plugins.PluginKind("strategy", QuotientStrategy, "halo2py.strategies", "halo2py.strategies")
StrategyError = plugins.PluginError
# The strategy a proof uses when none is named (the CLI, ``pipeline.prove``, ``halo2py profile``):
# subcoset, whose quotient holds a fifth of chunked's memory (stress, k = 18: peak RSS 886 → 622 MiB)
# for ~14 % more CPU time single-threaded — more on a contended machine (docs/memory.md).
# ``--max-memory`` still takes the fastest strategy that fits (profiling/budget.py).
DEFAULT_STRATEGY = "subcoset"


def available() -> dict:
    """Name → origin ("built-in" or an entry point) of every registered strategy."""
    return plugins.available(STRATEGIES)


def load(spec: str) -> type:
    """The strategy class for a registered name or a ``file.py[:ClassName]`` path."""
    return plugins.load(STRATEGIES, spec)


def create(spec: str) -> QuotientStrategy:
    return load(spec)()
