"""The quotient-strategy contract: what the prover hands a strategy, and what it gets back.

The prover builds one constraint program (gates, permutation, lookups — in halo2's order) and the
list of every polynomial it queries, in coefficient form, indexed by the program's slots. A strategy
decides *where and in what order* to evaluate that program over the extended domain; whatever it
does, it must return the same quotient h = numerator / (X^n − 1), in coefficient form, split into
d − 1 pieces of n coefficients. Strategies know nothing of the CLI, transcripts or commitments.

A strategy may also declare *independent parts* (``parts``, ``compute_part``, ``combine``): then
an executor that runs work elsewhere (``--executor dask``) evaluates the parts as separate tasks,
in other processes or machines, and the strategy combines their results. Declaring parts is
optional; a strategy that only implements ``compute`` — built-in or third-party, subclass or duck
type — is run whole, where the prover runs.

Each strategy also declares its term of the analytic memory model (``model_bytes``) and reports
the bytes it actually held at its peak (``QuotientResult.peak_bytes``, via ``Allocations``), so
model and measurement can be printed side by side.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import Callable, ClassVar, Sequence

import numpy as np

from halo2py.errors import InputError

ELEMENT_BYTES = 32


def heap_empty(shape) -> np.ndarray:
    """The default scratch allocator: an uninitialised uint64 array on the heap."""
    return np.empty(shape, dtype=np.uint64)


@dataclass(frozen=True)
class QuotientShape:
    """The sizes a memory model needs: n, extended parts e, pieces d − 1, the number of
    polynomials the program reads and of distinct (polynomial, rotation) queries."""

    n: int
    e: int
    pieces: int
    polys: int
    queries: int

    @classmethod
    def of(cls, domain, program, polys: int) -> "QuotientShape":
        """The shape of a task over ``domain`` running ``program`` on ``polys`` polynomials."""
        return cls(n=domain.n, e=domain.e, pieces=domain.quotient_poly_degree, polys=polys,
                   queries=len(program.queries))


@dataclass
class QuotientTask:
    """Everything a strategy receives.

    ``domain``: the EvaluationDomain (n, e, ζ, ω_ext, coset transforms, parts).
    ``program``: the compiled constraint program; query slot s reads ``polys[s]``.
    ``polys``: coefficient-form (n, 4) Fr arrays, one per slot. Strategies must not modify them.
    ``challenges``: canonical ints for the program's Challenge leaves. ``y``: the Horner challenge.
    ``allocate(shape)``: where a strategy's large buffers should come from — an uninitialised
    uint64 array of ``shape``, on the heap by default, a memory-mapped file with ``--spill`` (so
    a strategy that takes its buffers from here keeps its peak off the heap). A strategy that
    ignores it still works; it just holds its buffers on the heap.
    """

    domain: object
    program: object
    polys: Sequence[np.ndarray]
    challenges: Sequence[int]
    y: int
    allocate: Callable = heap_empty

    @property
    def shape(self) -> QuotientShape:
        return QuotientShape.of(self.domain, self.program, len(self.polys))


@dataclass
class QuotientResult:
    """h in coefficient form as ``pieces`` (d − 1 arrays of n coefficients), plus accounting."""

    pieces: list
    peak_bytes: int = 0
    notes: dict = field(default_factory=dict)


class Allocations:
    """Counts the bytes a strategy holds, so it can report its own peak.

    ``empty`` allocates (from ``allocate``: pass the task's) and counts; ``free`` uncounts (the
    caller drops its reference too). This is bookkeeping, not measurement: the profiler measures
    the real heap with memray and prints both.
    """

    def __init__(self, allocate: Callable = heap_empty):
        self.allocate = allocate
        self.current = 0
        self.peak = 0

    def empty(self, shape) -> np.ndarray:
        arr = self.allocate(shape)
        self.current += arr.nbytes
        self.peak = max(self.peak, self.current)
        return arr

    def free(self, *arrays) -> None:
        for arr in arrays:
            self.current -= arr.nbytes


class QuotientStrategy(ABC):
    """Base class of quotient strategies.

    Subclasses set ``name`` and ``description`` and implement ``compute``; ``model_bytes`` is
    the strategy's contribution to the analytic memory model: the bytes it holds at its peak,
    beyond the polynomials the prover already keeps.
    """

    name: ClassVar[str] = ""
    description: ClassVar[str] = ""

    @classmethod
    def registry_name(cls) -> str:
        return cls.name

    @classmethod
    def check_plugin(cls) -> str:
        """Why this class cannot serve as a strategy ("" if it can)."""
        return "" if cls.name and cls.description else "must set a name and a one-line description"

    @abstractmethod
    def compute(self, task: QuotientTask) -> QuotientResult:
        """Return h = numerator / (X^n − 1) in coefficient form, as d − 1 pieces of n."""

    @classmethod
    @abstractmethod
    def model_bytes(cls, shape: QuotientShape) -> int:
        """Predicted peak bytes held by ``compute`` for a task of this shape."""

    # --- optional: independent parts, for executors that run them elsewhere --------------------
    def parts(self, task: QuotientTask) -> int:
        """How many independent parts ``compute`` is made of; 0 (the default): none declared.

        A strategy that returns p > 0 promises that ``combine(task, [compute_part(task, i) for i
        in range(p)])`` gives ``compute(task)``'s pieces bit for bit, that ``compute_part`` reads
        only ``task`` (a copy of it, in another process, in any order, perhaps twice when a worker
        dies) and returns something picklable. In process the prover still calls ``compute``,
        which may share buffers across parts."""
        return 0

    def compute_part(self, task: QuotientTask, index: int):
        """Part ``index`` (0 ≤ index < ``parts(task)``) of the quotient's work."""
        raise NotImplementedError(f"{type(self).__name__} declares no parts")

    def part_buffers(self, shape: QuotientShape) -> list:
        """The shapes of the large scratch buffers one ``compute_part`` takes from
        ``task.allocate``, known before the quotient: an executor may have them allocated and
        faulted in where the parts will run while it waits for the rounds, and hand them to
        successive parts (whose results must not be views of them). By default, none."""
        return []

    def combine(self, task: QuotientTask, results: list) -> QuotientResult:
        """The quotient from every part's result, in part order."""
        raise NotImplementedError(f"{type(self).__name__} declares no parts")


