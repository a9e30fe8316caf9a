"""``--max-memory``: the quotient strategy a memory budget allows, chosen from the analytic model
before any slow work.

A budget is for the process's peak resident set, so the model's heap peak is topped up by the
*floor*: what the interpreter, numpy, Numba/LLVM and the loaded kernels hold besides the proof's
heap. Most of it is there once Numba is imported and is read off the process itself (it depends
on the machine: the resident part of LLVM's 130 MB library alone ranged from 36 to 93 MiB between
two identical venvs, and between two runs of one fresh venv by up to 70 MiB; ``HALO2PY_RSS_FLOOR``
pins it); the kernels' machine code, loaded from the cache as the proof first calls
them, adds ``KERNELS_BYTES``, calibrated on the stress circuit at k = 10 (docs/memory.md). The first
strategy in ``SPEED_ORDER`` (fastest first, from docs/benchmarks.md) whose prediction fits is
taken; if none fits, the smallest budget that would is the error.
"""

from __future__ import annotations

import os
import re

from halo2py.errors import InputError
from halo2py.execution.base import peak_rss_bytes
from halo2py.profiling.model import ProofShape, predict
from halo2py.quotient.registry import available

KERNELS_BYTES = 70 << 20
# Whole-proof time at k = 16 … 20 (docs/benchmarks.md): chunked, then legacy, then subcoset;
# strategies not measured there come after, by name.
SPEED_ORDER = ("chunked", "legacy", "subcoset")
_UNITS = {"": 1, "B": 1, "K": 1 << 10, "M": 1 << 20, "G": 1 << 30, "T": 1 << 40}
_SIZE = re.compile(r"\s*(\d+(?:\.\d+)?)\s*([KMGT]?)(I?B)?\s*", re.IGNORECASE)


def parse_size(text: str, what: str = "--max-memory") -> int:
    """Bytes in ``2G``, ``512M``, ``1.5GiB``, ``800MB``, ``1073741824`` (binary units throughout:
    a budget is compared with RSS, which the kernel counts in pages of 2^k bytes); ``what`` names
    the flag or variable the text came from in the error."""
    match = _SIZE.fullmatch(text or "")
    if not match or (match.group(3) and match.group(3).upper() == "IB" and not match.group(2)):
        raise InputError(f"{what} {text!r}: give a size such as 2G, 512M or 1.5GiB")
    size = int(float(match.group(1)) * _UNITS[match.group(2).upper()])
    if size <= 0:
        raise InputError(f"{what} {text!r}: the size must be positive")
    return size


def mib(size: int) -> str:
    return f"{size / (1 << 20):,.0f} MiB"


def strategies_by_speed() -> list:
    names = sorted(available())
    return [n for n in SPEED_ORDER if n in names] + [n for n in names if n not in SPEED_ORDER]


def proof_shape(circuits: list, dialect: str | None = None, layout=None) -> ProofShape:
    """The shape of one proof of ``circuits`` (one per copy): from ``layout`` (a pk file's), or
    from a keygen-only synthesis of the first copy (no witness: a second or two at k = 20)."""
    if layout is None:
        from halo2py.frontend.circuit import synthesize
        from halo2py.plonk.dialect import dialect as dialect_named
        from halo2py.plonk.keygen import protocol_layout

        keygen_only = synthesize(circuits[0], witness=False)
        layout = protocol_layout(keygen_only.compiled, keygen_only.preprocessed, dialect_named(dialect))
    return ProofShape.from_layout(layout, circuits[0].params.k, len(circuits))


def rss_floor_bytes() -> int:
    """This process's resident set so far (Numba imported) plus the kernels a proof loads; taken
    before anything proof-sized (the keygen-only synthesis of ``proof_shape``) is allocated."""
    pinned = os.environ.get("HALO2PY_RSS_FLOOR")
    if pinned:  # a floor calibrated elsewhere: the resident part of LLVM varies from run to run
        return parse_size(pinned, "HALO2PY_RSS_FLOOR")
    import numba  # noqa: F401  (the floor is measured with LLVM loaded, as a proof has it)

    return peak_rss_bytes() + KERNELS_BYTES


def predicted_rss(shape: ProofShape, strategy: str, floor: int, spill: bool = False) -> int:
    """The model's whole-proof heap peak plus the floor: the peak RSS to expect in memory. Out of
    core (``spill``) it is the anonymous part only: the spill files' pages are page cache, which
    the kernel writes back and reclaims under pressure rather than failing."""
    return predict(shape, strategy, spill=spill).total + floor


def choose(shape: ProofShape, budget: int, strategy: str | None, floor: int, spill: bool = False) -> tuple:
    """(strategy, predicted peak) for ``budget`` bytes: ``strategy`` if given and it fits, else the
    fastest that fits, in memory or — with ``spill`` (``--spill DIR``) — out of core; InputError
    (exit 2) with the smallest budget that would work, and, in memory, what ``--spill`` would need."""
    candidates = [strategy] if strategy is not None else strategies_by_speed()
    predicted = {name: predicted_rss(shape, name, floor, spill) for name in candidates}
    for name in candidates:
        if predicted[name] <= budget:
            return name, predicted[name]
    best = min(predicted, key=predicted.get)
    hint = ""
    if not spill:
        spilled = min(predicted_rss(shape, name, floor, True) for name in candidates)
        hint = f"; out of core, --spill DIR, it needs {mib(spilled)} of heap" if spilled <= budget else ""
    raise InputError(f"--max-memory {mib(budget)} is too small for this proof: the smallest budget that would "
                     f"work is {mib(predicted[best])} (strategy {best}{', --spill' if spill else ''}){hint}")