def declared_part_buffers(strategy, shape: QuotientShape) -> list:
    """The part buffers ``strategy`` declares for a task of ``shape``, as tuples ([] for a
    duck-typed strategy without ``part_buffers``)."""
    buffers = getattr(strategy, "part_buffers", None)
    return [tuple(int(d) for d in b) for b in buffers(shape)] if callable(buffers) else []


def declared_parts(strategy, task: QuotientTask) -> int:
    """The parts ``strategy`` declares for ``task`` (0 for a duck-typed strategy without ``parts``)."""
    parts = getattr(strategy, "parts", None)
    return int(parts(task)) if callable(parts) else 0


def split_pieces(coeffs: np.ndarray, n: int, pieces: int, allocate: Callable = heap_empty) -> list:
    """The first pieces·n coefficients of h as ``pieces`` independent (n, 4) arrays (copies, so
    the e·n buffer can go), each from ``allocate``."""
    out = []
    for i in range(pieces):
        piece = allocate((n, 4))
        piece[...] = coeffs[i * n:(i + 1) * n]
        out.append(piece)
    return out


class StrategyContractError(InputError):
    """A strategy returned something that is not d − 1 pieces of n coefficients."""


def validate_result(result, task: QuotientTask, name: str) -> list:
    """The pieces of ``result``, or a one-line StrategyContractError naming what is wrong."""
    if not isinstance(result, QuotientResult):
        raise StrategyContractError(f"strategy {name!r} returned {type(result).__name__}, not a QuotientResult")
    want = task.domain.quotient_poly_degree
    pieces = list(result.pieces)
    if len(pieces) != want:
        raise StrategyContractError(f"strategy {name!r} returned {len(pieces)} quotient pieces, expected {want}")
    n = task.domain.n
    for i, piece in enumerate(pieces):
        if not isinstance(piece, np.ndarray) or piece.dtype != np.uint64 or piece.shape != (n, 4):
            got = getattr(piece, "shape", type(piece).__name__)
            raise StrategyContractError(f"strategy {name!r}: piece {i} has shape {got}, expected ({n}, 4) uint64")
    return pieces
